"""Benchmark: page queries on PostgreSQL after a bulk import, without and with planner
statistics (ANALYZE), and with asyncpg's connection reset on every release against gqlnews's
pool (no reset).

Creates a fresh PostgreSQL database, imports the 10k archive with
`gqlnews import --no-analyze` (the related plugin left out: these pages do not use its index),
then sends the example pages to the app in this process (httpx's ASGI transport; response
cache and rate limits off, so every request runs its SQL), in this order:

1. no statistics (what an import left before #18), gqlnews's pool;
2. `ANALYZE` of every table (timed: the code the import now runs);
3. with statistics, gqlnews's pool and asyncpg's default reset, alternately, --rounds each.

For each measure: requests/s with --concurrency requests in flight, and CPU of this process
(the worker) per request; then, sequentially, the database time of a request as the driver
sees it (sum of its statements) and its slowest statement (median over the requests).
Prints Markdown; --write appends it, dated, to bench/pg-pool-results.md.

    .venv/bin/python bench/pg_pages.py --write
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "datasets" / "newsroom-10k.jsonl.gz"
QUERIES = ROOT / "examples" / "queries"
GQLNEWS = Path(sys.executable).with_name("gqlnews")
RESULTS = ROOT / "bench" / "pg-pool-results.md"
PAGES = ["front-page", "section-page-2"]


def _payload(name: str) -> dict[str, Any]:
    query = (QUERIES / f"{name}.graphql").read_text(encoding="utf-8")
    variables = QUERIES / f"{name}.variables.json"
    values = json.loads(variables.read_text()) if variables.exists() else {}
    return {"query": query, "variables": values}


@dataclass
class Measure:
    rate: float
    cpu_ms: float
    statements: float
    """Statements per request the driver sent (a reset on release included)."""
    slowest: tuple[str, tuple[Any, ...]]
    """The request's slowest statement as the driver saw it, with its arguments."""


class Statements:
    """Records each statement's time as the driver sees it (asyncpg query loggers)."""

    def __init__(self) -> None:
        self.on = False
        self.records: list[tuple[str, tuple[Any, ...], float]] = []

    def log(self, record: Any) -> None:
        if self.on:
            self.records.append((record.query, tuple(record.args or ()), record.elapsed))

    async def setup(self, conn: Any) -> None:
        if self.log not in [logger.cb for logger in conn._query_loggers]:
            conn.add_query_logger(self.log)


STATEMENTS = Statements()


@contextmanager
def _pool_reset(default_reset: bool) -> Iterator[None]:
    """gqlnews's pool (no reset), or asyncpg's default reset (what Tortoise's pool does)."""
    from gqlnews.db_clients.asyncpg import GqlnewsPostgresClient

    original = GqlnewsPostgresClient.create_pool

    async def create_pool(self: Any, **kwargs: Any) -> Any:
        kwargs["setup"] = STATEMENTS.setup
        if default_reset:
            return await asyncpg.create_pool(None, **kwargs)
        return await original(self, **kwargs)

    GqlnewsPostgresClient.create_pool = create_pool  # type: ignore[method-assign]
    try:
        yield
    finally:
        GqlnewsPostgresClient.create_pool = original  # type: ignore[method-assign]


