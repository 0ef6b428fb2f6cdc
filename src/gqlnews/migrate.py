"""Schema migrations: which are pending, and applying them (Tortoise's built-in migrations).

The migration files live in ``gqlnews.migrations``; make new ones with
``python -m tortoise makemigrations`` after changing a model.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from gqlnews.db import APP_LABEL, MIGRATIONS_MODULE, connection


class PendingMigrations(RuntimeError):
    """The database is behind the code; the message says how to catch up."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(
            f"{len(names)} migration(s) pending: {', '.join(names)}. "
            "Run `gqlnews migrate` first (back up the database before an upgrade), "
            "or start with --allow-pending-migrations to serve anyway."
        )


def _executor(conn: BaseDBAsyncClient | None) -> MigrationExecutor:
    apps = {APP_LABEL: {"models": [], "migrations": MIGRATIONS_MODULE}}
    return MigrationExecutor(conn or connection(), apps)


async def pending(conn: BaseDBAsyncClient | None = None) -> list[str]:
    """Names of the migrations not yet applied, in the order they would run."""
    plan = await _executor(conn).plan()
    return [step.migration.name for step in plan if not step.backward]


async def applied(conn: BaseDBAsyncClient | None = None) -> list[str]:
    """Names of the migrations already applied."""
    executor = _executor(conn)
    keys = await executor.recorder.applied_migrations()
    return sorted(key.name for key in keys if key.app_label == APP_LABEL)


async def apply(conn: BaseDBAsyncClient | None = None, target: str | None = None) -> list[str]:
    """Apply pending migrations (up to ``target`` if given); the names of those applied."""
    executor = _executor(conn)
    targets = [MigrationTarget(APP_LABEL, target)] if target else None
    done: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            done.append(name)

    await executor.migrate(targets, progress=progress)
    return done
