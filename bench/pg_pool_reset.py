"""Benchmark: what asyncpg's reset on release costs per statement, through gqlnews's client.

Every statement Tortoise runs outside a transaction takes a connection from the pool and gives
it back; asyncpg's default then sends ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
RESET ALL`` (a round trip and four statements on the server). This runs N small reads
(``SELECT id FROM section WHERE id = $1`` on a fresh, migrated database) through
``connections.get("default").execute_query``, with --concurrency in flight, with asyncpg's
default reset and with gqlnews's pool (no reset), alternately for --rounds rounds; it reports
statements per second, this process's CPU per statement (the worker's side: the driver and
Tortoise) and the PostgreSQL backends' CPU per statement (``/proc``; the server on the same
machine). Results: bench/pg-pool-results.md.

    .venv/bin/python bench/pg_pool_reset.py --statements 20000 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path
from typing import Any

import asyncpg

CLOCK = os.sysconf("SC_CLK_TCK")


def _backend_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) of these server processes."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK


async def _variant(url: str, default_reset: bool, statements: int, concurrency: int) -> Any:
    from tortoise import Tortoise, connections

    from gqlnews.db import tortoise_config
    from gqlnews.db_clients.asyncpg import GqlnewsPostgresClient

    original = GqlnewsPostgresClient.create_pool

    async def asyncpg_default(self: Any, **kwargs: Any) -> Any:
        return await asyncpg.create_pool(None, **kwargs)

    if default_reset:
        GqlnewsPostgresClient.create_pool = asyncpg_default  # type: ignore[method-assign]
    try:
        await Tortoise.init(config=tortoise_config(url + "?minsize=8&maxsize=8"))
        conn = connections.get("default")
        await asyncio.gather(*(conn.execute_query("SELECT pg_sleep(0.01)") for _ in range(8)))
        _, rows = await conn.execute_query(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        )
        pids = [row["pid"] for row in rows]
        remaining = statements

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                await conn.execute_query("SELECT id FROM section WHERE id = $1", [1])

        server, cpu, wall = _backend_cpu(pids), time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        server = _backend_cpu(pids) - server
        await Tortoise.close_connections()
    finally:
        GqlnewsPostgresClient.create_pool = original  # type: ignore[method-assign]
    return statements / wall, cpu / statements * 1e6, server / statements * 1e6


async def _admin(server: str, sql: str) -> None:
    conn = await asyncpg.connect(f"{server.replace('postgres://', 'postgresql://', 1)}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    from tortoise import Tortoise

    from gqlnews.db import tortoise_config
    from gqlnews.migrate import apply

    await Tortoise.init(config=tortoise_config(url))
    try:
        await apply()
    finally:
        await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--statements", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    name = f"gqlnews_bench_pool_{os.getpid()}"
    url = f"{args.postgres}/{name}"
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{name}"'))
    results: dict[bool, list[Any]] = {True: [], False: []}
    try:
        asyncio.run(_migrate(url))
        for _ in range(args.rounds):
            for default_reset in (True, False):
                results[default_reset].append(
                    asyncio.run(_variant(url, default_reset, args.statements, args.concurrency))
                )
    finally:
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(
        "| pool | statements/s | worker CPU µs/statement | server CPU µs/statement |\n"
        "|---|---:|---:|---:|"
    )
    for default_reset, label in ((True, "asyncpg's reset on release"), (False, "no reset")):
        rows = results[default_reset]
        rate, cpu, server = (statistics.median(r[i] for r in rows) for i in range(3))
        print(f"| {label} | **{rate:.0f}** | {cpu:.0f} | {server:.0f} |")


if __name__ == "__main__":
    main()
