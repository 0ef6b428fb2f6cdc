"""The PostgreSQL pool does not reset a connection's session on every release (#18, item 4),
and nothing a transaction did reaches the next user of its connection.

asyncpg's default reset (``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``) ran
after nearly every statement; gqlnews's client gives the pool a hook that does nothing (see
:mod:`gqlnews.db_clients.asyncpg`). Each test opens a scratch database as the server does,
with a pool of one connection, so that every statement uses the same connection.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from gqlnews.models import Section
from gqlnews.newsroom import sections
from tests.helpers import app_database, postgres_only

ONE_CONNECTION = "?minsize=1&maxsize=1&read_connections=0"
"""One pooled connection, and no read lane (reads take the pool too)."""
RESET_STATEMENTS = ("RESET ALL", "CLOSE ALL", "UNLISTEN", "pg_advisory_unlock_all")


def _pool() -> Any:
    return connections.get("default")._pool


async def _let_loggers_run() -> None:
    """asyncpg calls its query loggers soon after a statement, not at once."""
    for _ in range(5):
        await asyncio.sleep(0)


@postgres_only
async def test_a_released_connection_is_not_reset() -> None:
    async with app_database(options=ONE_CONNECTION):
        await sections.create({"name": "Monde"})
        statements: list[str] = []

        def log(record: Any) -> None:
            statements.append(record.query)

        raw = await _pool().acquire()
        raw.add_query_logger(log)
        await _pool().release(raw)
        for _ in range(3):  # each read takes the connection from the pool and gives it back
            assert await Section.all().count() == 1
        async with in_transaction():
            await Section.filter(slug="monde").update(name="Le monde")
        await _let_loggers_run()
        raw = await _pool().acquire()
        raw.remove_query_logger(log)
        await _pool().release(raw)
        assert statements, "the logger saw no statement: is the pool's connection the same?"
        resets = [s for s in statements if any(r in s for r in RESET_STATEMENTS)]
        assert resets == [], resets


@postgres_only
async def test_a_transaction_leaves_nothing_to_the_next_user() -> None:
    async with app_database(statement_timeout=60_000, options=ONE_CONNECTION):
        conn = connections.get("default")
        async with in_transaction() as tx:
            await tx.execute_script("SET LOCAL statement_timeout = 0")
            _, rows = await tx.execute_query("SHOW statement_timeout")
            assert rows[0]["statement_timeout"] == "0"
        _, rows = await conn.execute_query("SHOW statement_timeout")
        assert rows[0]["statement_timeout"] == "1min"  # the startup setting is back

        with pytest.raises(Exception, match="division by zero"):
            async with in_transaction() as tx:
                await tx.execute_query("SELECT 1 / 0")
        assert await Section.all().count() == 0  # not "current transaction is aborted"

        # A connection given back in the middle of an aborted transaction (a bug elsewhere):
        # the pool rolls it back before anyone else gets it.
        raw = await _pool().acquire()
        await raw.execute("BEGIN")
        await raw.execute("SET LOCAL statement_timeout = 0")
        with pytest.raises(Exception, match="division by zero"):
            await raw.execute("SELECT 1 / 0")
        await _pool().release(raw)
        raw = await _pool().acquire()
        try:
            assert not raw.is_in_transaction()
            assert await raw.fetchval("SHOW statement_timeout") == "1min"
        finally:
            await _pool().release(raw)
        assert await Section.all().count() == 0
