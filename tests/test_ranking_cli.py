"""The ranking plugin as an operator meets it: ``gqlnews views import`` on the test archive
(exact, idempotent, live counts kept), and ``gqlnews serve`` counting views over HTTP, with
the plugin and without it. Real processes, on a database of the session's dialect."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from gqlnews.ids import encode_id
from gqlnews_ranking.history import SPREAD_DAYS, spread
from gqlnews_ranking.hours import hour_of
from tests.helpers import run_gqlnews, scratch_database_url, stop_server, wait_until_ready
from tests.test_archive_cli import query
from tests.test_archive_support import SAMPLE

CUTOFF = datetime(2025, 1, 1, tzinfo=UTC)
"""The archive's cut-off (docs: ../shared/datasets/FORMAT.md)."""


def sample_views() -> dict[str, tuple[int, datetime | None]]:
    """Views and publication time of each article of the sample, by uri."""
    found: dict[str, tuple[int, datetime | None]] = {}
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["type"] == "article":
                extension = record["ninjs"]["gqlnews"]
                published = extension["published_at"]
                moment = (
                    datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None
                )
                found[record["ninjs"]["uri"]] = (extension["views"], moment)
    return found


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def archive_url() -> AsyncIterator[str]:
    """A database of its own holding the sample archive (imported by `gqlnews import`)."""
    async with scratch_database_url() as url:
        done = run_gqlnews("--database-url", url, "import", "--progress", "off", str(SAMPLE))
        assert done.returncode == 0, done.stderr
        yield url


IMPORTED = """SELECT a.uri, b.hour, b.views FROM ranking_view_bucket b
  JOIN article a ON a.id = b.article_id WHERE b.origin = 'import' ORDER BY a.uri, b.hour"""


async def test_views_import_spreads_every_count_exactly_and_only_once(archive_url: str) -> None:
    views = sample_views()
    args = ("--database-url", archive_url, "views", "import", str(SAMPLE), "--cutoff", "2025-01-01")
    done = run_gqlnews(*args)
    assert done.returncode == 0, done.stderr
    total = sum(n for n, _ in views.values())
    assert f"{total} views of {len(views)} articles" in done.stdout
    rows = await query(archive_url, IMPORTED)
    by_uri: dict[str, list[tuple[int, int]]] = {}
    for uri, hour, count in rows:
        by_uri.setdefault(uri, []).append((int(hour), int(count)))
    assert set(by_uri) == {uri for uri, (n, _) in views.items() if n}
    for uri, buckets in by_uri.items():
        count, published = views[uri]
        assert published is not None
        assert sum(n for _, n in buckets) == count, uri
        assert buckets[0][0] == hour_of(published), "the first day starts at publication"
        assert all(hour < hour_of(CUTOFF) for hour, _ in buckets), "nothing after the cut-off"
        assert len(buckets) <= SPREAD_DAYS
    # a live read meanwhile, then the same import again: nothing doubles, the live read stays
    article_id = (await query(archive_url, "SELECT min(article_id) FROM ranking_view_bucket"))[0][0]
    await query(
        archive_url,
        "INSERT INTO ranking_view_bucket (article_id, hour, origin, views) "
        f"VALUES ({int(article_id)}, 480000, 'live', 3)",
    )
    again = run_gqlnews(*args)
    assert again.returncode == 0, again.stderr
    assert await query(archive_url, IMPORTED) == rows
    live = "SELECT article_id, hour, views FROM ranking_view_bucket WHERE hour = 480000"
    assert await query(archive_url, live) == [(article_id, 480000, 3)]


