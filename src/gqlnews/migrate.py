"""Schema migrations: which are pending, and applying them (Tortoise's built-in migrations).

The core's migration files live in ``gqlnews.migrations``; each plugin that owns models brings
its own app and migrations package (see :class:`gqlnews.db.ModelApp`). Make new ones with
``python -m tortoise makemigrations [LABEL]`` after changing a model. Core migrations are
named plainly (``0002_search``), a plugin's with its label (``ranking:0001_initial``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from gqlnews.db import APP_LABEL, MIGRATIONS_MODULE, ModelApp, connection


class PendingMigrations(RuntimeError):
    """The database is behind the code; the message says how to catch up."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(
            f"{len(names)} migration(s) pending: {', '.join(names)}. "
            "Run `gqlnews migrate` first (back up the database before an upgrade), "
            "or start with --allow-pending-migrations to serve anyway."
        )


def _display(app_label: str, name: str) -> str:
    return name if app_label == APP_LABEL else f"{app_label}:{name}"


def _executor(conn: BaseDBAsyncClient | None, apps: Sequence[ModelApp]) -> MigrationExecutor:
    config: dict[str, dict[str, Any]] = {APP_LABEL: {"models": [], "migrations": MIGRATIONS_MODULE}}
    for app in apps:
        config[app.label] = {"models": [], "migrations": app.migrations}
    return MigrationExecutor(conn or connection(), config)


async def pending(
    conn: BaseDBAsyncClient | None = None, apps: Sequence[ModelApp] = ()
) -> list[str]:
    """Names of the migrations not yet applied, in the order they would run."""
    plan = await _executor(conn, apps).plan()
    return [
        _display(step.migration.app_label, step.migration.name)
        for step in plan
        if not step.backward
    ]


async def applied(
    conn: BaseDBAsyncClient | None = None, apps: Sequence[ModelApp] = ()
) -> list[str]:
    """Names of the migrations already applied (of the core and of ``apps``)."""
    labels = {APP_LABEL, *(app.label for app in apps)}
    keys = await _executor(conn, apps).recorder.applied_migrations()
    return sorted(_display(key.app_label, key.name) for key in keys if key.app_label in labels)


async def apply(
    conn: BaseDBAsyncClient | None = None,
    target: str | None = None,
    apps: Sequence[ModelApp] = (),
) -> list[str]:
    """Apply pending migrations, the core's up to ``target`` if given (the plugins' apps are
    then left alone); the names of those applied."""
    executor = _executor(conn, apps)
    targets = [MigrationTarget(APP_LABEL, target)] if target else None
    done: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            done.append(_display(app_label, name))

    await executor.migrate(targets, progress=progress)
    return done
