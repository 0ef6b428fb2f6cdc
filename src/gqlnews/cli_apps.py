"""What every database command needs: the plugins' model apps, and running its work on a
database that is up to date with every migration."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer

from gqlnews import migrate
from gqlnews.db import ModelApp, open_database
from gqlnews.plugins import PluginError, make_plugin_manager, model_apps
from gqlnews.settings import Settings

T = TypeVar("T")


class DatabaseBehind(RuntimeError):
    """The database lacks migrations (a plugin's tables may not even exist yet)."""


def plugin_model_apps(settings: Settings) -> list[ModelApp]:
    """The model apps of the plugins ``settings`` enables; a broken plugin ends the command
    with exit code 2 and the plugin's error."""
    try:
        return model_apps(make_plugin_manager(settings))
    except PluginError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def run_on_database(
    settings: Settings,
    work: Callable[[], Awaitable[T]],
    refused: tuple[type[Exception], ...] = (),
) -> T:
    """Run ``work`` on the database of ``settings`` (every enabled plugin's app loaded), once
    it is up to date with the migrations. A database that is behind, or one of the ``refused``
    exceptions (bad input), ends the command with its message and exit code 2."""

    async def run() -> T:
        apps = plugin_model_apps(settings)
        async with open_database(settings.database_url, apps):
            pending = await migrate.pending(apps=apps)
            if pending:
                raise DatabaseBehind(
                    f"the database is behind ({', '.join(pending)}): run `gqlnews migrate` first"
                )
            return await work()

    stops: tuple[type[Exception], ...] = (DatabaseBehind, *refused)
    try:
        return asyncio.run(run())
    except stops as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
