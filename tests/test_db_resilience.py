"""The database under stress (#11, items 7 and 9): writes wait while another connection holds
the write lock; after PostgreSQL drops its connections (a restart), reads succeed and writes
succeed or fail with a retryable SERVICE_UNAVAILABLE, never an internal error; the server's
PostgreSQL connections carry a ``statement_timeout`` a little above the request deadline.

Each test opens its own scratch database with the app's configuration
(:func:`gqlnews.db.tortoise_config`, hence gqlnews's database clients).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import threading
import time
from typing import Any

import httpx
import pytest
from tortoise import connections
from tortoise.exceptions import OperationalError

from gqlnews.db import tortoise_config
from gqlnews.db_clients import DatabaseUnavailable, StatementTimeout
from gqlnews.db_clients.asyncpg import GqlnewsPostgresClient
from gqlnews.lifespan import statement_timeout_ms
from gqlnews.models import Section
from gqlnews.newsroom import print as printing
from gqlnews.newsroom import sections
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from tests.helpers import app_database, postgres_only, sqlite_only

HOLD = 1.0
"""Seconds another connection holds the write lock."""


def _pg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def _hold_write_lock(
    url: str, dialect: str, holding: asyncio.Event, hold: float = HOLD
) -> None:
    """Take the write lock of the database (SQLite) or of the tables the writes touch
    (PostgreSQL) from another connection, hold it for :data:`HOLD` seconds, then commit."""
    if dialect == "sqlite":
        taken = threading.Event()

        def keep() -> None:
            other = sqlite3.connect(url.removeprefix("sqlite://"), isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            taken.set()
            time.sleep(hold)
            other.execute("COMMIT")
            other.close()

        thread = asyncio.create_task(asyncio.to_thread(keep))
        while not taken.is_set():
            await asyncio.sleep(0.01)
        holding.set()
        await thread
        return
    import asyncpg  # type: ignore[import-untyped]

    other = await asyncpg.connect(_pg_dsn(url))
    try:
        async with other.transaction():
            await other.execute("LOCK TABLE section, edition, supplement IN EXCLUSIVE MODE")
            holding.set()
            await asyncio.sleep(hold)
    finally:
        await other.close()


async def test_writes_wait_while_another_connection_holds_the_write_lock(dialect: str) -> None:
    async with app_database() as url:
        section = await sections.create({"name": "Monde"})
        holding = asyncio.Event()
        holder = asyncio.create_task(_hold_write_lock(url, dialect, holding))
        await holding.wait()
        started = time.monotonic()
        results = await asyncio.gather(
            sections.update(section.pk, {"name": "Le monde"}),
            printing.create_edition({"number": 1, "date": dt.date(2150, 1, 1)}),
            printing.create_supplement({"title": "Spécial", "date": dt.date(2150, 1, 2)}),
            return_exceptions=True,
        )
        waited = time.monotonic() - started
        await holder
        assert [r for r in results if isinstance(r, BaseException)] == []
        assert waited >= HOLD / 2  # they waited for the lock instead of failing at once
        assert (await Section.get(id=section.pk)).name == "Le monde"


@sqlite_only
async def test_a_write_blocked_past_the_busy_timeout_asks_for_a_retry() -> None:
    async with app_database(options="?busy_timeout=200") as url:
        section = await sections.create({"name": "Monde"})
        holding = asyncio.Event()
        holder = asyncio.create_task(_hold_write_lock(url, "sqlite", holding, hold=2.0))
        await holding.wait()
        with pytest.raises(DatabaseUnavailable) as caught:
            await sections.update(section.pk, {"name": "Le monde"})
        assert caught.value.extensions == {"code": "SERVICE_UNAVAILABLE", "retryable": True}
        with pytest.raises(DatabaseUnavailable):  # a statement outside a transaction too
            await Section.filter(id=section.pk).update(name="Le monde")
        await holder
        assert (await Section.get(id=section.pk)).name == "Monde"  # nothing was written


async def terminate_others(url: str) -> int:
    """End every other backend on the database (what a restart does to the app's pool)."""
    import asyncpg

    database = url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(_pg_dsn(url.rsplit("/", 1)[0] + "/postgres"))
    try:
        rows = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            database,
        )
        return len(rows)
    finally:
        await admin.close()


async def _fill_pool() -> None:
    """Open several pooled connections (reads running at once)."""
    conn = connections.get("default")
    await asyncio.gather(*(conn.execute_query("SELECT pg_sleep(0.05)") for _ in range(5)))


@postgres_only
async def test_reads_after_the_connections_were_dropped_succeed() -> None:
    async with app_database() as url:
        await sections.create({"name": "Monde"})
        for _ in range(3):  # each round: every pooled connection dropped, then reads
            await _fill_pool()
            assert await terminate_others(url) >= 1
            counts = await asyncio.gather(*(Section.all().count() for _ in range(8)))
            assert counts == [1] * 8
            assert [s.slug for s in await Section.all()] == ["monde"]


