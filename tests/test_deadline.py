"""The execution deadline (``GQLNEWS_REQUEST_TIMEOUT_MS``): a request still running then is
cancelled, with its awaiting SQL (on PostgreSQL the statement is cancelled on the server),
and answered 503 ``TIMEOUT``; a mutation cut short writes nothing; the response cache's
single flight lets waiting requests go and stores nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette
from tortoise import connections

from gqlnews.models import Article, ArticleRevision, ArticleSection, Section
from gqlnews.newsroom import revisions
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.account_factories import post, staff_token
from tests.cache_helpers import cached_app, client_of
from tests.helpers import (
    TEST_DATABASE_URL,
    run_gqlnews,
    scratch_database_url,
    stop_server,
    wait_until_ready,
)

TIMEOUT_MS = 300
ROOMY_MS = 3000
SLOW_PLUGIN = '''
import asyncio

import strawberry
from tortoise import connections

from gqlnews import hookimpl
from gqlnews.plugins.hookspecs import TypeExtension


@strawberry.type
class SlowFields:
    @strawberry.field
    async def slow(self, seconds: float) -> int:
        await asyncio.sleep(seconds)
        return 1

    @strawberry.field
    async def slow_sql(self, seconds: float, marker: str, rows: int = 0) -> int:
        """Sleeps in the database: pg_sleep on PostgreSQL, a counting loop of ``rows`` rows
        on SQLite (the test measures how many rows take ``seconds`` on this machine)."""
        conn = connections.get("default")
        if conn.capabilities.dialect == "postgres":
            await conn.execute_query(f"SELECT pg_sleep({seconds}) /* {marker} */")
        else:
            await conn.execute_query(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < {int(rows or seconds * 3_000_000)}) SELECT count(*) FROM n "
                f"/* {marker} */"
            )
        return 1


@hookimpl
def gqlnews_extend_types():
    return [TypeExtension("Query", SlowFields)]
'''


@pytest.fixture(scope="module")
def plugins_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("slow_plugin")
    (folder / "slow_fields.py").write_text(SLOW_PLUGIN, encoding="utf-8")
    return folder


@pytest.fixture
def slow_settings(settings: Settings, plugins_dir: Path) -> Settings:
    return dataclasses.replace(
        settings, request_timeout_ms=TIMEOUT_MS, plugins_dir=str(plugins_dir), cache=False
    )


@pytest_asyncio.fixture
async def slow_client(slow_settings: Settings, demo: object) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(slow_settings)
    async with client_of(app) as client:
        yield client


def assert_timeout(response: httpx.Response, limit_ms: int = TIMEOUT_MS) -> None:
    assert response.status_code == 503, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "TIMEOUT", error
    assert f"{limit_ms} ms" in error["message"]
    assert "no-store" in response.headers["cache-control"]


async def test_a_slow_resolver_is_cut_at_the_deadline(slow_client: httpx.AsyncClient) -> None:
    started = time.perf_counter()
    response = await slow_client.post("/graphql", json={"query": "{ slow(seconds: 30) }"})
    elapsed = time.perf_counter() - started
    assert_timeout(response)
    assert TIMEOUT_MS / 1000 <= elapsed < 5, elapsed


async def test_a_planned_document_is_cut_at_the_deadline(slow_client: httpx.AsyncClient) -> None:
    """A persisted document runs as a plan (docs/plans.md): the deadline cuts it the same."""
    query = "query SlowPlan { sections { slug } slow(seconds: 30) }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    apq = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    started = time.perf_counter()
    response = await slow_client.post("/graphql", json={"query": query, "extensions": apq})
    elapsed = time.perf_counter() - started
    assert_timeout(response)
    assert TIMEOUT_MS / 1000 <= elapsed < 5, elapsed


async def test_fast_requests_are_untouched(slow_settings: Settings, demo: object) -> None:
    """A request well inside its deadline answers as if there were none. The deadline is 5 s
    here (not the 300 ms of the other tests): a busy machine once stretched this 10 ms request
    past 300 ms."""
    app = create_app(dataclasses.replace(slow_settings, request_timeout_ms=5_000))
    async with client_of(app) as client:
        response = await client.post(
            "/graphql", json={"query": "{ slow(seconds: 0.01) sections { slug } }"}
        )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["slow"] == 1


async def test_a_timeout_from_inside_is_not_the_deadline(
    slow_settings: Settings, demo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TimeoutError raised by the work itself (a client library's own timeout) is an
    internal error of that field, not the request's deadline. The deadline is long here, so
    that a busy machine cannot make this request reach it."""
    from gqlnews.graphql.types import section

    def times_out(cls: type, model: object) -> object:
        raise TimeoutError("a library's own timeout")

    monkeypatch.setattr(section.Section, "from_model", classmethod(times_out))
    app = create_app(dataclasses.replace(slow_settings, request_timeout_ms=30_000))
    async with client_of(app) as client:
        response = await client.post("/graphql", json={"query": "{ sections { slug } }"})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


