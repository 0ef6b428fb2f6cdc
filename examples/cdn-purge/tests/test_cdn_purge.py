"""The plugin's own tests, against a real HTTP server on a free local port that records what
it receives (a stand-in for the CDN's purge API)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import gqlnews_cdn_purge
import pytest

from gqlnews.api import Settings, purge_cache
from gqlnews.testing import plugin_harness

NAME = "cdn_purge"  # the entry point's name in pyproject.toml


@dataclass
class FakeCdn:
    """What the purge endpoint received, and how it answers."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0


@pytest.fixture
def cdn(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCdn]:
    """A purge endpoint on a free port, named by GQLNEWS_CDN_PURGE_URL (token ``s3cret``)."""
    state = FakeCdn(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            state.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            time.sleep(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/purge"
    monkeypatch.setenv(gqlnews_cdn_purge.URL_ENV, state.url)
    monkeypatch.setenv(gqlnews_cdn_purge.TOKEN_ENV, "s3cret")
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


async def test_a_purge_of_the_server_reaches_the_cdn_with_its_keys(
    cdn: FakeCdn, tmp_path: Path
) -> None:
    settings = Settings(database_url=f"sqlite://{tmp_path / 'test.sqlite3'}", cache=True)
    async with plugin_harness((NAME, gqlnews_cdn_purge), settings=settings) as gqlnews:
        assert gqlnews.plugins.get_plugin(NAME) is gqlnews_cdn_purge
        await purge_cache({"Section:3:articles", "Article:42"})  # what a write does
        await gqlnews_cdn_purge.drain()
    assert [(r["path"], r["body"]) for r in cdn.received] == [
        ("/purge", {"surrogate_keys": ["Article:42", "Section:3:articles"]})
    ]
    assert cdn.received[0]["headers"]["Authorization"] == "Bearer s3cret"


async def test_the_write_does_not_wait_for_the_cdn(cdn: FakeCdn) -> None:
    cdn.delay = 0.5
    started = time.perf_counter()
    await gqlnews_cdn_purge.gqlnews_cache_purged(["Article:1"], background=True)  # a server
    assert time.perf_counter() - started < 0.1
    await gqlnews_cdn_purge.drain()
    assert len(cdn.received) == 1


async def test_a_command_waits_for_the_cdn_before_it_exits(cdn: FakeCdn) -> None:
    cdn.delay = 0.2
    await gqlnews_cdn_purge.gqlnews_cache_purged(["*"], background=False)  # a command
    assert [r["body"] for r in cdn.received] == [{"surrogate_keys": ["*"]}]


@pytest.mark.parametrize("status", [401, 503])
async def test_a_refusing_cdn_is_logged_not_raised(
    cdn: FakeCdn, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    cdn.status = status
    with caplog.at_level(logging.WARNING, logger="gqlnews_cdn_purge"):
        await gqlnews_cdn_purge.gqlnews_cache_purged(["Article:1"], background=True)
        await gqlnews_cdn_purge.drain()
    assert "CDN purge of 1 key(s) failed (HTTPStatusError" in caplog.text
    assert f"error '{status} " in caplog.text


async def test_a_slow_or_absent_cdn_is_given_up_after_the_timeout(
    cdn: FakeCdn, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(gqlnews_cdn_purge, "TIMEOUT_SECONDS", 0.2)
    cdn.delay = 2
    with caplog.at_level(logging.WARNING, logger="gqlnews_cdn_purge"):
        assert not await gqlnews_cdn_purge.send(gqlnews_cdn_purge.Endpoint(cdn.url), ["a"])
    assert "failed (ReadTimeout" in caplog.text
    closed = gqlnews_cdn_purge.Endpoint("http://127.0.0.1:9/purge")  # the discard port
    assert not await gqlnews_cdn_purge.send(closed, ["a"])
    assert "failed (ConnectError" in caplog.text


async def test_many_keys_go_in_batches(cdn: FakeCdn) -> None:
    keys = [f"Article:{n}" for n in range(300)]
    assert await gqlnews_cdn_purge.send(gqlnews_cdn_purge.Endpoint(cdn.url), keys)
    sent = [r["body"]["surrogate_keys"] for r in cdn.received]
    assert [len(batch) for batch in sent] == [256, 44]
    assert [key for batch in sent for key in batch] == keys


def test_the_endpoint_comes_from_the_environment() -> None:
    assert gqlnews_cdn_purge.Endpoint.from_env({}) is None
    assert gqlnews_cdn_purge.Endpoint.from_env(
        {"GQLNEWS_CDN_PURGE_URL": " https://api.example/purge ", "GQLNEWS_CDN_PURGE_TOKEN": "t"}
    ) == gqlnews_cdn_purge.Endpoint("https://api.example/purge", "t")
    with pytest.raises(ValueError, match="GQLNEWS_CDN_PURGE_URL must be an http"):
        gqlnews_cdn_purge.Endpoint.from_env({"GQLNEWS_CDN_PURGE_URL": "api.example/purge"})
