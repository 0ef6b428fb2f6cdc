"""The response cache across processes: two real `gqlnews serve` processes on one database and
one Redis. A write in one purges the other's answers within a second; an answer one computed
is a hit in the other (the Redis tier); with Redis gone, answers live the degraded lifetime,
never stale for long, and the tier is shared again once Redis is back.

Each test starts its own Redis server on a free port (the machine's `redis-server`), so that
stopping it touches no other test; the database is a scratch one of the run's kind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson

from tests.helpers import (
    newsroom_with_editor,
    run_gqlnews,
    scratch_database_url,
    stop_server,
    wait_until_ready,
)

ARTICLE = "query Page($slug: String!) { article(slug: $slug) { slug title } }"
FRONT = "query Front { articles(first: 50) { nodes { slug } } }"
MOVE = """mutation($id: ID!, $v: Int!) { %s(id: $id, version: $v) {
  article { version } errors { code message } } }"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _redis(port: int) -> Iterator[subprocess.Popen[bytes]]:
    server = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--bind",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def _servers(
    url: str, env: dict[str, str], count: int = 2, redis_may_fail: bool = False
) -> Iterator[list[int]]:
    """Start ``count`` servers; at the end, no error in their logs (but Redis being refused
    when ``redis_may_fail``: announcing an event then fails, and says so)."""
    command = Path(sys.executable).with_name("gqlnews")
    ports = [_free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(
            [str(command), "--database-url", url, "serve", "--port", str(port)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_until_ready(port)
        yield ports
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            _out, err = stop_server(process, None)
            errors = [line for line in err.splitlines() if '"level":"error"' in line]
            if redis_may_fail:
                errors = [line for line in errors if "Connection refused" not in line]
            assert not errors, errors


def _get(port: int, query: str, **variables: Any) -> dict[str, Any]:
    params = {"query": query, "variables": orjson.dumps(variables).decode()}
    answer = httpx.get(f"http://127.0.0.1:{port}/graphql", params=params, timeout=10)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert "errors" not in body, body
    return body


def _act(port: int, token: str, query: str, **variables: Any) -> dict[str, Any]:
    answer = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    payload: dict[str, Any] = next(iter(answer["data"].values()))
    assert payload["errors"] == [], payload
    return payload


def _until(check: Any, within: float) -> float:
    """Seconds until ``check()`` held (asserting it did within ``within`` seconds)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < within, f"not within {within} s"
        time.sleep(0.02)
    return time.monotonic() - started


def _newsroom(url: str) -> str:
    """Load the demo into ``url``; an editor's token."""
    return newsroom_with_editor(url, "demo")


def _article(port: int) -> dict[str, Any]:
    """A public article of the demo that another article suggests (``related``), with what a
    reader finds it by: its slug, its primary section, a word of its title, that host."""
    query = """{ articles(first: 50) { nodes {
      id slug version title primarySection { slug }
      related(first: 4) { article { slug } } } } }"""
    answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=30)
    nodes: list[dict[str, Any]] = answer.json()["data"]["articles"]["nodes"]
    suggested = {
        pick["article"]["slug"]: node["slug"] for node in nodes for pick in node["related"]
    }
    chosen = next(node for node in nodes if node["slug"] in suggested)
    word = max(re.findall(r"[a-z]{5,}", chosen["title"].lower()), key=len)
    return {
        **chosen,
        "section": chosen["primarySection"]["slug"],
        "word": word,
        "host": suggested[chosen["slug"]],
    }


READER_PAGES = """query Reader($slug: String!, $section: String!, $word: String!, $host: String!) {
  front: articles(first: 50) { nodes { slug } }
  page: article(slug: $slug) { slug }
  section(slug: $section) { articles(first: 50) { nodes { slug } } }
  search(query: $word, first: 50) { nodes { slug } }
  host: article(slug: $host) { related(first: 20) { article { slug } } }
}"""


def _seen(port: int, article: dict[str, Any]) -> list[bool]:
    """Where a reader of ``port`` sees the article: front page, its page, its section's front,
    a search for a word of its title, the articles suggested beside another."""
    variables = {k: article[k] for k in ("slug", "section", "word", "host")}
    data = _get(port, READER_PAGES, **variables)["data"]
    slug = article["slug"]
    return [
        any(node["slug"] == slug for node in data["front"]["nodes"]),
        data["page"] is not None,
        any(node["slug"] == slug for node in data["section"]["articles"]["nodes"]),
        any(node["slug"] == slug for node in data["search"]["nodes"]),
        any(pick["article"]["slug"] == slug for pick in data["host"]["related"]),
    ]


def _shows(port: int, article: dict[str, Any]) -> bool:
    return all(_seen(port, article))


def _hides(port: int, article: dict[str, Any]) -> bool:
    return not any(_seen(port, article))


def _cache(body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = body["extensions"]["cache"]
    return found


async def test_two_processes_share_answers_and_purges_through_redis() -> None:
    redis_port = _free_port()
    async with scratch_database_url() as url:
        token = _newsroom(url)
        with _redis(redis_port):
            env = {
                "GQLNEWS_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                "GQLNEWS_DEBUG": "true",
                "GQLNEWS_SCHEDULER_INTERVAL": "0",
            }
            with _servers(url, env) as (one, two):
                article = _article(one)
                slug = article["slug"]
                # Computed by one, a hit in two's Redis tier, then in two's own memory.
                assert _cache(_get(one, ARTICLE, slug=slug))["hit"] is False
                assert _cache(_get(two, ARTICLE, slug=slug))["tier"] == "redis"
                assert _cache(_get(two, ARTICLE, slug=slug))["tier"] == "local"
                assert _shows(one, article) and _shows(two, article)
                variables = {k: article[k] for k in ("slug", "section", "word", "host")}
                assert _cache(_get(two, READER_PAGES, **variables))["tier"] == "local"

                unpublished = _act(
                    one, token, MOVE % "articleUnpublish", id=article["id"], v=article["version"]
                )
                assert _hides(one, article), "the process that wrote purged at once"
                assert _until(lambda: _hides(two, article), within=1.0) < 1.0

                _act(
                    two,
                    token,
                    MOVE % "articlePublish",
                    id=article["id"],
                    v=unpublished["article"]["version"],
                )
                assert _shows(two, article)
                assert _until(lambda: _shows(one, article), within=1.0) < 1.0


async def test_without_redis_answers_live_the_degraded_lifetime_then_sharing_resumes() -> None:
    redis_port = _free_port()
    async with scratch_database_url() as url:
        token = _newsroom(url)
        env = {
            "GQLNEWS_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "GQLNEWS_DEBUG": "true",
            "GQLNEWS_SCHEDULER_INTERVAL": "0",
            "GQLNEWS_CACHE_DEGRADED_TTL": "2",
        }
        with _redis(redis_port) as redis_server:
            servers = _servers(url, env, redis_may_fail=True)
            one, two = servers.__enter__()
            try:
                article = _article(one)
                slug = article["slug"]
                assert _shows(one, article) and _shows(two, article)
                redis_server.terminate()
                redis_server.wait(timeout=10)
                # Redis is gone: readers are still answered, from memory, for 2 s at most.
                assert _shows(two, article)
                _act(one, token, MOVE % "articleUnpublish", id=article["id"], v=article["version"])
                assert _hides(one, article)
                waited = _until(lambda: _hides(two, article), within=4.0)
                assert waited <= 3.0, waited
                # Still in the load balancer: reads work; readiness says Redis is degraded.
                readyz = httpx.get(f"http://127.0.0.1:{two}/readyz", timeout=5)
                assert readyz.status_code == 200
                assert readyz.json()["checks"]["redis"] == "degraded"
            except BaseException:
                servers.__exit__(*sys.exc_info())
                raise
        with _redis(redis_port):
            try:
                # Back: both reconnect, and a purge in one reaches the other within a second.
                for port in (one, two):
                    _until(lambda port=port: _shared_again(port), within=10)
                current = _article_by_slug(one, slug, token)
                _act(two, token, MOVE % "articlePublish", id=article["id"], v=current["version"])
                assert _until(lambda: _shows(one, article), within=1.0) < 1.0
            finally:
                servers.__exit__(None, None, None)


def _shared_again(port: int) -> bool:
    """The server's purge listener is connected to Redis again (its metrics say so)."""
    metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return "gqlnews_cache_degraded 0.0" in metrics


def _article_by_slug(port: int, slug: str, token: str) -> dict[str, Any]:
    query = "query($s: String!) { article(slug: $s) { id version } }"
    answer = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": query, "variables": {"s": slug}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    found: dict[str, Any] = answer["data"]["article"]
    return found


async def test_removing_a_document_reaches_a_running_server_through_redis(tmp_path: Path) -> None:
    redis_port = _free_port()
    front = tmp_path / "front.graphql"
    front.write_text(FRONT, encoding="utf-8")
    async with scratch_database_url() as url:
        _newsroom(url)
        env = {"GQLNEWS_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
        added = run_gqlnews("--database-url", url, "documents", "add", str(front), env=env)
        assert added.returncode == 0, added.stderr
        document_id = "sha256:" + hashlib.sha256(FRONT.encode()).hexdigest()
        with (
            _redis(redis_port),
            _servers(url, {**env, "GQLNEWS_SCHEDULER_INTERVAL": "0"}) as (
                port,
                _other,
            ),
        ):

            def named() -> httpx.Response:
                return httpx.get(
                    f"http://127.0.0.1:{port}/graphql", params={"documentId": document_id}
                )

            assert named().status_code == 200 and named().status_code == 200  # cached
            removed = run_gqlnews(
                "--database-url", url, "documents", "remove", document_id, env=env
            )
            assert removed.returncode == 0, removed.stderr
            assert "purged through Redis" in removed.stderr
            gone = _until(lambda: named().status_code == 404, within=1.0)
            assert gone < 1.0
            assert named().json()["errors"][0]["extensions"]["code"] == (
                "PERSISTED_DOCUMENT_NOT_FOUND"
            )
