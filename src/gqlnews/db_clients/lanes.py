"""Read lanes: a few PostgreSQL connections kept out of the pool for short reads.

Taking a connection from asyncpg's pool and giving it back around a statement costs about as
much of this process's CPU as the statement itself (a task for the release, the holder's
bookkeeping: bench/statement_cost.py). A read outside a transaction needs no particular
connection, so a lane keeps a few connections of its own and hands an idle one over with a
``list.pop``. A read never waits for a lane: when every lane connection is busy (or none is
open yet) it takes the pool as before. So a lane cannot deadlock anything: nothing that holds
a pool connection ever waits for a lane connection, and lane connections are never used by
transactions.

Lane connections come from a pool of their own, made with the main pool's settings
(``statement_timeout``, the server settings, the reset hook), opened in the background when a
read finds the lane short of its size. A connection whose statement failed in a way that may
have left it unusable (a lost connection, a cancelled statement, a client-side error) is
given back to that pool, which closes or cleans it, and the lane opens another later; a
server error (a syntax error, a statement timeout) leaves the connection usable and it stays.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import asyncpg  # type: ignore[import-untyped]

log = logging.getLogger("gqlnews.db_clients")

RETRY_SECONDS = 1.0
"""How long a lane waits after failing to open a connection before it tries again."""

CLOSE_SECONDS = 10.0
"""How long closing waits for the lane's connections before it terminates them."""


class Lane:
    """Up to ``size`` connections for reads, from ``pool`` (which has ``max_size`` ``size``).

    :meth:`take` and :meth:`give_back` are synchronous: the hot path does no awaiting of its
    own beyond the statement."""

    def __init__(self, pool: asyncpg.Pool, size: int) -> None:
        self.pool = pool
        self.size = size
        self.idle: list[Any] = []
        self.opened = 0
        """Connections open or being opened (idle, in use, or on their way)."""
        self.generation = 0
        self.closed = False
        self._born: dict[int, int] = {}
        """id of a connection → the generation it was opened in."""
        self._tasks: set[asyncio.Task[None]] = set()
        self._opening: set[asyncio.Task[None]] = set()
        self._failed_at = -RETRY_SECONDS

    def take(self) -> Any | None:
        """An idle connection, or None (the read then takes the pool). A lane short of its
        size starts opening one more."""
        if self.idle:
            return self.idle.pop()
        if (
            self.opened < self.size
            and not self.closed
            and time.monotonic() - self._failed_at >= RETRY_SECONDS
        ):
            self.opened += 1
            self._start(self._open(), self._opening)
        return None

    def give_back(self, connection: Any) -> None:
        """``connection`` is idle again (its statement succeeded or failed on the server)."""
        if self.closed or self._born.get(id(connection)) != self.generation:
            self.drop(connection)
        else:
            self.idle.append(connection)

    def drop(self, connection: Any) -> None:
        """``connection`` leaves the lane: the pool closes or cleans it (in the background,
        so that a cancelled caller does not wait)."""
        self._born.pop(id(connection), None)
        self.opened -= 1
        self._start(self._release(connection), self._tasks)

    async def expire(self) -> None:
        """The server dropped connections: every lane connection is replaced (idle ones
        now, busy ones when they come back)."""
        self.generation += 1
        idle, self.idle = self.idle, []
        for connection in idle:
            self.drop(connection)
        await self.pool.expire_connections()

    async def close(self) -> None:
        """Close every lane connection (waiting up to :data:`CLOSE_SECONDS` for busy ones)."""
        self.closed = True
        for task in self._opening:
            task.cancel()
        idle, self.idle = self.idle, []
        for connection in idle:
            self.drop(connection)
        if self._tasks or self._opening:
            await asyncio.gather(*self._tasks, *self._opening, return_exceptions=True)
        try:
            await asyncio.wait_for(self.pool.close(), CLOSE_SECONDS)
        except TimeoutError:
            self.pool.terminate()

    @staticmethod
    def _start(work: Any, tasks: set[asyncio.Task[None]]) -> None:
        task = asyncio.ensure_future(work)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def _open(self) -> None:
        generation = self.generation
        try:
            connection = await self.pool.acquire()
        except Exception as error:  # the server is away: the pool path reports it to reads
            self.opened -= 1
            self._failed_at = time.monotonic()
            log.debug("a read lane connection could not be opened: %r", error)
            return
        except BaseException:
            self.opened -= 1
            raise
        self._born[id(connection)] = generation
        self.give_back(connection)

    async def _release(self, connection: Any) -> None:
        try:
            await self.pool.release(connection)
        except Exception as error:  # a broken connection: end it
            log.debug("a read lane connection could not be released: %r", error)
            connection.terminate()
