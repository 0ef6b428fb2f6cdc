"""Turns to execute (``GQLNEWS_MAX_CONCURRENT_REQUESTS``): at most that many GraphQL requests
of one process execute at once, the others wait their turn (up to the request deadline, then
503 SERVICE_UNAVAILABLE without running), a request's deadline starts with its turn, and cached
answers never wait."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from gqlnews.graphql.view import GraphQLView
from gqlnews.server import create_app
from gqlnews.settings import Settings, SettingsError
from gqlnews.testing import count_queries
from tests.cache_helpers import cached_app, client_of
from tests.test_deadline import SLOW_PLUGIN

SLOW = {"query": "{ slow(seconds: 1) }"}


@pytest.fixture(scope="module")
def slow_plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("admission_plugin")
    (folder / "slow_fields.py").write_text(SLOW_PLUGIN, encoding="utf-8")
    return folder


def _settings(settings: Settings, plugins: Path, **changes: object) -> Settings:
    return dataclasses.replace(
        settings, plugins_dir=str(plugins), cache=False, scheduler_interval=0, **changes
    )


async def _two_slow_requests(client: httpx.AsyncClient) -> float:
    """Seconds to answer two requests of one second each, sent together (both must be 200)."""
    started = time.perf_counter()
    answers = await asyncio.gather(*(client.post("/graphql", json=SLOW) for _ in range(2)))
    elapsed = time.perf_counter() - started
    for answer in answers:
        assert answer.json() == {"data": {"slow": 1}}, answer.text
    return elapsed


async def test_one_turn_runs_requests_one_after_the_other(
    settings: Settings, slow_plugins: Path, demo: object
) -> None:
    app = create_app(_settings(settings, slow_plugins, max_concurrent_requests=1))
    async with client_of(app) as client:
        assert await _two_slow_requests(client) >= 2


async def test_without_a_limit_requests_run_together(
    settings: Settings, slow_plugins: Path, demo: object
) -> None:
    app = create_app(_settings(settings, slow_plugins, max_concurrent_requests=0))
    async with client_of(app) as client:
        assert await _two_slow_requests(client) < 1.9


def _view(app: Starlette) -> GraphQLView:
    return next(
        route.endpoint
        for route in app.routes
        if isinstance(route, Route) and route.path == "/graphql"
    )


async def test_a_request_without_a_turn_within_the_deadline_is_refused_unrun(
    settings: Settings, slow_plugins: Path, demo: object
) -> None:
    """A request still waiting for its turn after ``request_timeout_ms`` is answered 503
    SERVICE_UNAVAILABLE (retryable, not stored), without running; once the turn is free,
    requests run again."""
    app = create_app(
        _settings(settings, slow_plugins, max_concurrent_requests=1, request_timeout_ms=500)
    )
    view = _view(app)
    assert view.turns is not None
    async with client_of(app) as client:
        async with view.turns:  # the only turn is taken, as by a long request
            started = time.perf_counter()
            with count_queries() as statements:
                waiting = await client.post("/graphql", json={"query": "{ sections { slug } }"})
            assert 0.5 <= time.perf_counter() - started < 5
        assert waiting.status_code == 503, waiting.text
        error = waiting.json()["errors"][0]
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE", error
        assert "500 ms for its turn" in error["message"]
        assert waiting.headers["retry-after"] == "1"
        assert "no-store" in waiting.headers["cache-control"]
        assert statements.count == 0
        with count_queries() as statements:
            after = await client.post("/graphql", json={"query": "{ sections { slug } }"})
        assert after.status_code == 200, after.text
        assert after.json()["data"]["sections"]
        assert statements.count > 0  # what the refused request would have sent


async def test_the_deadline_starts_with_the_turn(
    settings: Settings, slow_plugins: Path, demo: object
) -> None:
    """Two requests of 0.6 s with one turn and a deadline of 1 s: the second waits 0.6 s, then
    runs 0.6 s, and is not cut (its deadline started with its turn)."""
    app = create_app(
        _settings(settings, slow_plugins, max_concurrent_requests=1, request_timeout_ms=1000)
    )
    body = {"query": "{ slow(seconds: 0.6) }"}
    async with client_of(app) as client:
        started = time.perf_counter()
        answers = await asyncio.gather(*(client.post("/graphql", json=body) for _ in range(2)))
        assert time.perf_counter() - started >= 1.2
    for answer in answers:
        assert answer.json() == {"data": {"slow": 1}}, answer.text


async def test_cached_answers_do_not_wait_for_a_turn(
    settings: Settings, slow_plugins: Path, demo: object
) -> None:
    app = cached_app(
        _settings(settings, slow_plugins, max_concurrent_requests=1, request_timeout_ms=30_000)
    )
    try:
        async with client_of(app) as client:
            params = {"query": "{ sections { slug } }"}
            first = await client.get("/graphql", params=params)
            assert first.status_code == 200, first.text
            holder = asyncio.ensure_future(
                client.post("/graphql", json={"query": "{ slow(seconds: 3) }"})
            )
            await asyncio.sleep(0.1)  # the slow request has the turn
            started = time.perf_counter()
            hit = await client.get("/graphql", params=params)
            assert time.perf_counter() - started < 2
            assert not holder.done()
            assert hit.content == first.content
            assert (await holder).json() == {"data": {"slow": 1}}
    finally:
        await app.state.cache.stop()


def test_the_setting_is_read_and_checked() -> None:
    env = {"GQLNEWS_MAX_CONCURRENT_REQUESTS": "3"}
    assert Settings.from_env(env).max_concurrent_requests == 3
    with pytest.raises(SettingsError, match="GQLNEWS_MAX_CONCURRENT_REQUESTS must be 0 or more"):
        Settings.from_env({"GQLNEWS_MAX_CONCURRENT_REQUESTS": "-1"})