async def test_the_deadline_can_be_turned_off(settings: Settings, plugins_dir: Path) -> None:
    app = create_app(
        dataclasses.replace(settings, request_timeout_ms=0, plugins_dir=str(plugins_dir))
    )
    async with client_of(app) as client:
        response = await client.post("/graphql", json={"query": "{ slow(seconds: 0.5) }"})
    assert response.json() == {"data": {"slow": 1}}


async def _sqlite_rows_for(seconds: float) -> int:
    """How many rows SQLite's counting loop gets through in ``seconds`` here (at least 6
    million), measured on a loop of half a million."""
    conn = connections.get("default")
    sample = 500_000
    started = time.perf_counter()
    await conn.execute_query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        f"WHERE i < {sample}) SELECT count(*) FROM n"
    )
    rate = sample / max(time.perf_counter() - started, 1e-6)
    return max(6_000_000, int(rate * seconds))


async def test_slow_sql_is_cancelled(slow_settings: Settings, dialect: str, demo: object) -> None:
    """On PostgreSQL the running statement is cancelled on the server (asyncpg sends a cancel
    request when the query's coroutine is cancelled): it is gone from pg_stat_activity
    shortly after the answer. SQLite cannot stop a statement of its shared connection: the
    answer still comes at the deadline."""
    marker = f"deadline_{uuid.uuid4().hex}"
    seconds = 30 if dialect == "postgres" else 3
    # SQLite has no sleep: the loop is sized from this machine's speed right now, so that it
    # runs about ``seconds`` (a fixed size finished before the deadline on a fast moment).
    rows = await _sqlite_rows_for(seconds) if dialect != "postgres" else 0
    query = f'{{ slowSql(seconds: {seconds}, marker: "{marker}", rows: {rows}) }}'
    app = create_app(dataclasses.replace(slow_settings, request_timeout_ms=1000))
    async with client_of(app) as client:
        started = time.perf_counter()
        if dialect != "postgres":
            response = await client.post("/graphql", json={"query": query})
            assert_timeout(response, 1000)
            assert time.perf_counter() - started < seconds
            return
        admin = await asyncpg.connect(f"{_postgres_server()}/postgres")
        try:
            sent = asyncio.ensure_future(client.post("/graphql", json={"query": query}))
            seen = [await _running(admin, marker, wait=True)]
            response = await sent
            assert_timeout(response, 1000)
            assert time.perf_counter() - started < 10
            for _ in range(50):  # up to 5 s
                seen.append(await _running(admin, marker))
                if seen[-1] == 0:
                    break
                await asyncio.sleep(0.1)
            assert seen[0] == 1, "pg_sleep never ran"
            assert seen[-1] == 0, f"pg_sleep still runs on the server: {seen}"
        finally:
            await admin.close()
        # The pool's connections still work after the cancellation.
        after = await client.post("/graphql", json={"query": "{ sections { slug } }"})
        assert after.status_code == 200
        assert "errors" not in after.json()


