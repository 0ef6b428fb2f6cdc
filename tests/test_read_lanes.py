"""The PostgreSQL read lane (:mod:`gqlnews.db_clients.lanes`): short reads run on a few
connections of its own, without taking a connection from the pool and giving it back; a read
never waits for the lane; a failed, cancelled or lost statement does not leave a broken
connection in it; ``read_connections`` in the database URL sizes it (0: none).

The PostgreSQL tests open a scratch database as the server does; the last test needs no
server (a lane whose server refuses connections).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
from tortoise.exceptions import OperationalError

from gqlnews.db_clients import StatementTimeout
from gqlnews.db_clients.asyncpg import READ_CONNECTIONS, GqlnewsPostgresClient
from gqlnews.db_clients.lanes import Lane
from gqlnews.db_clients.reads import is_read
from gqlnews.models import Section
from gqlnews.newsroom import sections
from gqlnews.observability.endpoint import observe_pool
from gqlnews.observability.metrics import DB_POOL_SIZE
from tests.helpers import app_database, default_client, postgres_only
from tests.test_db_resilience import terminate_others


def _client() -> GqlnewsPostgresClient:
    return default_client(GqlnewsPostgresClient)


def _lane() -> Lane:
    lane = _client()._lane
    assert lane is not None
    return lane


async def _until(condition: Any, seconds: float = 5.0) -> None:
    """Wait (a few loop turns at a time) until ``condition()`` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.01)


async def _warm(size: int) -> None:
    """Reads side by side until the lane has opened ``size`` connections."""
    for _ in range(50):
        await asyncio.gather(*(Section.all().count() for _ in range(size)))
        if len(_lane().idle) == size:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the lane opened {len(_lane().idle)} of {size} connections")


