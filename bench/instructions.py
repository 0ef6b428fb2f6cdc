"""Instructions per request, counted by valgrind's callgrind: a measure of CPU work that other
work on the same cores does not move (CPU milliseconds on this shared machine move by ±30 %
between runs; the same count comes back within 1–2 %).

Run it under callgrind (about a minute of start-up, then about half a second per request):

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/instructions.py [--requests 10] [--mode planned] \\
        [--database-url U] [--cases …] [--gc-threshold N]

Loads the demo newsroom into a temporary SQLite file (or uses ``--database-url``), builds the
app in process (response cache off, as the other in-process benchmarks, and no request
deadline: under valgrind a front page takes seconds), then per case sends three warm-up
requests, collects the garbage, zeroes callgrind's counters (``callgrind_control -z``),
sends ``--requests`` requests, and reads the counters back (``callgrind_control -e``): the
instructions of this process (its aiosqlite thread included; not the database server's) per
request. ``--mode executed`` sends the text (executed), ``planned`` (the default) the text
with its APQ hash. Compare two trees by running this script of one tree with each tree's
``src`` and ``plugins`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from run import CASES, bench_database, both_ways, in_process_client


def _callgrind(*flags: str) -> str:
    done = subprocess.run(
        ["callgrind_control", *flags, str(os.getpid())], check=True, capture_output=True, text=True
    )
    return done.stdout


def _instructions() -> int:
    """The instructions counted since the last zeroing, all threads (``callgrind_control
    -e``)."""
    threads = re.findall(r"Th\s+\d+\s+([\d,]+)", _callgrind("-e"))
    if not threads:
        raise SystemExit("not running under callgrind: see the module's docstring")
    return sum(int(count.replace(",", "")) for count in threads)


async def instructions_per_request(client: Any, body: dict[str, Any], requests: int) -> float:
    """The instructions this process spends per request of ``body``, over ``requests``.

    A full collection of the garbage collector costs tens of millions of instructions: the
    count starts from a collected heap, and enough requests should be counted that the
    collections they cause are averaged over them."""
    gc.collect()
    _callgrind("-z")
    for _ in range(requests):
        await client.post("/graphql", json=body)
    return _instructions() / requests


async def measure(
    database_url: str, cases: list[str], requests: int, mode: str, gc_threshold: int | None
) -> list[str]:
    rows = []
    collector = {} if gc_threshold is None else {"gc_threshold": gc_threshold}
    async with in_process_client(database_url, request_timeout_ms=0, **collector) as client:
        for case in cases:
            body = both_ways(case)[mode]
            for _ in range(3):
                answer = await client.post("/graphql", json=body)
                if b'"errors"' in answer.content:
                    raise SystemExit(f"{case}: {answer.text[:300]}")
            per_request = await instructions_per_request(client, body, requests)
            rows.append(f"| {Path(case).stem} | {mode} | {per_request / 1e6:.2f} |")
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cases", nargs="*", default=CASES)
    parser.add_argument("--mode", choices=("planned", "executed"), default="planned")
    parser.add_argument(
        "--gc-threshold",
        type=int,
        help="GQLNEWS_GC_THRESHOLD (default: the setting's; 0 for Python's own collector, "
        "as trees before it had)",
    )
    args = parser.parse_args()
    with bench_database(args.database_url) as url:
        rows = asyncio.run(measure(url, args.cases, args.requests, args.mode, args.gc_threshold))
    print(
        "\n| case | mode | million instructions per request |\n|---|---|---:|\n" + "\n".join(rows)
    )


if __name__ == "__main__":
    main()