def _postgres_server() -> str:
    server, _template = TEST_DATABASE_URL.rsplit("/", 1)
    return server.replace("postgres://", "postgresql://")


async def _running(admin: asyncpg.Connection, marker: str, wait: bool = False) -> int:
    """Statements holding ``marker`` running on the server (``wait``: up to 2 s for one)."""
    count = 0
    for _ in range(20 if wait else 1):
        count = int(
            await admin.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active'"
                " AND pid <> pg_backend_pid()",
                f"%{marker}%",
            )
        )
        if count:
            return count
        await asyncio.sleep(0.1)
    return count


CREATE = """mutation($input: ArticleCreateInput!) {
  articleCreate(input: $input) { article { id } errors { field code message } } }"""


@pytest_asyncio.fixture
async def roomy_client(slow_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests have :data:`ROOMY_MS` before their deadline."""
    app = create_app(dataclasses.replace(slow_settings, request_timeout_ms=ROOMY_MS))
    async with client_of(app) as client:
        yield client


async def test_a_mutation_cut_short_writes_nothing(
    roomy_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, demo: Any
) -> None:
    """The deadline falls inside the write's transaction, after the article and its links
    were inserted: the transaction is rolled back (Tortoise's in_transaction does on
    CancelledError), so no article, link or revision is left. (The write must reach its
    transaction's end before the deadline, on a loaded machine too: hence the roomy one.)"""
    _user, token = await staff_token()
    record = revisions.record
    reached = asyncio.Event()
    written: list[int] = []

    async def slow_record(article: Article, *args: Any, **kwargs: Any) -> Any:
        result = await record(article, *args, **kwargs)
        written.append(article.pk)
        reached.set()
        await asyncio.sleep(30)
        return result

    monkeypatch.setattr(revisions, "record", slow_record)
    title = f"Deadline {uuid.uuid4().hex[:8]}"
    section = await Section.filter(parent_id=None).order_by("id").first()
    assert section is not None
    variables = {"input": {"title": title, "body": "<p>x</p>", "primarySection": section.slug}}
    response = await post(roomy_client, CREATE, variables, token)
    assert reached.is_set(), response.text
    assert_timeout(response, ROOMY_MS)
    monkeypatch.setattr(revisions, "record", record)
    assert not await Article.filter(title=title).exists()
    assert not await Article.filter(id=written[0]).exists()
    assert not await ArticleRevision.filter(article_id=written[0]).exists()
    assert not await ArticleSection.filter(article_id=written[0]).exists()
    # The database takes writes again (the transaction and its lock are gone).
    again = await post(roomy_client, CREATE, variables, token)
    payload = again.json()["data"]["articleCreate"]
    assert payload["errors"] == [], payload
    assert await Article.filter(title=title).count() == 1


async def test_the_response_cache_lets_waiters_go_and_stores_nothing(
    settings: Settings, plugins_dir: Path, demo: object
) -> None:
    """Identical anonymous requests wait for the first one's answer (single flight): when it
    times out, they are let go (each runs, and times out, itself), and no answer is kept."""
    app: Starlette = cached_app(
        settings, request_timeout_ms=TIMEOUT_MS, plugins_dir=str(plugins_dir)
    )
    try:
        async with client_of(app) as client:
            params = {"query": "{ slow(seconds: 30) }"}
            started = time.perf_counter()
            answers = await asyncio.gather(
                *(client.get("/graphql", params=params) for _ in range(3))
            )
            elapsed = time.perf_counter() - started
            for response in answers:
                assert_timeout(response)
            assert elapsed < 10, elapsed
            # Nothing was stored: the next one runs (and times out) again.
            assert_timeout(await client.get("/graphql", params=params))
    finally:
        await app.state.cache.stop()


# --- /healthz under the heaviest allowed load, on a real server -------------------------------

FIELDS = "title subtitle excerpt body slug publishedAt wordCount"
HEAVIEST = (
    f"{{ articles(first: 20) {{ totalCount nodes {{ {FIELDS} tags {{ articles(first: 20) "
    f"{{ totalCount nodes {{ {FIELDS} }} }} }} }} }} }}"
)
"""About the costliest anonymous query the default cost limit allows (cost ~4,600 of 5,000):
20 articles, each tag of each with 20 articles of its own, bodies included (~1.8 MB)."""
TOO_COSTLY = (
    "{ articles(first: 100) { nodes { primarySection { articles(first: 100) { nodes { "
    "primarySection { articles(first: 100) { nodes { slug } } } } } } } } }"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _server(url: str, env: dict[str, str]) -> Iterator[int]:
    port = _free_port()
    command = Path(sys.executable).with_name("gqlnews")
    process = subprocess.Popen(
        [str(command), "--database-url", url, "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_ready(port)
        yield port
    finally:
        _out, err = stop_server(process, signal.SIGTERM)
        errors = [line for line in err.splitlines() if '"level":"error"' in line]
        assert not errors, errors


def _heavy_load(port: int, stop: threading.Event, answers: list[tuple[int, float]]) -> None:
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            started = time.perf_counter()
            response = client.post(f"http://127.0.0.1:{port}/graphql", json={"query": HEAVIEST})
            answers.append((response.status_code, time.perf_counter() - started))


@pytest.mark.alone
async def test_healthz_answers_quickly_while_8_heaviest_queries_run(demo: object) -> None:
    """The issue's bar: /healthz answers within 100 ms while 8 of the heaviest allowed
    anonymous queries run, on a real `gqlnews serve` (one process, response cache off so that
    every query runs, rate limit off). The median must be under 100 ms; the slowest answer
    gets a wide margin (a loaded 2-core machine). Run alone (`make pytest` runs it after the
    parallel suite): with another test process on the same two cores, the server gets about
    half a core and the median went past the bar (112 ms, where alone it is 4–14 ms)."""
    async with scratch_database_url() as url:
        done = run_gqlnews("--database-url", url, "demo", timeout=300)
        assert done.returncode == 0, done.stderr
        env = {"GQLNEWS_CACHE": "false", "GQLNEWS_RATE_LIMIT_PER_MINUTE": "0"}
        await asyncio.to_thread(_measure, url, env)


def _measure(url: str, env: dict[str, str]) -> None:
    with _server(url, env) as port:
        base = f"http://127.0.0.1:{port}"
        allowed = httpx.post(f"{base}/graphql", json={"query": HEAVIEST}, timeout=60).json()
        assert "errors" not in allowed, allowed["errors"]
        refused = httpx.post(f"{base}/graphql", json={"query": TOO_COSTLY}, timeout=60).json()
        assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
        stop, answers = threading.Event(), []  # type: ignore[var-annotated]
        workers = [
            threading.Thread(target=_heavy_load, args=(port, stop, answers)) for _ in range(8)
        ]
        for worker in workers:
            worker.start()
        latencies: list[float] = []
        try:
            time.sleep(1)  # all 8 are running
            with httpx.Client(timeout=10) as client:
                until = time.monotonic() + 6
                while time.monotonic() < until:
                    started = time.perf_counter()
                    assert client.get(f"{base}/healthz").status_code == 200
                    latencies.append((time.perf_counter() - started) * 1000)
                    time.sleep(0.05)
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=120)
        latencies.sort()
        median = statistics.median(latencies)
        print(
            f"/healthz under load: n={len(latencies)} median={median:.1f} ms "
            f"p90={latencies[int(len(latencies) * 0.9)]:.1f} ms max={latencies[-1]:.1f} ms; "
            f"heavy queries: n={len(answers)} statuses={sorted({a[0] for a in answers})} "
            f"median={statistics.median(a[1] for a in answers):.2f} s"
        )
        assert len(answers) >= 8
        assert {status for status, _ in answers} <= {200, 503}
        assert median < 100, latencies
        assert latencies[-1] < 1500, latencies
