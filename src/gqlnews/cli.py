"""The ``gqlnews`` command: serve, demo, schema export|check."""

from __future__ import annotations

import asyncio
import dataclasses
import difflib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from graphql import build_schema as parse_sdl
from graphql import find_breaking_changes

from gqlnews import migrate as migrate_module
from gqlnews.archive import commands as archive_commands
from gqlnews.checks import run_checks
from gqlnews.cli_accounts import register as register_account_commands
from gqlnews.cli_apps import plugin_model_apps
from gqlnews.db import create_schema, dialect_of, open_database
from gqlnews.graphql.schema import build_schema
from gqlnews.observability.logs import setup_logging
from gqlnews.observability.metrics import MULTIPROC_ENV
from gqlnews.plugins import (
    PluginError,
    call_list_sync,
    describe,
    make_plugin_manager,
    model_apps,
)
from gqlnews.settings import Settings, SettingsError
from gqlnews.settings_doc import settings_reference

app = typer.Typer(help="gqlnews: a GraphQL publishing backend for newsrooms.", no_args_is_help=True)
schema_app = typer.Typer(help="Export or check the GraphQL schema (SDL).", no_args_is_help=True)
app.add_typer(schema_app, name="schema")

DEFAULT_SDL_PATH = Path("schema/schema.graphql")


def _settings(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


@app.callback()
def main_options(
    ctx: typer.Context,
    database_url: Annotated[
        str | None, typer.Option(help="Database URL (env GQLNEWS_DATABASE_URL).")
    ] = None,
    debug: Annotated[
        bool | None, typer.Option("--debug/--no-debug", help="Debug mode (env GQLNEWS_DEBUG).")
    ] = None,
) -> None:
    """Global options override the GQLNEWS_* environment variables."""
    try:
        ctx.obj = Settings.from_env(database_url=database_url, debug=debug)
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    allow_pending_migrations: Annotated[
        bool,
        typer.Option(help="Serve even if the database is behind the migrations (not advised)."),
    ] = False,
) -> None:
    """Serve the API with uvicorn on http://HOST:PORT/graphql.

    An empty database is migrated first; one with pending migrations is refused unless
    --allow-pending-migrations is given (run `gqlnews migrate`).
    """
    import uvicorn

    settings = _settings(ctx)
    if allow_pending_migrations:
        settings = dataclasses.replace(settings, allow_pending_migrations=True)
    setup_logging(settings.log_level, settings.log_format)
    asyncio.run(_prepare_for_serving(settings, settings.allow_pending_migrations))
    # Workers re-create the app from the environment: pass every setting through it.
    os.environ.update(settings.to_env())
    if workers > 1 and not os.environ.get(MULTIPROC_ENV):
        # Each worker writes its metrics here; /metrics in any worker sums them all.
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="gqlnews-metrics-")
    bind_host = host or settings.host
    bind_port = port or settings.port
    typer.echo(f"gqlnews serving on http://{bind_host}:{bind_port}/graphql")
    uvicorn.run(
        "gqlnews.server:create_app",
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=workers,
        reload=reload,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=30,
    )


async def _prepare_for_serving(settings: Settings, allow_pending: bool) -> None:
    apps = plugin_model_apps(settings)
    async with open_database(settings.database_url, apps):
        if not await migrate_module.applied(apps=apps):
            for name in await migrate_module.apply(apps=apps):
                typer.echo(f"empty database: applied migration {name}")
            return
        names = await migrate_module.pending(apps=apps)
    if names and not allow_pending:
        typer.echo(f"error: {migrate_module.PendingMigrations(names)}", err=True)
        raise typer.Exit(2)


@app.command()
def migrate(
    ctx: typer.Context,
    target: Annotated[
        str | None, typer.Option(help="Stop after this migration (e.g. 0002_search).")
    ] = None,
) -> None:
    """Apply pending database migrations (the core's, then the enabled plugins') and say which
    ones ran."""
    asyncio.run(_migrate(_settings(ctx), target))


async def _migrate(settings: Settings, target: str | None) -> None:
    apps = plugin_model_apps(settings)
    async with open_database(settings.database_url, apps):
        names = await migrate_module.apply(target=target, apps=apps)
    if names:
        for name in names:
            typer.echo(f"applied {name}")
    else:
        typer.echo("no migrations to apply: the database is up to date")


@app.command()
def makemigrations(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="The app: models (the core) or a plugin's label.")],
    name: Annotated[str | None, typer.Option(help="Name the migration (e.g. add_pins).")] = None,
) -> None:
    """Write the migration for changed models of one app, with every app loaded (for
    developers; a plugin's models may point at the core's)."""
    from gqlnews.makemigrations import make_migration

    try:
        paths = asyncio.run(make_migration(label, plugin_model_apps(_settings(ctx)), name))
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for path in paths:
        typer.echo(f"wrote {path}")
    if not paths:
        typer.echo(f"no changes in {label}")


