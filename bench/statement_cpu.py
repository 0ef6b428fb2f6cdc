"""PostgreSQL's CPU per statement of one page: the statements a request sends, each replayed
on one connection, and the CPU time its server process spent on them.

    .venv/bin/python bench/statement_cpu.py --database-url postgres://…/bench_10k \\
        --case ../shared/bench-queries/q1.json [--runs 1000] [--mode planned]

Builds the app in process (as the other in-process benchmarks: response cache off), sends
the page a few times, records the statements and parameters of one more request as the
driver sends them, then runs each of them ``--runs`` times on one connection (the driver
prepares it: after five runs PostgreSQL keeps one plan for any values, as for a server) and
reads that connection's server process CPU time (``/proc/<pid>/stat``: utime + stime, in
clock ticks) before and after. CPU time, not wall time, so other work on the cores does not
inflate it; its resolution is a clock tick (10 ms) over all the runs. Prints microseconds
of PostgreSQL CPU per statement, with ``SELECT 1`` for reference. The database server must
run on this machine. Statements of the plugins' background work (tallies, webhooks) that
happen to run meanwhile are left out.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import Any

import asyncpg.connection
from run import both_ways, in_process_client

from gqlnews import db

BACKGROUND = ("related_tally", "webhook_delivery", "related_text_document")
"""Words of statements that are not the page's (work of the background tasks)."""


def _process_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _statements(client: Any, body: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """The statements (text, parameters) one request sends."""
    sent: list[tuple[str, tuple[Any, ...]]] = []
    connection_class: Any = asyncpg.connection.Connection
    original = connection_class._execute

    async def spy(self: Any, query: str, args: Any, *rest: Any, **named: Any) -> Any:
        sent.append((query, tuple(args)))
        return await original(self, query, args, *rest, **named)

    connection_class._execute = spy
    try:
        await client.post("/graphql", json=body)
    finally:
        connection_class._execute = original
    return [(q, a) for q, a in sent if not any(word in q for word in BACKGROUND)]


async def replayed(
    raw: Any, pid: int, query: str, args: tuple[Any, ...], runs: int
) -> tuple[float, list[Any]]:
    """PostgreSQL's CPU µs per run of ``query`` on the connection ``raw`` (its server
    process ``pid``): 10 runs to warm it, then ``runs`` timed; and the last run's rows."""
    for _ in range(10):
        await raw.fetch(query, *args)
    start = _process_seconds(pid)
    rows: list[Any] = []
    for _ in range(runs):
        rows = await raw.fetch(query, *args)
    return (_process_seconds(pid) - start) / runs * 1e6, rows


async def _main(database_url: str, case: str, mode: str, runs: int) -> None:
    async with in_process_client(database_url) as client:
        body = both_ways(case)[mode]
        for _ in range(5):
            await client.post("/graphql", json=body)
        statements = await _statements(client, body)
        async with db.connection().acquire_connection() as raw:
            pid = await raw.fetchval("SELECT pg_backend_pid()")
            spent, _ = await replayed(raw, pid, "SELECT 1", (), runs)
            print(f"| `SELECT 1` | {spent:.0f} | |")
            for query, args in statements:
                spent, rows = await replayed(raw, pid, query, args, runs)
                text = " ".join(query.split())
                print(f"| `{text[:90]}…` | {spent:.0f} | {len(rows)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--mode", choices=("planned", "executed"), default="planned")
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    print("| statement | PostgreSQL CPU µs | rows |")
    print("|---|---:|---:|")
    asyncio.run(_main(args.database_url, args.case, args.mode, args.runs))


if __name__ == "__main__":
    main()
