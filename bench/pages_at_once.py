"""Pages asked for at once, in process: the CPU and wall time of ``--tasks`` tasks each sending
``--requests`` requests of the cases one after another (no HTTP server, no load generator;
CPU of this process, its database threads included).

    .venv/bin/python bench/pages_at_once.py --database-url 'sqlite:///…/demo.sqlite3' \\
        [--tasks 16] [--requests 30] [--cases article-page] [--mode planned]

Run it with ``?read_budget_ms=0`` in a SQLite URL and without, to compare aiosqlite's thread
with the reader (gqlnews.db_clients.sqlite_reader) when requests interleave.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from run import bench_database, both_ways, in_process_client


async def measure(url: str, cases: list[str], tasks: int, requests: int, mode: str) -> None:
    bodies = [both_ways(case)[mode] for case in cases]
    async with in_process_client(url) as client:
        for body in bodies:  # warm: the plans, the parser's caches
            (await client.post("/graphql", json=body)).raise_for_status()

        async def one_task() -> None:
            for _ in range(requests):
                for body in bodies:
                    (await client.post("/graphql", json=body)).raise_for_status()

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(one_task() for _ in range(tasks)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    sent = tasks * requests * len(bodies)
    print(
        f"{sent} requests ({tasks} tasks at once): {cpu:.2f} s CPU, {wall:.2f} s wall, "
        f"{cpu / sent * 1000:.2f} ms CPU a request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: the demo in a temp file")
    parser.add_argument("--tasks", type=int, default=16)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--cases", nargs="+", default=["article-page"])
    parser.add_argument("--mode", choices=["executed", "planned"], default="planned")
    args = parser.parse_args()
    with bench_database(args.database_url) as url:
        asyncio.run(measure(url, args.cases, args.tasks, args.requests, args.mode))


if __name__ == "__main__":
    main()
