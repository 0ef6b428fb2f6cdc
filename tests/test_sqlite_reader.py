"""SQLite's reads in the event loop's thread (gqlnews.db_clients.sqlite_reader): which
statements take that way, what they see, what a slow one does, and that nothing else changes
(errors, transactions, the statements counted)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

import pytest
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from gqlnews.db_clients.sqlite import READ_BUDGET_MS, GqlnewsSqliteClient
from gqlnews.db_clients.sqlite_reader import Reader, in_memory
from gqlnews.models import Section
from gqlnews.newsroom import sections
from gqlnews.testing import count_queries
from tests.helpers import app_database, default_client, sqlite_only

SLOW = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
    "SELECT COUNT(*) AS c FROM n"
)
"""A read that runs for a few hundred milliseconds."""


def _client() -> GqlnewsSqliteClient:
    return default_client(GqlnewsSqliteClient)


def _reader() -> Reader:
    reader = _client()._reader
    assert reader is not None
    return reader


def _thread_way(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements that go to aiosqlite's thread (Tortoise's way) from now on."""
    sent: list[str] = []
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(SqliteClient, name)

        async def through(
            self: Any, query: str, values: Any = None, _original: Any = original
        ) -> Any:
            sent.append(query)
            return await _original(self, query, values)

        monkeypatch.setattr(SqliteClient, name, through)
    return sent


@sqlite_only
async def test_a_read_is_answered_in_this_thread_and_a_write_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with app_database():
        await sections.create({"name": "Monde"})
        sent = _thread_way(monkeypatch)
        rows = (await _client().execute_query('\n  SELECT "slug" FROM "section"'))[1]
        assert [row["slug"] for row in rows] == ["monde"]
        assert await _client().execute_query_dict('select "name" from "section"') == [
            {"name": "Monde"}
        ]
        assert [s.slug for s in await Section.all()] == ["monde"]  # Tortoise's own select
        assert sent == []
        writing = 'WITH x AS (SELECT 1) UPDATE "section" SET "name" = \'World\''
        await _client().execute_query(writing)
        assert sent == [writing]
        assert (await Section.get(slug="monde")).name == "World"  # and read back at once


@sqlite_only
async def test_a_read_in_a_transaction_sees_its_writes_and_one_outside_the_committed_state() -> (
    None
):
    async with app_database():
        await sections.create({"name": "Monde"})
        inside = asyncio.Event()
        done = asyncio.Event()

        async def write() -> None:
            async with in_transaction():
                await Section.create(name="Sport", slug="sport")
                assert await Section.all().count() == 2  # the transaction's connection
                inside.set()
                await done.wait()

        writer = asyncio.create_task(write())
        await inside.wait()
        # Outside the transaction: not blocked by it (the main connection is held until it
        # ends), and it does not see what it has not committed.
        assert await asyncio.wait_for(Section.all().count(), 5) == 1
        done.set()
        await writer
        assert await Section.all().count() == 2


@sqlite_only
async def test_a_slow_read_is_interrupted_sent_to_the_thread_and_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with app_database(options="?read_budget_ms=5"):
        sent = _thread_way(monkeypatch)
        assert await _client().execute_query_dict(SLOW) == [{"c": 3000000}]
        assert sent == [SLOW]
        assert _reader().slow == {SLOW}
        assert (await _client().execute_query(SLOW))[1][0]["c"] == 3000000
        assert sent == [SLOW, SLOW]
        # The next time it goes straight to the thread: the reader does not run it again.
        assert _reader().read(SLOW, None) is None
        fast = 'SELECT COUNT(*) AS n FROM "section"'
        assert (await _client().execute_query(fast))[1][0]["n"] == 0
        assert sent == [SLOW, SLOW]


@sqlite_only
async def test_a_statement_counts_once_whichever_way_it_goes() -> None:
    async with app_database(options="?read_budget_ms=5"):
        with count_queries() as log:
            await _client().execute_query('SELECT 1 AS one FROM "section"')
            await _client().execute_query(SLOW)  # interrupted, then sent to the thread
            await _client().execute_query(SLOW)  # straight to the thread
        assert log.count == 3