def _pool_taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each time a connection is taken from the client's pool (not the lane's)."""
    taken: list[str] = []
    pool = _client()._pool
    original = asyncpg.Pool.acquire

    def acquire(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self is pool:
            taken.append("pool")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Pool, "acquire", acquire)
    return taken


@postgres_only
async def test_reads_run_on_the_lane_without_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    async with app_database(options="?read_connections=2"):
        await sections.create({"name": "Monde"})
        lane = _lane()
        assert (lane.size, lane.pool.get_max_size()) == (2, 2)
        await _warm(2)
        taken = _pool_taken(monkeypatch)
        for _ in range(10):
            assert [s.slug for s in await Section.all()] == ["monde"]
        assert taken == []  # every read ran on an idle lane connection
        # more reads at once than the lane has connections: the rest take the pool, and
        # nobody waits for the lane
        sleeps = [_client().execute_query("SELECT pg_sleep(0.2)") for _ in range(5)]
        started = time.monotonic()
        await asyncio.gather(*sleeps)
        assert time.monotonic() - started < 0.9  # side by side, not two at a time
        assert len(taken) == 3
        assert (lane.opened, len(lane.idle)) == (2, 2)


@postgres_only
async def test_the_lane_counts_and_is_counted() -> None:
    """Reads on the lane are logged as statements (SQL counts see them) and /metrics counts
    the lane's connections with the pool's."""
    from gqlnews.testing import count_queries

    async with app_database(options="?minsize=1&maxsize=3&read_connections=2"):
        await _warm(2)
        with count_queries() as log:
            await Section.all().count()
        assert len(log.statements) == 1
        size, idle = _client().connection_counts()
        assert size == _client()._pool.get_size() + 2
        assert idle == _client()._pool.get_idle_size() + 2
        observe_pool(_client())
        assert DB_POOL_SIZE.labels("idle")._value.get() == idle
        assert DB_POOL_SIZE.labels("busy")._value.get() == size - idle


@postgres_only
async def test_a_refused_statement_keeps_its_connection_and_fails_as_tortoise_reports() -> None:
    async with app_database(statement_timeout=300, options="?read_connections=1"):
        await _warm(1)
        lane = _lane()
        connection = lane.idle[0]
        with pytest.raises(OperationalError, match="division by zero"):
            await _client().execute_query("SELECT 1 / 0")
        with pytest.raises(StatementTimeout):
            await _client().execute_query("SELECT pg_sleep(2)")
        assert lane.idle == [connection]  # the server refused them: the connection is fine
        _, rows = await _client().execute_query("SELECT 1 AS n")
        assert rows[0]["n"] == 1
        with pytest.raises(OperationalError):  # a value the driver refuses to encode
            await _client().execute_query("SELECT $1::int AS n", ["seven"])
        assert lane.idle == [connection]
        # a misuse of the driver itself: the connection leaves (the pool cleans it)
        with pytest.raises(asyncpg.InterfaceError, match="argument"):
            await _client().execute_query("SELECT $1::int AS n", [1, 2])
        assert connection not in lane.idle
        await _warm(1)
        assert lane.opened == 1


@postgres_only
async def test_a_cancelled_read_stops_on_the_server_and_the_lane_recovers() -> None:
    async with app_database(options="?read_connections=1") as url:
        await _warm(1)
        lane = _lane()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(_client().execute_query("SELECT pg_sleep(30)"), 0.2)
        assert (lane.opened, lane.idle) == (0, [])  # dropped: the pool cleans it up
        admin = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:

            async def sleeping() -> int:
                return int(
                    await admin.fetchval(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'"
                    )
                )

            deadline = time.monotonic() + 5
            while await sleeping():
                assert time.monotonic() < deadline, "the cancelled statement still runs"
                await asyncio.sleep(0.05)
        finally:
            await admin.close()
        await _warm(1)
        _, rows = await _client().execute_query("SELECT 2 AS n")
        assert rows[0]["n"] == 2


@postgres_only
async def test_reads_on_the_lane_survive_a_restart_of_the_server() -> None:
    async with app_database(options="?read_connections=2") as url:
        await sections.create({"name": "Monde"})
        for _ in range(3):
            await _warm(2)
            assert await terminate_others(url) >= 2
            counts = await asyncio.gather(*(Section.all().count() for _ in range(6)))
            assert counts == [1] * 6  # re-sent Tortoise's way on a fresh connection
        await _warm(2)  # the lane opened new connections
        assert await Section.all().count() == 1


@postgres_only
async def test_without_read_connections_there_is_no_lane(monkeypatch: pytest.MonkeyPatch) -> None:
    async with app_database(options="?read_connections=0"):
        assert _client()._lane is None
        taken = _pool_taken(monkeypatch)
        assert await Section.all().count() == 0
        assert taken == ["pool"]
    async with app_database():
        assert _lane().size == READ_CONNECTIONS
    with pytest.raises(ValueError, match="read_connections"):
        GqlnewsPostgresClient(connection_name="x", read_connections="-1")


@postgres_only
async def test_closing_waits_for_a_busy_lane_connection() -> None:
    async with app_database(options="?read_connections=1"):
        await _warm(1)
        lane = _lane()
        reading = asyncio.ensure_future(_client().execute_query("SELECT pg_sleep(0.3), 1 AS n"))
        await _until(lambda: not lane.idle)
        await _client().close()  # the app's shutdown
        _, rows = await reading
        assert rows[0]["n"] == 1  # the read finished before its connection closed
        assert lane.closed and lane.idle == [] and lane.pool._closed


async def test_a_lane_that_cannot_connect_waits_before_trying_again() -> None:
    pool = await asyncpg.create_pool(
        host="127.0.0.1", port=1, min_size=0, max_size=2, timeout=2
    )  # nothing listens on port 1: every connection is refused at once
    lane = Lane(pool, 2)
    try:
        assert lane.take() is None and lane.opened == 1  # one opening
        await _until(lambda: lane.opened == 0)  # refused
        assert lane.take() is None and lane.opened == 0  # not again at once
        lane._failed_at -= 2  # a second later
        assert lane.take() is None and lane.opened == 1
        await _until(lambda: lane.opened == 0)
    finally:
        await lane.close()


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ('SELECT "id" FROM "section"', True),
        ("\n    SELECT id FROM section", True),  # indented, as a plugin's statement may be
        ("select 1", True),
        ("  with t AS (SELECT 1) SELECT * FROM t", True),
        ("SHOW statement_timeout", True),
        ('SELECT "deleted_at", "updated_at" FROM "article"', True),
        ("WITH gone AS (DELETE FROM t WHERE id = 1 RETURNING id) SELECT * FROM gone", False),
        ("\n WITH n AS (INSERT INTO t VALUES (1) RETURNING id) SELECT * FROM n", False),
        ("with u as (update t set a = 1 returning a) select a from u", False),
        ("WITH n AS (SELECT 1 AS a) REPLACE INTO t (a) SELECT a FROM n", False),  # SQLite's
        ('INSERT INTO "section" ("slug") VALUES ($1)', False),
        ("  DELETE FROM t", False),
        ("", False),
    ],
)
def test_what_is_a_read(query: str, read: bool) -> None:
    """Reads may take the lane and be sent again after a lost connection; a statement that
    writes, a data-modifying WITH included, never."""
    assert is_read(query) is read


@postgres_only
async def test_an_indented_read_takes_the_lane_and_a_writing_with_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with app_database(options="?read_connections=2"):
        await sections.create({"name": "Monde"})
        await _warm(2)
        taken = _pool_taken(monkeypatch)
        rows = (await _client().execute_query("\n  SELECT slug FROM section"))[1]
        assert [row["slug"] for row in rows] == ["monde"]
        assert taken == []
        writing = "WITH gone AS (DELETE FROM section RETURNING slug) SELECT slug FROM gone"
        rows = (await _client().execute_query(writing))[1]
        assert [row["slug"] for row in rows] == ["monde"]
        assert taken == ["pool"]  # Tortoise's way, not the lane
        assert await Section.all().count() == 0