@app.command("plugins")
def plugins_command(ctx: typer.Context) -> None:
    """List the plugins: name, version, where each came from, and the hooks it implements."""
    try:
        manager = make_plugin_manager(_settings(ctx))
    except PluginError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    infos = describe(manager)
    if not infos:
        typer.echo("no plugins")
    for info in infos:
        typer.echo(f"{info.name} {info.version} ({info.source})")
        for hook in info.hooks:
            typer.echo(f"    {hook}")


@app.command("settings")
def settings_command() -> None:
    """Print the settings reference (every GQLNEWS_* variable) as Markdown."""
    sys.stdout.write(settings_reference())


@app.command()
def check(ctx: typer.Context) -> None:
    """Check the configuration: database URL and reachability, migrations, Redis."""
    logging.getLogger("gqlnews.health").setLevel(logging.ERROR)  # findings say it better
    settings = _settings(ctx)
    findings = asyncio.run(run_checks(settings, plugin_model_apps(settings)))
    for finding in findings:
        mark = "ok     " if finding.ok else "PROBLEM"
        typer.echo(f"{mark} {finding.check}: {finding.detail}")
        if finding.fix:
            typer.echo(f"        fix: {finding.fix}")
    if not all(f.ok for f in findings):
        raise typer.Exit(1)


@app.command()
def demo(
    ctx: typer.Context,
    fresh: Annotated[
        bool, typer.Option(help="Start from an empty SQLite file (deletes the existing one).")
    ] = False,
) -> None:
    """Create the schema and load the demo newsroom."""
    settings = _settings(ctx)
    if fresh:
        if dialect_of(settings.database_url) != "sqlite":
            typer.echo(
                "error: --fresh only deletes SQLite files; empty the database yourself", err=True
            )
            raise typer.Exit(2)
        path = settings.database_url.removeprefix("sqlite://")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(path + suffix).unlink(missing_ok=True)
    asyncio.run(_load_demo(settings))


async def _load_demo(settings: Settings) -> None:
    from gqlnews.demo import DemoAlreadyLoaded, load_demo

    try:
        plugins = make_plugin_manager(settings)
    except PluginError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    apps = model_apps(plugins)
    async with open_database(settings.database_url, apps):
        await create_schema(apps=apps)
        try:
            summary = await load_demo(plugins=plugins)
        except DemoAlreadyLoaded as exc:
            typer.echo(f"{exc} (use --fresh to start over)")
            return
        typer.echo(f"demo newsroom loaded: {summary}")


def current_sdl() -> str:
    """The SDL of the schema this code builds with the installed plugins (entry points), as
    committed in ``schema/``: adding or removing a plugin shows in the schema diff."""
    return build_schema(Settings(), make_plugin_manager(Settings())).as_str() + "\n"


@schema_app.command("export")
def schema_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Print or write the schema's SDL."""
    sdl = current_sdl()
    if output is None:
        sys.stdout.write(sdl)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(sdl, encoding="utf-8")
        typer.echo(f"wrote {output}")


@schema_app.command("check")
def schema_check(
    path: Annotated[Path, typer.Argument(help="The committed SDL.")] = DEFAULT_SDL_PATH,
) -> None:
    """Fail when the committed SDL differs from the code; list breaking changes."""
    if not path.exists():
        typer.echo(f"error: {path} does not exist; run `gqlnews schema export -o {path}`", err=True)
        raise typer.Exit(1)
    committed = path.read_text(encoding="utf-8")
    sdl = current_sdl()
    if committed == sdl:
        typer.echo(f"{path} is up to date")
        return
    diff = difflib.unified_diff(
        committed.splitlines(keepends=True),
        sdl.splitlines(keepends=True),
        fromfile=str(path),
        tofile="code",
    )
    sys.stdout.writelines(diff)
    breaking = find_breaking_changes(parse_sdl(committed), parse_sdl(sdl))
    for change in breaking:
        typer.echo(f"BREAKING {change.type.name}: {change.description}")
    typer.echo(
        f"\n{path} drifted from the code ({len(breaking)} breaking change(s)); "
        f"review, then run `gqlnews schema export -o {path}`",
        err=True,
    )
    raise typer.Exit(1)


archive_commands.register(app)
register_account_commands(app)


def main() -> None:
    """Entry point of the ``gqlnews`` script: plugins may add commands first."""
    try:
        manager = make_plugin_manager(Settings.from_env())
    except SettingsError:
        pass  # the command's own option handling reports it, with exit code 2
    except PluginError as exc:
        # The command still runs (`gqlnews plugins` and `check` report the problem).
        typer.echo(f"warning: plugins not loaded: {exc}", err=True)
    else:
        call_list_sync(manager, "gqlnews_register_commands", cli=app)
    app()