@sqlite_only
async def test_errors_are_the_usual_ones() -> None:
    async with app_database():
        with pytest.raises(OperationalError, match="no such table: nowhere"):
            await _client().execute_query("SELECT * FROM nowhere")
        with pytest.raises(OperationalError, match="no such column"):
            await _client().execute_query_dict("SELECT missing FROM section")
        assert _reader().slow == set()  # a failed read is not a slow one


def test_the_reader_refuses_writes_itself(tmp_path: Any) -> None:
    reader = Reader(str(tmp_path / "db.sqlite3"), 1.0)
    assert reader.read("SELECT 1 AS one", None) is not None
    assert reader.read("CREATE TABLE t (a INTEGER)", None) is None  # query_only
    assert reader.read("SELECT name FROM sqlite_master", None) == []
    reader.close()
    assert reader.read("SELECT 2", None) is not None  # opened again
    reader.close()


def test_a_database_that_cannot_be_opened_is_not_tried_again(tmp_path: Any) -> None:
    reader = Reader(str(tmp_path / "missing" / "db.sqlite3"), 1.0)
    assert reader.read("SELECT 1", None) is None
    assert reader.broken


@pytest.mark.parametrize(
    ("path", "memory"),
    [(":memory:", True), ("", True), ("file:x?mode=memory&cache=shared", True), ("/d/x.db", False)],
)
def test_a_database_in_memory_has_no_reader(path: str, memory: bool) -> None:
    assert in_memory(path) is memory
    assert (GqlnewsSqliteClient(path, connection_name="x")._reader is None) is memory


def test_the_budget_is_a_setting_of_the_url() -> None:
    assert READ_BUDGET_MS > 0
    client = GqlnewsSqliteClient("/d/x.db", connection_name="x", read_budget_ms="0.5")
    assert client._reader is not None and client._reader.budget == 0.0005
    assert "read_budget_ms" not in client.pragmas
    assert GqlnewsSqliteClient("/d/x.db", connection_name="x", read_budget_ms="0")._reader is None
    with pytest.raises(ValueError, match="read_budget_ms"):
        GqlnewsSqliteClient("/d/x.db", connection_name="x", read_budget_ms="-1")


def test_a_lock_is_never_waited_for_in_the_loop(tmp_path: Any) -> None:
    """In the old journal modes a read must wait while another connection writes: the reader
    does not (the event loop would stop with it), it hands the read back at once."""
    path = str(tmp_path / "db.sqlite3")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=DELETE")
    writer.execute("CREATE TABLE t (a INTEGER)")
    reader = Reader(path, 10.0)
    assert reader.read("SELECT COUNT(*) FROM t", None) is not None
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("INSERT INTO t VALUES (1)")
    started = time.monotonic()
    assert reader.read("SELECT COUNT(*) FROM t", None) is None
    assert time.monotonic() - started < 1  # not the writer's busy timeout, nor the budget
    assert reader.slow == set()
    writer.execute("COMMIT")
    assert [tuple(row) for row in reader.read("SELECT COUNT(*) FROM t", None) or []] == [(1,)]
    reader.close()
    writer.close()


def test_the_budget_counts_time_run_not_time_waited(tmp_path: Any) -> None:
    """Past the wall clock's deadline, a read that has not run its budget in this thread (it
    waited for the interpreter's lock, or for a core) goes on."""
    reader = Reader(str(tmp_path / "db.sqlite3"), 0.01)
    reader._deadline = time.perf_counter() - 1  # the wall clock is past it
    reader._started_cpu = time.thread_time()
    time.sleep(0.02)  # waiting: no CPU time
    assert not reader._over_budget()
    spent = time.thread_time()
    while time.thread_time() - spent < 0.02:  # running
        pass
    assert reader._over_budget()
