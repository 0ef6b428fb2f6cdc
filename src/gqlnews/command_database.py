"""Opening the database for a command: the plugins' model apps, and running the command's work
on a database that answers and is up to date with every migration.

:func:`command_database` is the one way a command opens its database: a database that cannot
be used ends the command within a few seconds with ``error: cannot use <url>: <reason>`` and
a ``fix:`` line (the diagnosis of ``gqlnews check``), exit code 2.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from gqlnews.checks import ENV_SOURCE, DatabaseUnusable, probe_database, usable_database
from gqlnews.db import ModelApp
from gqlnews.settings import Settings

if TYPE_CHECKING:
    from tortoise.backends.base.client import BaseDBAsyncClient

T = TypeVar("T")

_database_url_source: ContextVar[str] = ContextVar("database_url_source", default=ENV_SOURCE)


def set_database_url_source(source: str) -> None:
    """Remember where this command's database URL came from (``--database-url`` or the
    variable), so that a fix names the right one."""
    _database_url_source.set(source)


def database_url_source() -> str:
    """Where this command's database URL came from (default: ``GQLNEWS_DATABASE_URL``)."""
    return _database_url_source.get()


class DatabaseBehind(RuntimeError):
    """The database lacks migrations (a plugin's tables may not even exist yet)."""


def plugin_model_apps(settings: Settings) -> list[ModelApp]:
    """The model apps of the plugins ``settings`` enables; a broken plugin ends the command
    with exit code 2 and the plugin's error."""
    from gqlnews.plugins import PluginError, make_plugin_manager, model_apps

    try:
        return model_apps(make_plugin_manager(settings))
    except PluginError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _behind(names: list[str]) -> str:
    return f"the database is behind ({', '.join(names)}): run `gqlnews migrate` first"


@asynccontextmanager
async def command_database(
    settings: Settings,
    apps: Sequence[ModelApp] | None = None,
    *,
    migrate_empty: bool = False,
    pending: bool = False,
    behind: Callable[[list[str]], str] = _behind,
    notes_to_stderr: bool = False,
) -> AsyncIterator[BaseDBAsyncClient]:
    """Open the database of ``settings`` for a command, with ``apps`` (default: the enabled
    plugins'). A database that cannot be used (a missing folder, a server that refuses or
    does not answer within 3 s, a wrong database name or user) ends the command: one line
    ``error: cannot use …``, one ``fix: …``, exit code 2.

    Then the migrations: an empty database is migrated first when ``migrate_empty`` (each
    migration is named, on stdout unless ``notes_to_stderr``); one with pending migrations
    is refused with ``behind(names)`` and exit code 2, unless ``pending`` (``gqlnews migrate``
    itself opens it that way).
    """
    source = database_url_source()
    try:
        await probe_database(settings.database_url, source)  # fails fast, before the plugins
        from gqlnews import migrate  # Tortoise

        if apps is None:
            apps = plugin_model_apps(settings)
        async with usable_database(settings.database_url, apps, source) as conn:
            if migrate_empty and not await migrate.applied(apps=apps):
                for name in await migrate.apply(apps=apps):
                    typer.echo(f"empty database: applied migration {name}", err=notes_to_stderr)
            elif not pending:
                names = await migrate.pending(apps=apps)
                if names:
                    raise DatabaseBehind(behind(names))
            async with _purges_reach_servers(settings):
                yield conn
    except DatabaseUnusable as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        typer.echo(f"fix: {exc.fix}", err=True)
        raise typer.Exit(2) from None
    except DatabaseBehind as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def run_command(work: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; Ctrl-C ends it at once with exit code 130 and a one-line
    message (no traceback)."""
    # a command that handles its signals itself (an import stops at a batch) keeps them
    default = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    try:
        return asyncio.run(_interruptible(work) if default else work)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None


async def _interruptible(work: Coroutine[Any, Any, T]) -> T:
    """``work``, cancelled by Ctrl-C from the event loop (``add_signal_handler``).

    ``asyncio.run`` cancels its task from the signal handler itself, which Python runs
    between any two bytecodes: inside a loop callback that has just checked its future
    (a connection's ``_sock_connect_cb``), the cancel makes that callback's ``set_result``
    fail, and the loop prints its traceback on stderr. A handler the loop calls runs
    between callbacks instead."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    interrupted = False

    def interrupt() -> None:
        nonlocal interrupted
        interrupted = True
        if task is not None:
            task.cancel()

    try:
        loop.add_signal_handler(signal.SIGINT, interrupt)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
        return await work
    try:
        return await work
    except asyncio.CancelledError:
        if interrupted:
            raise KeyboardInterrupt from None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGINT)


@asynccontextmanager
async def _purges_reach_servers(settings: Settings) -> AsyncIterator[None]:
    """Collect the cache purges the command's writes make (:mod:`gqlnews.cache.bus`); at its
    end, send them to the running servers (through Redis) and to the plugins'
    ``gqlnews_cache_purged`` hooks (a CDN), and say so on stderr (stdout is the command's
    answer, which scripts read)."""
    from gqlnews.cache import bus

    purged: set[str] = set()

    async def remember(keys: frozenset[str]) -> None:
        purged.update(keys)

    unlisten = bus.listen(remember)
    try:
        yield
    finally:
        unlisten()
        if purged:
            from gqlnews.cache.remote import purge_servers
            from gqlnews.plugins import call_each, make_plugin_manager

            typer.echo(await purge_servers(settings, purged), err=True)
            hooks = make_plugin_manager(settings)
            await call_each(hooks, "gqlnews_cache_purged", keys=sorted(purged), background=False)


def run_on_database(
    settings: Settings,
    work: Callable[[], Awaitable[T]],
    refused: tuple[type[Exception], ...] = (),
) -> T:
    """Run ``work`` on the database of ``settings`` (every enabled plugin's app loaded), once
    it answers and is up to date with the migrations. The one way a command (a plugin's
    included) opens the database (through :func:`command_database`): one that cannot be used, or is
    behind, ends the command with ``error:``/``fix:`` lines and exit code 2; the cache purges
    its writes make reach the running servers at its end. One of the ``refused`` exceptions
    (bad input) ends the command with its message and exit code 2; Ctrl-C with 130."""

    async def run() -> T:
        async with command_database(settings):
            return await work()

    try:
        return run_command(run())
    except refused as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
