"""Graceful shutdown: a SIGTERM lets the requests already in flight finish."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.helpers import run_gqlnews, scratch_database_url, stop_server, wait_until_ready
from tests.test_plugin_host import write_plugin

REQUESTS = 16

HEAVY = """{ articles(first: 100) { totalCount edges { node {
  title excerpt(maxLength: 200) sections { name } authors { name } tags { name } image { url }
} } } }"""

ARRIVALS = """
import asyncio

import strawberry

from gqlnews.api import TypeExtension


@strawberry.type
class QueryArrival:
    @strawberry.field
    async def arrived(self, tag: str) -> str:
        with open({path!r}, "a", encoding="utf-8") as arrivals:
            arrivals.write(tag + "\\n")
        await asyncio.sleep(1)
        return tag


@hookimpl
def gqlnews_extend_types():
    return [TypeExtension("Query", QueryArrival)]
"""
"""A field that notes in a file that its request is running, then takes a second."""


def _wait_for_lines(path: Path, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text(encoding="utf-8").splitlines()) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"{count} requests did not start within {timeout:.0f} s")


async def test_sigterm_lets_in_flight_requests_finish(tmp_path: Path) -> None:
    """The signal comes once every request is running on the server (each has noted its
    arrival; a fixed sleep raced with the server reading them under load): each one is
    answered whole, then the server exits."""
    arrivals = tmp_path / "arrivals"
    write_plugin(
        tmp_path / "plugins", "arrivals", ARRIVALS.replace("{path!r}", repr(str(arrivals)))
    )
    async with scratch_database_url() as url:
        assert run_gqlnews("--database-url", url, "demo").returncode == 0
        command = Path(sys.executable).with_name("gqlnews")
        server = subprocess.Popen(
            [str(command), "--database-url", url, "--plugins-dir", str(tmp_path / "plugins"),
             "serve", "--port", "8797"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        signalled = False
        try:
            wait_until_ready(8797)
            async with httpx.AsyncClient(base_url="http://127.0.0.1:8797", timeout=30) as client:
                requests = [
                    asyncio.create_task(
                        client.post(
                            "/graphql",
                            json={"query": HEAVY.replace("{", f'{{ arrived(tag: "{n}")', 1)},
                        )
                    )
                    for n in range(REQUESTS)
                ]
                await asyncio.to_thread(_wait_for_lines, arrivals, REQUESTS)
                server.send_signal(signal.SIGTERM)
                signalled = True
                responses = await asyncio.gather(*requests)
            assert [r.status_code for r in responses] == [200] * REQUESTS
            answers = [r.json() for r in responses]
            assert all("errors" not in a for a in answers), answers
            assert sorted(a["data"]["arrived"] for a in answers) == sorted(
                str(n) for n in range(REQUESTS)
            )
            assert all(len(a["data"]["articles"]["edges"]) > 0 for a in answers)
        finally:
            stop_server(server, sig=None if signalled else signal.SIGINT)
        # uvicorn finishes, then re-raises the signal it caught: a clean, signalled exit
        assert server.returncode in (0, -signal.SIGTERM)
