"""Profile of a response-cache hit, in process (no HTTP server, no wrk): what one anonymous
GET of an example page costs once its answer is cached.

Loads the demo newsroom into a temporary SQLite file, builds the app with its lifespan (the
cache started), sends the page twice (a miss, then a hit), then times N hits and prints
cProfile's top functions by cumulative time.

    .venv/bin/python bench/profile_cache_hit.py --page article-page --requests 3000
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from example_pages import page_scope


async def profile(database_url: str, page: str, requests: int, top: int) -> None:
    from gqlnews.server import create_app
    from gqlnews.settings import Settings

    settings = Settings(
        database_url=database_url,
        log_level="WARNING",
        rate_limit_per_minute=0,  # thousands of requests from one client: not what is measured
    )
    app = create_app(settings)
    scope = page_scope(page)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async with app.router.lifespan_context(app):
        for _ in range(2):  # a miss fills the cache, then a hit
            sent.clear()
            await app(dict(scope), receive, send)
        assert sent[0]["status"] == 200, sent
        started = time.perf_counter()
        for _ in range(requests):
            await app(dict(scope), receive, send)
        elapsed = time.perf_counter() - started
        print(f"{page}: one hit takes {elapsed / requests * 1e6:.0f} µs (no profiler)")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            await app(dict(scope), receive, send)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="article-page", help="an example in examples/queries")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gqlnews-profile-") as folder:
        url = f"sqlite://{Path(folder) / 'demo.sqlite3'}"
        command = Path(sys.executable).with_name("gqlnews")
        subprocess.run(
            [str(command), "--database-url", url, "demo"], check=True, capture_output=True
        )
        asyncio.run(profile(url, args.page, args.requests, args.top))


if __name__ == "__main__":
    main()