@postgres_only
async def test_writes_after_the_connections_were_dropped_succeed_or_ask_for_a_retry() -> None:
    async with app_database() as url:
        written = 0
        for round_ in range(4):  # more rounds than the pool has connections: none may leak
            await _fill_pool()
            assert await terminate_others(url) >= 1
            results: list[Any] = await asyncio.gather(
                *(sections.create({"name": f"Rubrique {round_} {n}"}) for n in range(6)),
                return_exceptions=True,
            )
            for result in results:
                if isinstance(result, BaseException):
                    assert isinstance(result, DatabaseUnavailable), repr(result)
                    assert result.extensions == {"code": "SERVICE_UNAVAILABLE", "retryable": True}
            written += sum(not isinstance(r, BaseException) for r in results)
            assert await Section.all().count() == written  # a refused write left nothing
        after = await asyncio.wait_for(sections.create({"name": "Après"}), timeout=30)
        assert after.slug == "apres"  # the pool recovered


@postgres_only
async def test_server_connections_have_a_statement_timeout() -> None:
    settings = Settings(request_timeout_ms=400)
    timeout = statement_timeout_ms(settings)
    assert timeout is not None and timeout > settings.request_timeout_ms
    async with app_database(statement_timeout=timeout):
        conn = connections.get("default")
        _, rows = await conn.execute_query("SHOW statement_timeout")
        assert rows[0]["statement_timeout"] == f"{timeout}ms"
        with pytest.raises(StatementTimeout) as caught:
            await conn.execute_query("SELECT pg_sleep(5)")
        assert caught.value.extensions == {"code": "TIMEOUT"}
    async with app_database():  # as commands open it (gqlnews import…): no limit
        _, rows = await connections.get("default").execute_query("SHOW statement_timeout")
        assert rows[0]["statement_timeout"] == "0"


@postgres_only
async def test_reads_take_the_short_way_and_fail_as_tortoise_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read runs on a pooled connection without Tortoise's wrappers, and is still counted;
    one that fails is sent again Tortoise's way, whose error it gets; a write goes
    Tortoise's way."""
    async with app_database():
        conn = connections.get("default")
        assert isinstance(conn, GqlnewsPostgresClient)
        tortoise_way: list[str] = []
        original = GqlnewsPostgresClient._tortoise_way

        async def spied(self: GqlnewsPostgresClient, query: str, values: Any) -> Any:
            tortoise_way.append(query)
            return await original(self, query, values)

        monkeypatch.setattr(GqlnewsPostgresClient, "_tortoise_way", spied)
        with count_queries() as log:
            count, rows = await conn.execute_query("SELECT $1::int AS n", [7])
        assert (count, rows[0]["n"]) == (1, 7)
        assert log.statements == ["SELECT $1::int AS n"]
        assert tortoise_way == []
        with pytest.raises(OperationalError):  # asyncpg's DataError, as Tortoise translates it
            await conn.execute_query("SELECT $1::int AS n", ["seven"])
        assert tortoise_way == ["SELECT $1::int AS n"]
        await sections.create({"name": "Monde"})  # in a transaction: Tortoise's client
        update = 'UPDATE "section" SET "name" = $1'
        assert await conn.execute_query(update, ["Le monde"]) == (1, [])
        assert tortoise_way[-1] == update
        assert [s.name for s in await Section.all()] == ["Le monde"]


def test_the_statement_timeout_follows_the_request_deadline() -> None:
    assert statement_timeout_ms(Settings(request_timeout_ms=5000)) == 6000
    assert (
        tortoise_config("sqlite://x.db", statement_timeout_ms=6000)["connections"]["default"][
            "credentials"
        ].get("server_settings")
        is None
    )


@postgres_only
async def test_a_served_app_answers_after_its_connections_were_dropped() -> None:
    """Through the real lifespan and HTTP: the server's connections carry the statement
    timeout, and anonymous reads right after every connection was dropped answer without
    errors (the issue saw several INTERNAL_SERVER_ERROR answers here)."""
    async with app_database() as url:
        await sections.create({"name": "Monde"})
        settings = Settings(
            database_url=url, request_timeout_ms=3000, cache=False, scheduler_interval=0
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                _, rows = await connections.get("default").execute_query("SHOW statement_timeout")
                assert rows[0]["statement_timeout"] == "4s"
                query = {"query": "{ sections { slug } }"}
                for _ in range(3):
                    await asyncio.gather(*(http.post("/graphql", json=query) for _ in range(5)))
                    assert await terminate_others(url) >= 1
                    answers = await asyncio.gather(
                        *(http.post("/graphql", json=query) for _ in range(8))
                    )
                    for answer in answers:
                        assert answer.status_code == 200, answer.text
                        assert answer.json() == {"data": {"sections": [{"slug": "monde"}]}}
