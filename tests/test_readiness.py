"""/readyz answers 503 while the database is unreachable and 200 while only Redis is (the
process then serves from itself: "degraded"); /healthz stays 200."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import httpx
from tortoise.context import TortoiseContext

from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.helpers import TEST_DATABASE_URL

REDIS_URL = os.environ.get("GQLNEWS_TEST_REDIS_URL") or "redis://127.0.0.1:6379/2"
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"

# Runs in its own process: a PostgreSQL context on a dead port must not share Tortoise's
# per-model state with this session's database.
_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys, httpx
    from tortoise.context import TortoiseContext
    from gqlnews.db import tortoise_config
    from gqlnews.server import create_app
    from gqlnews.settings import Settings

    async def main():
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config("postgres://postgres@127.0.0.1:1/nowhere"))
            app = create_app(Settings(redis_url=sys.argv[1]))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                ready = await client.get("/readyz")
                alive = await client.get("/healthz")
        print(json.dumps([ready.status_code, ready.json(), alive.status_code]))

    asyncio.run(main())
    """
)


def _with_dead_database(redis_url: str) -> tuple[int, object, int]:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, redis_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    ready_status, ready_body, alive_status = json.loads(done.stdout.strip().splitlines()[-1])
    return ready_status, ready_body, alive_status


def test_readyz_is_503_when_the_database_is_down() -> None:
    assert _with_dead_database("") == (
        503,
        {"status": "unavailable", "checks": {"database": "unreachable"}},
        200,
    )
    assert _with_dead_database(DEAD_REDIS_URL) == (
        503,
        {"status": "unavailable", "checks": {"database": "unreachable", "redis": "degraded"}},
        200,
    )


async def _ready(redis_url: str) -> httpx.Response:
    app = create_app(Settings(database_url=TEST_DATABASE_URL, redis_url=redis_url))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/readyz")
        read = await client.post("/graphql", json={"query": "{ sections { slug } }"})
        assert read.status_code == 200 and "errors" not in read.json(), read.text
    await app.state.rate_limits.aclose()
    return response


async def test_readyz_stays_200_while_only_redis_is_down(database: TortoiseContext) -> None:
    """Reads work without Redis (the response cache and the rate limits fall back to the
    process): taking every instance out of the load balancer would be an outage."""
    down = await _ready(DEAD_REDIS_URL)
    assert down.status_code == 200
    assert down.json() == {"status": "degraded", "checks": {"database": "ok", "redis": "degraded"}}
    up = await _ready(REDIS_URL)
    assert up.status_code == 200
    assert up.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
