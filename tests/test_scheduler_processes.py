"""Two server processes on one database: each due article is published exactly once, within a
few seconds of its time, and the scheduler stops cleanly with the server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import httpx

from tests.helpers import run_gqlnews, scratch_database_url, stop_server, wait_until_ready
from tests.test_plugin_host import write_plugin

ARTICLES = 12

SETUP = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import UTC, datetime, timedelta
    from gqlnews.db import open_database
    from gqlnews.models import Article, ArticleSection, ArticleStatus, Section

    async def main(url, count, delay):
        async with open_database(url):
            section = await Section.create(slug="monde", name="Monde")
            at = datetime.now(UTC) + timedelta(seconds=delay)
            for n in range(count):
                article = await Article.create(
                    slug=f"programme-{n}", title=f"Programmé {n}", primary_section=section,
                    status=ArticleStatus.SCHEDULED, published_at=at,
                )
                await ArticleSection.create(article=article, section=section, position=0)
        print(at.isoformat())

    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
    """
)

COUNT_EVENTS = textwrap.dedent(
    """
    import asyncio, json, sys
    from gqlnews.db import open_database
    from gqlnews.models import PublishEvent

    async def main(url):
        async with open_database(url):
            rows = await PublishEvent.all().values_list("article_id", "kind")
        print(json.dumps(rows))

    asyncio.run(main(sys.argv[1]))
    """
)

AFTER_PUBLISH_PLUGIN = """
    import json, os

    @hookimpl
    def gqlnews_after_publish(article):
        with open(os.environ["PUBLISHED_LOG"], "a") as log:
            log.write(json.dumps({"article": article.pk, "pid": os.getpid()}) + "\\n")
"""


def _python(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _serve(url: str, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    command = Path(sys.executable).with_name("gqlnews")
    return subprocess.Popen(
        [str(command), "--database-url", url, "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _visible(port: int) -> int:
    query = '{ articles(filter: {sections: ["monde"]}) { totalCount } }'
    body = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=5).json()
    return int(body["data"]["articles"]["totalCount"])


async def test_two_processes_publish_each_due_article_exactly_once(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    write_plugin(plugins, "publish_log", AFTER_PUBLISH_PLUGIN)
    log = tmp_path / "published.jsonl"
    env = {
        "GQLNEWS_SCHEDULER_INTERVAL": "1",
        "GQLNEWS_PLUGINS_DIR": str(plugins),
        "PUBLISHED_LOG": str(log),
        "GQLNEWS_RELATED_INDEX_INTERVAL": "0",
    }
    async with scratch_database_url() as url:
        migrated = run_gqlnews("--database-url", url, "migrate")
        assert migrated.returncode == 0, migrated.stderr
        servers = [_serve(url, port, env) for port in (8811, 8812)]
        try:
            for port in (8811, 8812):
                wait_until_ready(port)
            # Scheduled once both serve (their start-up time varies with the machine's load),
            # due a few seconds after the script wrote them.
            due_at = _python(SETUP, url, str(ARTICLES), "5").strip()
            assert _visible(8811) == 0, "nothing is public before its time"
            deadline = time.monotonic() + 30
            while _visible(8811) < ARTICLES and time.monotonic() < deadline:
                time.sleep(0.25)
            published_after = time.time()
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            outputs = [stop_server(server, None)[1] for server in servers]
        # uvicorn finishes its graceful shutdown, then re-raises SIGTERM (exit -15)
        assert all(server.returncode in (0, -signal.SIGTERM) for server in servers)
        assert all("Finished server process" in output for output in outputs), outputs
        errors = [line for out in outputs for line in out.splitlines() if '"level":"error"' in line]
        assert not errors, errors
        events = json.loads(_python(COUNT_EVENTS, url))
    assert _count(events) == {(pk, "published"): 1 for pk in range(1, ARTICLES + 1)}
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert sorted(c["article"] for c in calls) == list(range(1, ARTICLES + 1)), calls
    from datetime import datetime

    late = published_after - datetime.fromisoformat(due_at).timestamp()
    assert late < 10, f"published {late:.1f} s after the due time"


def _count(events: list[list[object]]) -> dict[tuple[int, str], int]:
    return dict(Counter((int(str(pk)), str(kind)) for pk, kind in events))
