"""PostgreSQL's planning and execution time for each statement one request of a page sends.

    .venv/bin/python bench/statement_plans.py --database-url postgres://…/bench_10k \\
        --cases ../shared/bench-queries/q1.json … [--mode planned|executed] [--runs 15]

Builds the app in process, sends the page once to warm up, then once more recording the SQL
it sends (Tortoise's statement log). Each statement is then sent again on a connection of
its own as ``EXPLAIN (ANALYZE, FORMAT JSON)`` with the same values, ``--runs`` times, and the
median planning and execution times are printed, with their sums per page. EXPLAIN plans
each time (a custom plan): a served process's prepared statements switch to a generic plan
after five runs when PostgreSQL finds it no worse, so the planning column is what a
statement costs before that, or always when it stays custom (bench/plans-results.md, eighth
round, says which do). Statements of the server's background work (the indexer, the
dispatcher) sent meanwhile are left out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from run import both_ways, in_process_client

from gqlnews.testing import count_queries


async def _statements(url: str, case: str, mode: str) -> list[tuple[str, list[Any]]]:
    async with in_process_client(url) as client:
        body = both_ways(case)[mode]
        await client.post("/graphql", json=body)
        with count_queries() as log:  # the request's statements, not background work's
            await client.post("/graphql", json=body)
    return list(zip(log.statements, log.values, strict=True))


async def measure(url: str, cases: list[str], mode: str, runs: int) -> None:
    connection = await asyncpg.connect(url)
    try:
        for case in cases:
            print(f"\n{case} ({mode})\n")
            print("| planning ms | execution ms | statement |\n|---:|---:|---|")
            planning = execution = 0.0
            for sql, values in await _statements(url, case, mode):
                explain = await connection.prepare("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plans = [json.loads(await explain.fetchval(*values))[0] for _ in range(runs)]
                plan = statistics.median(p["Planning Time"] for p in plans)
                run = statistics.median(p["Execution Time"] for p in plans)
                planning, execution = planning + plan, execution + run
                shown = " ".join(sql.split())[:90].replace("|", "\\|")
                print(f"| {plan:.3f} | {run:.3f} | `{shown}…` |")
            print(f"| **{planning:.3f}** | **{execution:.3f}** | per request |")
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", nargs="+", required=True)
    parser.add_argument("--mode", choices=["planned", "executed"], default="planned")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    asyncio.run(measure(args.database_url, args.cases, args.mode, args.runs))


if __name__ == "__main__":
    main()
