"""/readyz answers 503 while the database is unreachable; /healthz stays 200."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# Runs in its own process: a PostgreSQL context on a dead port must not share Tortoise's
# per-model state with this session's database.
_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, httpx
    from tortoise.context import TortoiseContext
    from gqlnews.db import tortoise_config
    from gqlnews.server import create_app
    from gqlnews.settings import Settings

    async def main():
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config("postgres://postgres@127.0.0.1:1/nowhere"))
            app = create_app(Settings())
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                ready = await client.get("/readyz")
                alive = await client.get("/healthz")
        print(json.dumps([ready.status_code, ready.json(), alive.status_code]))

    asyncio.run(main())
    """
)


def test_readyz_is_503_when_the_database_is_down() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, timeout=60, check=True
    )
    ready_status, ready_body, alive_status = json.loads(done.stdout.strip().splitlines()[-1])
    assert ready_status == 503
    assert ready_body == {"status": "unavailable", "checks": {"database": "unreachable"}}
    assert alive_status == 200