async def test_views_import_reports_bad_lines_and_unknown_articles(
    archive_url: str, tmp_path: Path
) -> None:
    uri = next(u for u, (n, published) in sample_views().items() if n and published)
    article = {"type": "article", "ninjs": {"uri": uri, "gqlnews": {"views": 12}}}
    stranger = {"type": "article", "ninjs": {"uri": "urn:elsewhere", "gqlnews": {"views": 5}}}
    negative = {"type": "article", "ninjs": {"uri": uri, "gqlnews": {"views": -1}}}
    file = tmp_path / "views.jsonl"
    lines = [json.dumps(stranger), "{not json", json.dumps(negative), json.dumps(article)]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_gqlnews("--database-url", archive_url, "views", "import", str(file))
    assert done.returncode == 1, done.stdout
    assert "failed: line 2: not JSON" in done.stderr
    assert "failed: line 3: gqlnews.views must be a whole number ≥ 0, got -1" in done.stderr
    assert "12 views of 1 articles" in done.stdout
    assert "1 articles are not in the database" in done.stdout
    rows = await query(
        archive_url,
        "SELECT sum(b.views) FROM ranking_view_bucket b JOIN article a ON a.id = b.article_id "
        f"WHERE b.origin = 'import' AND a.uri = '{uri}'",
    )
    assert int(rows[0][0]) == 12, "the article's imported views were replaced, not added"
    missing = run_gqlnews("--database-url", archive_url, "views", "import", str(tmp_path / "no"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


@pytest.mark.parametrize("views", [0, 1, 5, 127, 1000, 1_400_000])
def test_a_count_is_spread_over_a_week_halving_each_day(views: int) -> None:
    shares = spread(views, 1000, 10_000)
    assert sum(shares.values()) == views
    assert set(shares) <= {1000 + 24 * day for day in range(SPREAD_DAYS)}
    ordered = [shares.get(1000 + 24 * day, 0) for day in range(SPREAD_DAYS)]
    assert ordered == sorted(ordered, reverse=True)
    if views == 127:
        assert ordered == [64, 32, 16, 8, 4, 2, 1]


def test_a_count_published_just_before_the_cutoff_stays_before_it() -> None:
    assert spread(7, 1000, 1001) == {1000: 7}
    assert spread(30, 1000, 1000 + 24 + 1) == {1000: 20, 1024: 10}


@contextmanager
def served(url: str, port: int, **env: str) -> Iterator[subprocess.Popen[str]]:
    """``gqlnews serve`` on ``url``; stopped with SIGINT (a graceful shutdown) at the end."""
    command = Path(sys.executable).with_name("gqlnews")
    server = subprocess.Popen(
        [str(command), "--database-url", url, "serve", "--port", str(port)],
        env={**os.environ, "GQLNEWS_REDIS_URL": "", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_ready(port)
        yield server
    finally:
        _output, errors = stop_server(server)
        assert server.returncode == 0, errors
        assert "plugin 'ranking' failed" not in errors, errors


def post(port: int, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": document, "variables": variables or {}},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


HOUR = "{ mostRead(window: HOUR) { rank score article { id } } }"


async def test_a_served_app_counts_views_and_writes_them_all_by_shutdown(
    archive_url: str, unused_tcp_port: int
) -> None:
    row = await query(archive_url, "SELECT id FROM article WHERE status = 'published' LIMIT 1")
    article_id = int(row[0][0])
    global_id = encode_id("Article", article_id)
    record = "mutation($id: ID!) { recordView(articleId: $id) { articleId } }"
    live = (
        "SELECT sum(views) FROM ranking_view_bucket "
        f"WHERE origin = 'live' AND article_id = {article_id}"
    )
    before = int((await query(archive_url, live))[0][0] or 0)
    # The rankings' answers are not cached here (0 s), so the poll below sees the flush.
    with served(
        archive_url,
        unused_tcp_port,
        GQLNEWS_RANKING_FLUSH_SECONDS="0.2",
        GQLNEWS_RANKING_CACHE_SECONDS="0",
    ):
        for _ in range(5):
            assert post(unused_tcp_port, record, {"id": global_id})["data"]["recordView"]
        for _ in range(100):  # the background flusher writes them within a fraction of second
            ranked = post(unused_tcp_port, HOUR)["data"]["mostRead"]
            if ranked and ranked[0]["score"] == 5:
                break
            await asyncio.sleep(0.1)
        assert ranked == [{"rank": 1, "score": 5.0, "article": {"id": global_id}}]
        for _ in range(3):
            assert post(unused_tcp_port, record, {"id": global_id})["data"]["recordView"]
    assert int((await query(archive_url, live))[0][0]) == before + 8, "none lost at shutdown"


async def test_the_server_runs_without_the_ranking_plugin(
    archive_url: str, unused_tcp_port: int
) -> None:
    with served(archive_url, unused_tcp_port, GQLNEWS_DISABLED_PLUGINS="ranking"):
        body = post(unused_tcp_port, "{ rankingStrategies { name } mostRead { rank } }")
        assert body == {"data": {"rankingStrategies": [], "mostRead": []}}
        body = post(unused_tcp_port, '{ mostRead(strategy: "most-read") { rank } }')
        assert (
            body["errors"][0]["message"] == "unknown strategy 'most-read' (known: none installed)"
        )
        body = post(unused_tcp_port, 'mutation { recordView(articleId: "x") { hour } }')
        assert "Cannot query field 'recordView'" in body["errors"][0]["message"]
    done = run_gqlnews("views", "--help", env={"GQLNEWS_DISABLED_PLUGINS": "ranking"})
    assert done.returncode == 2 and "No such command 'views'" in done.stderr
