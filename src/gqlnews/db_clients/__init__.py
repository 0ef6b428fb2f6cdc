"""The Tortoise database clients of gqlnews (the engine :func:`gqlnews.db.tortoise_config` names).

They are Tortoise's own, with what a server under load and a database that restarts need:

- **SQLite:** a transaction takes the write lock when it begins (``BEGIN IMMEDIATE``), waiting
  up to the busy timeout (``PRAGMA busy_timeout``, 5 s unless the URL sets ``busy_timeout``)
  while another connection (another process, a command) writes. A deferred ``BEGIN`` that
  reads first and writes later cannot wait: SQLite answers "database is locked" at once,
  since its snapshot would be stale. Still locked after the timeout:
  :class:`DatabaseUnavailable`. A read outside a transaction (see :mod:`.reads`) runs in
  the event loop's thread on a read-only connection of its own, within a time budget
  (:mod:`.sqlite_reader`; ``read_budget_ms`` in the URL, 0: off); one that runs past it, or
  fails, is sent Tortoise's way (aiosqlite's thread), which gives the error it always gave.
- **PostgreSQL:** a connection lost under a statement (the server restarted, an
  administrator ended the backend) closes every pooled connection of the same age (the pool
  reconnects on the next use); a read outside a transaction is then tried once more on a
  fresh connection, and anything else (a write, anything in a transaction, a second loss)
  fails with :class:`DatabaseUnavailable`, which a client may retry. A statement
  cancelled by ``statement_timeout`` fails with :class:`StatementTimeout`.
  Nothing is checked when a connection is taken from the pool: the hot path costs nothing.
  A read outside a transaction takes the short way, without Tortoise's wrappers: an idle
  connection of the worker's read lane (:mod:`.lanes`; ``read_connections`` in the URL, 4 by
  default), else a pooled connection around the statement. If it fails, it is sent again
  Tortoise's way, so its error (and a lost connection's second try) is what Tortoise's way
  gives. A read is a statement whose first word (whatever its case and the blanks before
  it) is ``SELECT``, ``WITH`` or ``SHOW``, unless it is a ``WITH`` that names a write (a
  data-modifying CTE): that one is a write (:func:`.reads.is_read`).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from gqlnews.errors import SERVICE_UNAVAILABLE, TIMEOUT


class DatabaseUnavailable(GraphQLError):
    """The database could not be reached or stayed busy; the request may be retried
    (``extensions.code`` SERVICE_UNAVAILABLE, never masked: it is not a bug to hide)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": SERVICE_UNAVAILABLE, "retryable": True})


class StatementTimeout(GraphQLError):
    """PostgreSQL cancelled a statement that ran past ``statement_timeout`` (code TIMEOUT)."""

    def __init__(self) -> None:
        super().__init__(
            "the request took too long and was cancelled: ask for less (a smaller page, fewer "
            "nested lists)",
            extensions={"code": TIMEOUT},
        )


def get_client_class(db_info: dict[str, Any]) -> type[Any]:
    """Tortoise's hook: the client class for a connection's settings."""
    if "file_path" in db_info.get("credentials", {}):
        from gqlnews.db_clients.sqlite import GqlnewsSqliteClient

        return GqlnewsSqliteClient
    from gqlnews.db_clients.asyncpg import GqlnewsPostgresClient

    return GqlnewsPostgresClient
