"""A cProfile of executed (not planned) requests for one example page, in process.

Loads the demo newsroom into a temporary SQLite file (or uses ``--database-url``), builds the
app with the response cache and rate limits off, warms the page, then profiles ``--requests``
requests of it sent as text and prints the functions with the most cumulative and own time:

    .venv/bin/python bench/profile_executed.py [--page front-page] [--requests 50] [--top 40]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats

from run import _payload, bench_database, in_process_client


async def profile(database_url: str, page: str, requests: int) -> cProfile.Profile:
    """Profile ``requests`` executed requests of ``page`` (after one warm-up)."""
    profiler = cProfile.Profile()
    async with in_process_client(database_url) as client:
        body = _payload(page)
        for _ in range(3):
            (await client.post("/graphql", json=body)).raise_for_status()
        profiler.enable()
        for _ in range(requests):
            await client.post("/graphql", json=body)
        profiler.disable()
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--page", default="front-page")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with bench_database(args.database_url) as url:
        profiler = asyncio.run(profile(url, args.page, args.requests))
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
