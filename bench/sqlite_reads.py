"""What a SQLite read costs this process, three ways: through aiosqlite's thread (Tortoise's
way, ``?read_budget_ms=0``), through gqlnews's reader in the event loop's thread (the default,
``gqlnews.db_clients.sqlite_reader``), and on a bare ``sqlite3`` connection (SQLite's own
work, the floor).

Builds the app in process on ``--database-url`` (default: the demo newsroom in a temporary
file), sends each case a few times, records the statements (with their parameters) of one
more request, then runs each of them ``--runs`` times each way on the client the server uses,
and prints this process's CPU µs per statement (``time.process_time``, aiosqlite's thread
included) and the wall µs:

    .venv/bin/python bench/sqlite_reads.py [--database-url sqlite:///…] [--runs 300] \\
        [--cases article-page front-page ../shared/bench-queries/q2.json]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from run import bench_database, both_ways, in_process_client

Run = Callable[[], Awaitable[Any]]


async def _statements(client: Any, body: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The statements (text, values) one request of ``body`` sends (after three to warm up),
    as :func:`gqlnews.testing.count_queries` collects them."""
    from gqlnews.testing import count_queries

    for _ in range(3):
        await client.post("/graphql", json=body)
    with count_queries() as log:
        await client.post("/graphql", json=body)
    return [(query, list(values)) for query, values in zip(log.statements, log.values, strict=True)]


async def _timed(run: Run, runs: int) -> tuple[float, float]:
    """CPU and wall µs per run of ``run`` (after ten to warm up)."""
    for _ in range(10):
        await run()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(runs):
        await run()
    return (time.process_time() - cpu) / runs * 1e6, (time.perf_counter() - wall) / runs * 1e6


async def measure(url: str, cases: list[str], runs: int) -> None:
    from tortoise import connections

    from gqlnews.db_clients.sqlite import GqlnewsSqliteClient

    path = url.removeprefix("sqlite://").split("?", 1)[0]
    bare = sqlite3.connect(path, isolation_level=None)
    async with in_process_client(url) as client:
        tortoise = connections.get("default")
        assert isinstance(tortoise, GqlnewsSqliteClient) and tortoise._reader is not None
        reader = tortoise._reader
        print(
            "| case | statement | rows | thread CPU µs | reader CPU µs | sqlite3 CPU µs |"
            " thread wall µs | reader wall µs |\n|---|---|---:|---:|---:|---:|---:|---:|"
        )
        totals: dict[str, list[float]] = {way: [] for way in ("thread", "reader", "bare")}
        for case in ["SELECT 1", *cases]:
            if case == "SELECT 1":
                statements: list[tuple[str, list[Any]]] = [("SELECT 1", [])]
            else:
                statements = await _statements(client, both_ways(case)["planned"])
            for query, values in statements:
                rows = len(bare.execute(query, values).fetchall())

                async def thread(q: str = query, v: list[Any] = values) -> Any:
                    reader.slow.add(q)  # as if remembered slow: aiosqlite's thread
                    try:
                        return await tortoise.execute_query(q, v)
                    finally:
                        reader.slow.discard(q)

                async def here(q: str = query, v: list[Any] = values) -> Any:
                    return await tortoise.execute_query(q, v)

                async def floor(q: str = query, v: list[Any] = values) -> Any:
                    return bare.execute(q, v).fetchall()

                (t_cpu, t_wall), (r_cpu, r_wall), (b_cpu, _) = [
                    await _timed(way, runs) for way in (thread, here, floor)
                ]
                if case != "SELECT 1":
                    for way, value in zip(totals, (t_cpu, r_cpu, b_cpu), strict=True):
                        totals[way].append(value)
                name = case.rsplit("/", 1)[-1]
                print(
                    f"| {name} | `{' '.join(query.split())[:60]}…` | {rows} | {t_cpu:.0f} | "
                    f"{r_cpu:.0f} | {b_cpu:.0f} | {t_wall:.0f} | {r_wall:.0f} |",
                    flush=True,
                )
        if totals["thread"]:
            print(
                "\nMedian over the pages' statements, CPU µs: thread "
                + ", reader ".join(
                    f"{statistics.median(totals[way]):.0f}" for way in ("thread", "reader")
                )
                + f", sqlite3 {statistics.median(totals['bare']):.0f}"
            )
    bare.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default="", help="a SQLite URL (default: the demo)")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--cases", nargs="+", default=["article-page", "front-page"])
    args = parser.parse_args()
    with bench_database(args.database_url) as url:
        if not url.startswith("sqlite"):
            raise SystemExit("a SQLite database URL, please")
        asyncio.run(measure(url, args.cases, args.runs))


if __name__ == "__main__":
    main()
