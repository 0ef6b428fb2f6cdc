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
from gqlnews.db_clients.reads import is_read
from gqlnews.db_clients.sqlite_reader import Reader, in_memory
from gqlnews.db_clients.statement_log import StatementLog

BUSY_TIMEOUT_MS = 5000
"""How long a SQLite write waits for another connection's write lock, by default."""

READ_BUDGET_MS = 2.0
"""How long a read may run in the event loop's thread (:mod:`.sqlite_reader`) before it is
sent to aiosqlite's thread instead, unless the database URL sets ``read_budget_ms`` (0: every
statement goes to aiosqlite's thread, as Tortoise sends them)."""


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
        budget_ms = float(kwargs.pop("read_budget_ms", READ_BUDGET_MS))
        if not budget_ms >= 0:
            raise ValueError(f"read_budget_ms must be 0 or more, got {budget_ms}")
        kwargs.setdefault("busy_timeout", BUSY_TIMEOUT_MS)
        super().__init__(file_path, **kwargs)
        self.log = StatementLog(self.log)
        self._reader: Reader | None = None
        if budget_ms and not in_memory(file_path):
            self._reader = Reader(file_path, budget_ms / 1000)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        await super().close()

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(_ImmediateTransaction(self), self._lock)

    async def execute_insert(self, query: str, values: list[Any]) -> int:
        with _busy_is_unavailable():
            row_id: int = await super().execute_insert(query, values)
            return row_id

    async def execute_many(self, query: str, values: list[list[Any]]) -> None:
        with _busy_is_unavailable():
            await super().execute_many(query, values)

    def _read_here(self, query: str, values: list[Any] | None) -> list[Any] | None:
        """The rows of ``query`` read in this thread (:mod:`.sqlite_reader`), or None: not a
        read, no reader, or not answered there in its budget."""
        reader = self._reader
        if reader is None or not is_read(query):
            return None
        rows = reader.read(query.replace("\x00", "'||CHAR(0)||'"), values)
        if rows is not None:  # else the usual way logs it
            self.log.debug("%s: %s", query, values)  # what gqlnews.testing.count_queries counts
        return rows

    async def execute_query(
        self, query: str, values: list[Any] | None = None
    ) -> tuple[int, Sequence[dict[str, Any]]]:
        rows = self._read_here(query, values)
        if rows is not None:
            return len(rows), rows
        with _busy_is_unavailable():
            found: tuple[int, Sequence[dict[str, Any]]] = await super().execute_query(query, values)
            return found

    async def execute_query_dict(
        self, query: str, values: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        found = self._read_here(query, values)
        if found is not None:
            return list(map(dict, found))
        with _busy_is_unavailable():
            rows: list[dict[str, Any]] = await super().execute_query_dict(query, values)
            return rows
