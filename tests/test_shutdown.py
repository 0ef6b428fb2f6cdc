"""Graceful shutdown: a SIGTERM lets the requests already in flight finish."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.helpers import run_gqlnews, scratch_database_url, wait_until_ready

HEAVY = """{ articles(first: 100) { totalCount edges { node {
  title excerpt(maxLength: 200) sections { name } authors { name } tags { name } image { url }
} } } }"""


async def test_sigterm_lets_in_flight_requests_finish() -> None:
    async with scratch_database_url() as url:
        assert run_gqlnews("--database-url", url, "demo").returncode == 0
        command = Path(sys.executable).with_name("gqlnews")
        server = subprocess.Popen(
            [str(command), "--database-url", url, "serve", "--port", "8797"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = "http://127.0.0.1:8797"
            wait_until_ready(8797)
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                requests = [
                    asyncio.create_task(client.post("/graphql", json={"query": HEAVY}))
                    for _ in range(16)
                ]
                await asyncio.sleep(0.05)  # they are queued or running on the server
                server.send_signal(signal.SIGTERM)
                responses = await asyncio.gather(*requests)
            assert [r.status_code for r in responses] == [200] * 16
            assert all("errors" not in r.json() for r in responses)
            # uvicorn finishes, then re-raises the signal it caught: a clean, signalled exit
            assert server.wait(timeout=30) in (0, -signal.SIGTERM)
        finally:
            if server.poll() is None:
                server.kill()
