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

import statistics
from pathlib import Path

from run import both_ways, in_process_client, table_main, timed


async def measure(database_url: str, pages: list[str], requests: int) -> list[str]:
    rows = []
    async with in_process_client(database_url) as client:
        for page in pages:
            bodies = both_ways(page)
            answers = {
                how: (await client.post("/graphql", json=body)).content
                for how, body in bodies.items()
            }
            if answers["executed"] != answers["planned"]:
                raise SystemExit(f"{page}: the answers differ")
            cpu: dict[str, list[float]] = {how: [] for how in bodies}
            for _ in range(requests):
                for how, body in bodies.items():
                    cpu[how].append((await timed(client, body))[0])
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
    table_main(
        __doc__,
        "plans_cpu.py",
        measure,
        (
            "| page | executed CPU ms (median) | planned CPU ms (median) | executed mean | "
            "planned mean | executed / planned |\n|---|---:|---:|---:|---:|---:|"
        ),
        requests=100,
    )


if __name__ == "__main__":
    main()
