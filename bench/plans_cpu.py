"""CPU per request of the example pages, executed vs planned, in process (no HTTP server, no
load generator): robust when other work shares the cores, since it counts this process's CPU
time, not the wall clock.

Loads the demo newsroom into a temporary SQLite file (or uses ``--database-url``), builds the
app with the response cache off, warms both paths, then sends each page ``--requests`` times
each way, alternating executed (the text) and planned (the text with its APQ hash), and prints
the median and mean CPU milliseconds per request and the ratio:

    .venv/bin/python bench/plans_cpu.py [--requests 100] [--database-url U] [--cases …]

A case is an example page's name, or the path of a JSON request body (``{"query",
"variables"}``, e.g. the five queries of ``../shared/bench-queries/``).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import statistics
import time
from pathlib import Path
from typing import Any

from run import _payload, bench_database, case_arguments, in_process_client


async def measure(database_url: str, pages: list[str], requests: int) -> list[str]:
    rows = []
    async with in_process_client(database_url) as client:
        for page in pages:
            executed: dict[str, Any] = (
                json.loads(Path(page).read_text(encoding="utf-8"))
                if page.endswith(".json")
                else _payload(page)
            )
            digest = hashlib.sha256(str(executed["query"]).encode()).hexdigest()
            apq = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
            planned = {**executed, "extensions": apq}
            bodies = {"executed": executed, "planned": planned}
            answers = {
                how: (await client.post("/graphql", json=body)).content
                for how, body in bodies.items()
            }
            if answers["executed"] != answers["planned"]:
                raise SystemExit(f"{page}: the answers differ")
            cpu: dict[str, list[float]] = {how: [] for how in bodies}
            for _ in range(requests):
                for how, body in bodies.items():
                    started = time.process_time()
                    await client.post("/graphql", json=body)
                    cpu[how].append((time.process_time() - started) * 1000)
            med = {how: statistics.median(values) for how, values in cpu.items()}
            mean = {how: statistics.fmean(values) for how, values in cpu.items()}
            rows.append(
                f"| {Path(page).stem} | {med['executed']:.1f} | {med['planned']:.1f} | "
                f"{mean['executed']:.1f} | {mean['planned']:.1f} | "
                f"×{med['executed'] / med['planned']:.1f} |"
            )
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    args = case_arguments(__doc__, requests=100)
    with bench_database(args.database_url) as url:
        rows = asyncio.run(measure(url, args.cases, args.requests))
    print(
        f"\nCommand: `.venv/bin/python bench/plans_cpu.py --requests {args.requests}`\n\n"
        "| page | executed CPU ms (median) | planned CPU ms (median) | executed mean | "
        "planned mean | executed / planned |\n|---|---:|---:|---:|---:|---:|\n" + "\n".join(rows)
    )


if __name__ == "__main__":
    main()
