"""Short SQLite reads in the event loop's own thread, on a read-only connection of their own.

Tortoise's SQLite client sends every statement to aiosqlite's thread and waits for its answer:
75–130 µs of this process's CPU per statement over SQLite's own work, for statements that
SQLite itself answers in 5–300 µs (bench/sqlite_reads.py). A page of a dozen statements spent
more time handing statements over than running them.

A :class:`Reader` runs a read right where it is asked for, on a connection of its own opened
read-only (``PRAGMA query_only``), in autocommit: each statement reads the last committed
state, as a read on the main connection outside a transaction does, and in WAL mode (the
default) writers do not wait for it, nor it for them. While it runs, the event loop waits,
so a read gets a budget: SQLite calls back every few thousand steps of its virtual machine,
and a read that has run for ``budget`` seconds is interrupted. The caller then sends it the
usual way (the thread), and the reader remembers the statement's text as slow, so that it
goes the usual way from then on without trying again. The loop therefore never stops for much
more than the budget, whatever the statement. The budget counts time run, not time waited:
once the wall clock has passed it, this thread's CPU time decides, so that a read held up
meanwhile (another thread had the interpreter's lock when SQLite called back, or another
process had the core) is not taken for a slow one.

A read that fails here for any other reason (an error in the statement, a database that
cannot be opened, a write that the ``query_only`` connection refused, a lock it would have to
wait for) is also sent the usual way, which gives the error it always gave; a connection that
could not be opened is not tried again. The reader never waits for a lock, since the event
loop would wait with it, and the writer holding the lock may be in this very loop: in WAL
mode (the default) a read needs no lock a writer holds, and in the old journal modes a read
during a write is busy at once and goes to aiosqlite's thread, which waits for the lock.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any

STEPS_PER_CHECK = 4000
"""SQLite's virtual machine steps between two looks at the clock (a few µs of work)."""

log = logging.getLogger("gqlnews.db_clients")

SLOW_REMEMBERED = 512
"""Statement texts remembered as slow, at most (the set starts again when full)."""


def in_memory(path: str) -> bool:
    """Whether SQLite ``path`` names a database in memory (which a second connection would not
    see: it would open a new, empty one)."""
    return path == ":memory:" or "mode=memory" in path or path == ""


class Reader:
    """A read-only connection to the SQLite file ``path`` for reads run in the caller's thread,
    each allowed ``budget`` seconds (see the module)."""

    def __init__(self, path: str, budget: float) -> None:
        self.path = path
        self.budget = budget
        self.broken = False
        self.slow: set[str] = set()
        self._connection: sqlite3.Connection | None = None
        self._deadline = 0.0
        self._started_cpu = 0.0

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, cached_statements=256
        )
        try:
            connection.row_factory = sqlite3.Row  # what Tortoise's rows are
            connection.execute("PRAGMA busy_timeout=0")  # busy: the thread's way waits
            connection.execute("PRAGMA query_only=ON")
            connection.set_progress_handler(self._over_budget, STEPS_PER_CHECK)
        except BaseException:
            connection.close()
            raise
        return connection

    def _over_budget(self) -> bool:
        return (
            time.perf_counter() > self._deadline  # cheap: almost always False
            and time.thread_time() - self._started_cpu > self.budget
        )

    def read(self, query: str, values: list[Any] | None) -> list[sqlite3.Row] | None:
        """The rows of ``query``, or None when it was not answered here (too slow, or it
        failed): the caller then sends it the usual way."""
        if self.broken or query in self.slow:
            return None
        connection = self._connection
        if connection is None:
            try:
                connection = self._connection = self._open()
            except sqlite3.Error:
                self.broken = True
                return None
        self._deadline = time.perf_counter() + self.budget
        self._started_cpu = time.thread_time()
        try:
            return connection.execute(query, values or ()).fetchall()
        except sqlite3.OperationalError as error:
            if str(error) == "interrupted":
                if len(self.slow) >= SLOW_REMEMBERED:
                    self.slow.clear()
                self.slow.add(query)
                log.info(
                    "a read ran past its %.1f ms in the event loop's thread: it goes to "
                    "aiosqlite's thread from now on: %.200s",
                    self.budget * 1000,
                    " ".join(query.split()),
                )
            return None
        except sqlite3.Error:
            return None

    def close(self) -> None:
        """Close the connection (a later read opens it again)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