async def _measure(
    url: str, page: str, requests: int, concurrency: int, sequential: int
) -> Measure:
    from gqlnews.server import create_app
    from gqlnews.settings import Settings

    settings = Settings(
        database_url=url, cache=False, rate_limit_per_minute=0, token_rate_limit_per_minute=0,
        log_level="WARNING", disabled_plugins="related", scheduler_interval=0,
    )  # fmt: skip
    app = create_app(settings)
    payload = _payload(page)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def one() -> None:
                answer = await client.post("/graphql", json=payload)
                assert answer.status_code == 200 and "errors" not in answer.json(), answer.text

            for _ in range(10):  # warm-up: connections, prepared statements, plans
                await one()
            remaining = requests

            async def worker() -> None:
                nonlocal remaining
                while remaining > 0:
                    remaining -= 1
                    await one()

            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            counts, slowest = [], []
            for _ in range(sequential):
                STATEMENTS.records.clear()
                STATEMENTS.on = True
                await one()
                await asyncio.sleep(0.01)  # loggers are called soon after, not at once
                STATEMENTS.on = False
                counts.append(len(STATEMENTS.records))
                slowest.append(max(STATEMENTS.records, key=lambda r: r[2]))
    query, arguments, _ = sorted(slowest, key=lambda r: r[2])[len(slowest) // 2]
    return Measure(
        requests / wall, cpu / requests * 1000, statistics.median(counts), (query, arguments)
    )


def _run(url: str, page: str, args: argparse.Namespace, default_reset: bool) -> Measure:
    with _pool_reset(default_reset):
        return asyncio.run(_measure(url, page, args.requests, args.concurrency, args.sequential))


async def _admin(server: str, sql: str) -> None:
    conn = await asyncpg.connect(f"{server.replace('postgres://', 'postgresql://', 1)}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _execution_ms(url: str, statement: tuple[str, tuple[Any, ...]], times: int = 5) -> float:
    """Median server execution time of ``statement`` (``EXPLAIN ANALYZE``)."""
    dsn = url.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn)
    try:
        query, arguments = statement
        spent = []
        for _ in range(times):
            plan = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {query}", *arguments)
            spent.append(float(json.loads(plan)[0]["Execution Time"]))
        return statistics.median(spent)
    finally:
        await conn.close()


async def _analyze(url: str) -> tuple[int, float]:
    from tortoise import Tortoise

    from gqlnews.archive.analyze import analyze_tables
    from gqlnews.db import connection, tortoise_config

    await Tortoise.init(config=tortoise_config(url))
    try:
        done = await analyze_tables(connection())
    finally:
        await Tortoise.close_connections()
    return done.tables, done.seconds


def _row(label: str, measures: list[Measure]) -> str:
    median = statistics.median
    statements = median(m.statements for m in measures)
    return (
        f"| {label} | **{median(m.rate for m in measures):.1f}** "
        f"| {median(m.cpu_ms for m in measures):.2f} | {statements:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--requests", type=int, default=400, help="Requests per measure.")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sequential", type=int, default=21, help="Requests timed one by one.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help=f"Also write {RESULTS.name}.")
    args = parser.parse_args()
    name = f"gqlnews_bench_pages_{os.getpid()}"
    url = f"{args.postgres}/{name}"
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{name}"'))
    lines: list[str] = []
    try:
        env = {**os.environ, "GQLNEWS_DISABLED_PLUGINS": "related"}
        started = time.perf_counter()
        subprocess.run(
            [str(GQLNEWS), "--database-url", url, "import", "--progress", "off", "--no-analyze",
             str(args.archive)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        print(f"imported in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        before = {page: _run(url, page, args, default_reset=False) for page in PAGES}
        plans = {page: [asyncio.run(_execution_ms(url, before[page].slowest))] for page in PAGES}
        tables, seconds = asyncio.run(_analyze(url))
        for page in PAGES:
            plans[page].append(asyncio.run(_execution_ms(url, before[page].slowest)))
        after: dict[tuple[str, bool], list[Measure]] = {}
        for _ in range(args.rounds):
            for page in PAGES:
                for default_reset in (True, False):
                    after.setdefault((page, default_reset), []).append(
                        _run(url, page, args, default_reset)
                    )
        lines += [
            "| page, database state, pool | requests/s | worker CPU ms/request "
            "| statements/request (resets included) |",
            "|---|---:|---:|---:|",
        ]
        slowest: dict[str, str] = {}
        for page in PAGES:
            lines.append(_row(f"{page}: no statistics, no reset", [before[page]]))
            lines.append(_row(f"{page}: analyzed, asyncpg's reset on release", after[(page, True)]))
            lines.append(_row(f"{page}: analyzed, no reset (gqlnews)", after[(page, False)]))
            slowest[page] = before[page].slowest[0]
        lines.append(f"\n`ANALYZE` of the {tables} tables after the import: {seconds:.2f} s.\n")
        lines += [
            "| slowest statement of the page without statistics | server ms before ANALYZE "
            "| server ms after |",
            "|---|---:|---:|",
        ]
        lines += [f"| {page} | {plans[page][0]:.1f} | {plans[page][1]:.1f} |" for page in PAGES]
        for page, sql in slowest.items():
            lines.append(f"\n{page}'s (server time: `EXPLAIN ANALYZE`, median of 5):\n\n"
                         f"```sql\n{' '.join(sql.split())[:700]}\n```")  # fmt: skip
    finally:
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    command = " ".join(["bench/pg_pages.py", *sys.argv[1:]])
    header = (
        f"Command: `.venv/bin/python {command}`\n\n"
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, archive "
        f"`{args.archive.name}`, {args.requests} requests per measure at {args.concurrency} in "
        f"flight, {args.rounds} rounds (medians) after ANALYZE, one before; app in process.\n"
    )
    text = header + "\n" + "\n".join(lines)
    print(text)
    if args.write:
        body = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else (
            "# PostgreSQL page queries: statistics and the pool's reset\n"
        )  # fmt: skip
        day = datetime.now(UTC).date().isoformat()
        RESULTS.write_text(body.rstrip("\n") + f"\n\n## {day}\n\n{text}\n", encoding="utf-8")
        print(f"\nappended to {RESULTS}")


if __name__ == "__main__":
    main()
