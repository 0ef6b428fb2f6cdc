"""The ``gqlnews`` command: serve, demo, schema export|check.

It starts fast: heavy modules (the GraphQL schema, Tortoise, uvicorn, the archive, the demo)
are imported by the commands that need them, the ``users``, ``tokens``, ``import`` and
``export`` commands load when they run (see :class:`_LazyGroup`), and the plugins' commands
are only loaded when the command line may ask for one (see :func:`main`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import importlib
import logging
import os
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import typer
import typer.core
import typer.main

from gqlnews.checks import run_checks
from gqlnews.command_database import (
    command_database,
    plugin_model_apps,
    run_command,
    set_database_url_source,
)
from gqlnews.db import dialect_of
from gqlnews.plugins import (
    PluginError,
    call_list_sync,
    describe,
    make_plugin_manager,
)
from gqlnews.settings import Settings, SettingsError
from gqlnews.settings_doc import settings_reference

if TYPE_CHECKING:
    from gqlnews.demo import DemoSummary

_LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "import": (
        "gqlnews.cli_archive",
        "Import a ninjs archive (sections, authors, tags, editions, supplements, articles).",
    ),
    "export": (
        "gqlnews.cli_archive",
        "Export articles as a ninjs archive (the format `gqlnews import` reads).",
    ),
    "users": ("gqlnews.cli_accounts", "Newsroom accounts: create, list, change roles."),
    "tokens": ("gqlnews.cli_accounts", "API tokens for integrations."),
    "documents": (
        "gqlnews.cli_documents",
        "Trusted GraphQL documents (persisted documents): add, list, remove, check.",
    ),
    "previews": ("gqlnews.cli_previews", "Draft preview links: revoke an article's."),
    "webhooks": (
        "gqlnews.cli_webhooks",
        "Webhook endpoints: add, list, remove, enable; their deliveries.",
    ),
    "search": (
        "gqlnews.cli_search",
        "The full-text search index: reindex after the analysis changed.",
    ),
}
"""Core commands whose modules are imported only when they run: name -> (module with a
``register(app)`` function, the short help ``gqlnews --help`` shows; a test keeps it equal to
the command's own)."""


def load_lazy_command(name: str) -> typer.core.TyperCommand | typer.core.TyperGroup:
    """The click command ``name`` of :data:`_LAZY_COMMANDS`, its module imported now."""
    module = importlib.import_module(_LAZY_COMMANDS[name][0])
    holder = typer.Typer()
    module.register(holder)
    command: Any = typer.main.get_group(holder).commands[name]
    return command  # type: ignore[no-any-return]


class _LazyGroup(typer.core.TyperGroup):
    """The root group: lists the lazy commands with their short help, and imports one only
    when it is asked for (not when ``--help`` lists them)."""

    _listing: ClassVar[bool] = False

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        lazy = [name for name in _LAZY_COMMANDS if name not in names]
        core = [name for name in names if name in CORE_COMMANDS]
        return [*core, *lazy, *(name for name in names if name not in CORE_COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in _LAZY_COMMANDS and cmd_name not in self.commands:
            if _LazyGroup._listing:
                return typer.core.TyperCommand(cmd_name, help=_LAZY_COMMANDS[cmd_name][1])
            self.commands[cmd_name] = load_lazy_command(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _LazyGroup._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            _LazyGroup._listing = False


# Plain (click) help: Typer's rich rendering costs ~0.17 s of every `gqlnews --help`.
PLAIN_HELP = None

app = typer.Typer(
    help="gqlnews: a GraphQL publishing backend for newsrooms.",
    no_args_is_help=True,
    cls=_LazyGroup,
    rich_markup_mode=PLAIN_HELP,
)
schema_app = typer.Typer(
    help="Export or check the GraphQL schema (SDL).",
    no_args_is_help=True,
    rich_markup_mode=PLAIN_HELP,
)
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
    plugins_dir: Annotated[
        str | None,
        typer.Option(
            metavar="DIR", help="A folder of one-off .py plugins (env GQLNEWS_PLUGINS_DIR)."
        ),
    ] = None,
) -> None:
    """Global options override the GQLNEWS_* environment variables."""
    set_database_url_source("--database-url" if database_url else "GQLNEWS_DATABASE_URL")
    try:
        ctx.obj = Settings.from_env(database_url=database_url, debug=debug, plugins_dir=plugins_dir)
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
    settings = _settings(ctx)
    if allow_pending_migrations:
        settings = dataclasses.replace(settings, allow_pending_migrations=True)
    bind_host = host or settings.host
    bind_port = port or settings.port
    _check_port(bind_host, bind_port)
    from gqlnews import serving
    from gqlnews.observability.logs import setup_logging
    from gqlnews.observability.metrics import MULTIPROC_ENV

    setup_logging(settings.log_level, settings.log_format)
    run_command(_prepare_for_serving(settings, settings.allow_pending_migrations))
    if workers > 1 and settings.cache and not settings.redis_url:
        # Without Redis, a worker's purges cannot reach the others: keep answers briefly.
        settings = dataclasses.replace(
            settings, cache_ttl=max(1, min(settings.cache_ttl, settings.cache_degraded_ttl))
        )
        typer.echo(
            f"note: {workers} workers without GQLNEWS_REDIS_URL: each keeps cached answers "
            f"{settings.cache_ttl} s at most (set GQLNEWS_REDIS_URL to share purges)",
            err=True,
        )
    # Workers re-create the app from the environment: pass every setting through it.
    os.environ.update(settings.to_env())
    with contextlib.ExitStack() as cleanup:
        if workers > 1 and not os.environ.get(MULTIPROC_ENV):
            # Each worker writes its metrics here; /metrics in any worker sums them all. The
            # folder goes when the server stops.
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="gqlnews-metrics-"))
            os.environ[MULTIPROC_ENV] = folder
        typer.echo(f"gqlnews serving on http://{bind_host}:{bind_port}/graphql")
        serving.serve(settings, bind_host, bind_port, workers, reload)


def _check_port(host: str, port: int) -> None:
    """End the command (exit code 2) when ``host:port`` cannot be listened on, before anything
    says it serves there."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as exc:
        in_use = exc.errno == errno.EADDRINUSE
        reason = "is in use" if in_use else f"cannot be listened on ({exc.strerror or exc})"
        typer.echo(f"error: port {port} on {host} {reason}", err=True)
        typer.echo(
            "fix: stop what listens there (`ss -ltnp | grep :"
            f"{port}` shows it) or choose another port with --port or GQLNEWS_PORT"
            if in_use
            else "fix: give an address of this machine with --host or GQLNEWS_HOST",
            err=True,
        )
        raise typer.Exit(2) from None


async def _prepare_for_serving(settings: Settings, allow_pending: bool) -> None:
    from gqlnews.migrate import PendingMigrations

    def behind(names: list[str]) -> str:
        return str(PendingMigrations(names))

    async with command_database(settings, migrate_empty=True, pending=allow_pending, behind=behind):
        pass


@app.command()
def migrate(
    ctx: typer.Context,
    target: Annotated[
        str | None, typer.Option(help="Stop after this migration (e.g. 0002_search).")
    ] = None,
) -> None:
    """Apply pending database migrations (the core's, then the enabled plugins') and say which
    ones ran."""
    run_command(_migrate(_settings(ctx), target))


async def _migrate(settings: Settings, target: str | None) -> None:
    async with command_database(settings, pending=True):
        from gqlnews import migrate as migrate_module

        names = await migrate_module.apply(target=target, apps=plugin_model_apps(settings))
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
        paths = run_command(make_migration(label, plugin_model_apps(_settings(ctx)), name))
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
def settings_command(ctx: typer.Context) -> None:
    """Print the settings reference (every GQLNEWS_* variable, the enabled plugins' included)
    as Markdown."""
    from gqlnews.plugins import plugin_settings

    try:
        extra = plugin_settings(make_plugin_manager(_settings(ctx)))
    except PluginError as exc:
        typer.echo(f"warning: the plugins' settings are missing: {exc}", err=True)
        extra = []
    sys.stdout.write(settings_reference(extra))


@app.command()
def check(ctx: typer.Context) -> None:
    """Check the configuration: database URL and reachability, migrations, Redis. Nothing is
    written (a SQLite file that does not exist yet is not created)."""
    from gqlnews.command_database import database_url_source

    logging.getLogger("gqlnews.health").setLevel(logging.ERROR)  # findings say it better
    settings = _settings(ctx)
    findings = run_command(
        run_checks(settings, lambda: plugin_model_apps(settings), database_url_source())
    )
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
    run_command(_load_demo(settings))


async def _load_demo(settings: Settings) -> None:
    from gqlnews.demo import DemoAlreadyLoaded, load_demo
    from gqlnews.feeds.examples import describe_urls, example_urls

    async with command_database(settings, migrate_empty=True):
        try:
            plugins = make_plugin_manager(settings)
        except PluginError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        try:
            summary = await load_demo(plugins=plugins)
        except DemoAlreadyLoaded as exc:
            typer.echo(f"{exc} (use --fresh to start over)")
            return
        feeds = await example_urls(f"http://{settings.host}:{settings.port}")
    typer.echo(describe_demo(summary))
    typer.echo(describe_urls(feeds))


def describe_demo(summary: DemoSummary) -> str:
    """What ``gqlnews demo`` loaded, in two lines."""
    return (
        f"demo newsroom loaded: {summary.articles} articles in {summary.sections} sections, "
        f"{summary.editions} editions, {summary.supplements} supplements, "
        f"{summary.authors} authors, {summary.tags} tags, {summary.images} images\n"
        f"  of the articles: {summary.drafts} drafts, {summary.scheduled} scheduled, "
        f"{summary.embargoed} embargoed, {summary.future_published} published with a "
        "future date"
    )


def current_sdl(settings: Settings | None = None) -> str:
    """The SDL of the schema this code builds with the plugins ``settings`` enables (default:
    the installed ones, as committed in ``schema/``: adding or removing a plugin shows in the
    schema diff)."""
    from gqlnews.graphql.schema import build_schema

    settings = settings or Settings()
    return build_schema(settings, make_plugin_manager(settings)).as_str() + "\n"


def _command_sdl(ctx: typer.Context) -> str:
    """The SDL with the command's settings (``--plugins-dir`` and the environment)."""
    try:
        return current_sdl(_settings(ctx))
    except PluginError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@schema_app.command("export")
def schema_export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Print or write the schema's SDL (with the enabled plugins' types and fields)."""
    sdl = _command_sdl(ctx)
    if output is None:
        sys.stdout.write(sdl)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(sdl, encoding="utf-8")
        typer.echo(f"wrote {output}")


@schema_app.command("check")
def schema_check(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The committed SDL.")] = DEFAULT_SDL_PATH,
) -> None:
    """Fail when the committed SDL differs from the code (with the enabled plugins, as
    `schema export` writes it); list breaking changes."""
    import difflib

    from graphql import build_schema as parse_sdl
    from graphql import find_breaking_changes

    if not path.exists():
        typer.echo(f"error: {path} does not exist; run `gqlnews schema export -o {path}`", err=True)
        raise typer.Exit(1)
    committed = path.read_text(encoding="utf-8")
    sdl = _command_sdl(ctx)
    invalid = _registered_documents_invalid(ctx.obj)
    if committed == sdl:
        typer.echo(f"{path} is up to date")
        if invalid:
            raise typer.Exit(1)
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


def _registered_documents_invalid(settings: Settings) -> int:
    """Check the database's registered documents against the code's schema (see
    ``gqlnews documents check``); a SQLite database that does not exist has none."""
    from gqlnews.checks import no_sqlite_file
    from gqlnews.cli_documents import report_invalid

    if no_sqlite_file(settings.database_url):
        typer.echo(f"registered documents: none (no database at {settings.database_url})")
        return 0
    return report_invalid(settings)[0]


CORE_COMMANDS = frozenset(
    [
        *(
            info.name or typer.main.get_command_name(getattr(info.callback, "__name__", ""))
            for info in app.registered_commands
        ),
        *(info.name for info in app.registered_groups if info.name),
        *_LAZY_COMMANDS,
    ]
)
"""The commands of the core: running one of them loads no plugin's commands."""

_GLOBAL_OPTIONS_WITH_VALUE = ("--database-url", "--plugins-dir")


def _global_options(argv: Sequence[str]) -> tuple[str | None, dict[str, str]]:
    """The command name in ``argv`` (None for none, or for ``--help``) and the values of the
    global options given before it."""
    values: dict[str, str] = {}
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        name, has_value, value = arg.partition("=")
        if name in _GLOBAL_OPTIONS_WITH_VALUE:
            if not has_value:
                value = rest.pop(0) if rest else ""
            values[name] = value
        elif not arg.startswith("-"):
            return arg, values
        elif arg == "--help":
            return None, values
    return None, values


def main() -> None:
    """Entry point of the ``gqlnews`` script: plugins may add commands first.

    The plugins are loaded here only when the command line may ask for one of their commands
    (a command that is not the core's, or the command list of ``gqlnews --help``): the core's
    commands start without importing them. ``--plugins-dir`` given before the command is
    honoured here too.
    """
    command, options = _global_options(sys.argv[1:])
    if command not in CORE_COMMANDS:
        try:
            settings = Settings.from_env(plugins_dir=options.get("--plugins-dir") or None)
            manager = make_plugin_manager(settings)
        except SettingsError:
            pass  # the command's own option handling reports it, with exit code 2
        except PluginError as exc:
            # The command still runs (`gqlnews plugins` and `check` report the problem).
            typer.echo(f"warning: plugins not loaded: {exc}", err=True)
        else:
            call_list_sync(manager, "gqlnews_register_commands", cli=app)
    app()
