"""gqlnews's SQLite client (Tortoise picks the migrations' schema editor by this module's name)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tortoise.backends.base.client import TransactionalDBClient, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError, TransactionManagementError

from gqlnews.db_clients import DatabaseUnavailable

BUSY_TIMEOUT_MS = 5000
"""How long a SQLite write waits for another connection's write lock, by default."""


def _busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's "database is locked" (another connection kept the write
    lock past the busy timeout)."""
    return "locked" in str(error) or "busy" in str(error)


def _unavailable() -> DatabaseUnavailable:
    return DatabaseUnavailable("the database is busy with another write: retry in a moment")


@contextmanager
def _busy_is_unavailable() -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        if _busy(error):
            raise _unavailable() from error
        raise


class _ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _busy(error):
                raise _unavailable() from error
            raise TransactionManagementError(error) from error


class _TransactionContext(SqliteTransactionContext):
    """Tortoise's, except that a transaction that could not begin (the lock stayed busy)
    gives back the connection's lock and context (Tortoise's keeps both: every later
    transaction of the process would wait forever)."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return self.connection  # type: ignore[no-any-return]


class GqlnewsSqliteClient(SqliteClient):
    """Tortoise's SQLite client whose transactions take the write lock when they begin, and
    whose statements outside a transaction report a lock held too long as
    :class:`~gqlnews.db_clients.DatabaseUnavailable`."""

    def __init__(self, file_path: str, **kwargs: Any) -> None:
        kwargs.setdefault("busy_timeout", BUSY_TIMEOUT_MS)
        super().__init__(file_path, **kwargs)

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(_ImmediateTransaction(self), self._lock)

    async def execute_insert(self, query: str, values: list[Any]) -> int:
        with _busy_is_unavailable():
            row_id: int = await super().execute_insert(query, values)
            return row_id

    async def execute_many(self, query: str, values: list[list[Any]]) -> None:
        with _busy_is_unavailable():
            await super().execute_many(query, values)

    async def execute_query(
        self, query: str, values: list[Any] | None = None
    ) -> tuple[int, Sequence[dict[str, Any]]]:
        with _busy_is_unavailable():
            found: tuple[int, Sequence[dict[str, Any]]] = await super().execute_query(query, values)
            return found

    async def execute_query_dict(
        self, query: str, values: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        with _busy_is_unavailable():
            rows: list[dict[str, Any]] = await super().execute_query_dict(query, values)
            return rows
