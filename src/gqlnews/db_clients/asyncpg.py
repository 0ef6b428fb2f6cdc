"""gqlnews's PostgreSQL client (Tortoise picks the migrations' schema editor by this module's
name).

Its pool does not reset a connection's session when the connection goes back to the pool.
asyncpg's default reset runs ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
RESET ALL`` after every release, that is after nearly every statement Tortoise runs outside a
transaction: a round trip and a statement of its own each time. gqlnews leaves no session state
behind: its advisory locks are transaction locks (``pg_advisory_xact_lock``), Tortoise declares
no cursors, nothing LISTENs on PostgreSQL and nothing runs a session-level ``SET`` (the
``statement_timeout`` of the server's connections is a startup setting, which ``RESET ALL``
would keep anyway). What a transaction leaves is still undone: asyncpg rolls back a connection
released inside a transaction (an aborted one too) before any reset hook, and ``SET LOCAL``
ends with its transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    NestedTransactionContext,
    TransactionalDBClient,
    TransactionContext,
    TransactionContextPooled,
)
from tortoise.connection import get_connections

from gqlnews.db_clients import DatabaseUnavailable, StatementTimeout
from gqlnews.db_clients.lanes import Lane
from gqlnews.db_clients.reads import is_read
from gqlnews.db_clients.statement_log import StatementLog

READ_CONNECTIONS = 4
"""Connections of a worker's read lane (:mod:`.lanes`) unless the database URL sets
``read_connections`` (0: none, every read takes the pool)."""


def _lost(error: BaseException) -> bool:
    """Whether ``error`` says the connection to the server is gone."""
    if isinstance(error, asyncpg.PostgresConnectionError | OSError):
        return True
    if isinstance(
        error,
        asyncpg.exceptions.AdminShutdownError
        | asyncpg.exceptions.CrashShutdownError
        | asyncpg.exceptions.CannotConnectNowError,
    ):
        return True
    if isinstance(error, asyncpg.exceptions._base.InternalClientError):
        return "another operation" in str(error)  # the protocol broke when the server left
    return isinstance(error, asyncpg.InterfaceError) and "closed" in str(error)


def _unavailable(error: BaseException) -> DatabaseUnavailable:
    return DatabaseUnavailable("the connection to the database was lost: retry the request")


async def _timeouts_reported(statement: Awaitable[Any]) -> Any:
    """``statement``'s result; one PostgreSQL cancelled at ``statement_timeout`` raises
    :class:`StatementTimeout`."""
    try:
        return await statement
    except asyncpg.QueryCanceledError as error:
        raise StatementTimeout() from error


class _Transaction(TransactionWrapper):
    """A transaction's connection: a lost connection or a timeout is reported, never retried."""

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(_Transaction(self))

    async def _translate_exceptions(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await _timeouts_reported(super()._translate_exceptions(func, *args, **kwargs))
        except Exception as error:
            if _lost(error):
                root: Any = self._parent
                while isinstance(root, TransactionWrapper):
                    root = root._parent
                await root._expire()
                raise _unavailable(error) from error
            raise


class _TransactionContext(TransactionContextPooled):
    """Tortoise's, except that a transaction that could not begin (its connection was lost)
    gives its connection back to the pool and resets the task's context (Tortoise's keeps
    both: a few lost connections would leave the pool empty for good)."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self.ensure_connection()
        pool = self.client._parent._pool
        self.client._connection = await pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            get_connections().reset(self.token)
            await pool.release(self.client._connection)
            raise
        return self.client


async def _keep_session(connection: asyncpg.Connection) -> None:
    """The pool's reset hook: nothing to reset (see the module; asyncpg has already rolled
    back an open transaction when it calls this)."""


class GqlnewsPostgresClient(AsyncpgDBClient):
    """Tortoise's asyncpg client that survives a restart of the server, does not reset
    connections going back to the pool (see the module) and sends short reads down a read
    lane (:mod:`.lanes`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        read_connections = int(kwargs.pop("read_connections", READ_CONNECTIONS))
        if read_connections < 0:
            raise ValueError(f"read_connections must be 0 or more, got {read_connections}")
        super().__init__(*args, **kwargs)
        self.log = StatementLog(self.log)
        self.read_connections = read_connections
        self._lane: Lane | None = None

    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        """Tortoise's pool, with :func:`_keep_session` as its reset hook; and the read lane's,
        made alike (it opens its connections when reads first come)."""
        kwargs.setdefault("reset", _keep_session)
        pool = await asyncpg.create_pool(None, **kwargs)
        if self.read_connections and self._lane is None:
            lane_pool = await asyncpg.create_pool(
                None, **{**kwargs, "min_size": 0, "max_size": self.read_connections}
            )
            self._lane = Lane(lane_pool, self.read_connections)
        return pool

    async def _close(self) -> None:
        lane, self._lane = self._lane, None
        if lane is not None:
            await lane.close()
        await super()._close()

    def connection_counts(self) -> tuple[int, int]:
        """(open, idle) connections of this worker: the pool's and the read lane's."""
        size = idle = 0
        if self._pool is not None:
            size, idle = self._pool.get_size(), self._pool.get_idle_size()
        if self._lane is not None:
            size, idle = size + self._lane.opened, idle + len(self._lane.idle)
        return size, idle

    def _in_transaction(self) -> TransactionContext:
        return _TransactionContext(_Transaction(self), self._pool_init_lock)

    async def _expire(self) -> None:
        """Close the pooled connections as they come back (they reconnect when next used),
        the read lane's too."""
        if self._lane is not None:
            await self._lane.expire()
        if self._pool is not None:
            await self._pool.expire_connections()

    async def execute_query(self, query: str, values: list[Any] | None = None) -> tuple[int, Any]:
        """A read the short way: an idle connection of the read lane, else a pooled
        connection around the statement, nothing else.

        Tortoise's way (its lock, its wrappers and ours around the statement) cost this
        process about 40 % more CPU than the statement itself on a request's small reads,
        and taking a pooled connection and giving it back about as much again
        (bench/statement_cost.py). A read that fails is sent again Tortoise's way, which
        translates the error and tries a lost connection once more (a read may be repeated);
        a statement cancelled at ``statement_timeout`` is reported at once. Writes, and
        anything before the pool exists, go Tortoise's way."""
        pool = self._pool
        if pool is None or not is_read(query):
            return await self._tortoise_way(query, values)
        self.log.debug("%s: %s", query, values)  # what gqlnews.testing.count_queries counts
        lane = self._lane
        connection = lane.take() if lane is not None else None
        if connection is not None:
            assert lane is not None
            try:
                rows = await connection.fetch(query, *(values or ()))
            except asyncpg.QueryCanceledError as error:
                lane.give_back(connection)
                raise StatementTimeout() from error
            except Exception as error:
                if _lost(error):
                    lane.drop(connection)
                    await self._expire()  # as Tortoise's way does: the others are as old
                elif isinstance(error, asyncpg.PostgresError):
                    lane.give_back(connection)  # the server refused the statement: still usable
                else:
                    lane.drop(connection)
                return await self._tortoise_way(query, values)
            except BaseException:  # cancelled: the pool waits for the server to stop
                lane.drop(connection)
                raise
            lane.give_back(connection)
            return len(rows), rows
        try:
            async with pool.acquire() as connection:
                rows = await connection.fetch(query, *(values or ()))
        except asyncpg.QueryCanceledError as error:
            raise StatementTimeout() from error
        except Exception:
            return await self._tortoise_way(query, values)
        return len(rows), rows

    async def _tortoise_way(self, query: str, values: list[Any] | None) -> tuple[int, Any]:
        answer: tuple[int, Any] = await super().execute_query(query, values)
        return answer

    async def _translate_exceptions(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await _timeouts_reported(super()._translate_exceptions(func, *args, **kwargs))
        except Exception as error:
            if not _lost(error):
                raise
            await self._expire()
            query = args[0] if args and isinstance(args[0], str) else ""
            if not is_read(query):
                raise _unavailable(error) from error
        try:
            return await _timeouts_reported(super()._translate_exceptions(func, *args, **kwargs))
        except Exception as error:
            if _lost(error):
                raise _unavailable(error) from error
            raise
