"""What Python's garbage collector costs a served page, by ``GQLNEWS_GC_THRESHOLD``.

Each threshold runs in a process of its own (the app's lifespan sets the collector up, see
``gqlnews.collector``), the thresholds one after the other in each round. A process builds the
app in process (the demo newsroom in a temporary SQLite file unless ``--database-url``;
response cache off), sends the page a few times, then ``--requests`` more, and prints per
request: its CPU, the time spent in collections (timed by ``gc.callbacks``), and the
collections of each generation; then the largest resident memory of the process and the
objects the collector tracks at the end (the garbage not collected yet included).

    .venv/bin/python bench/gc_cost.py --database-url postgres://…/bench_10k \\
        --case ../shared/bench-queries/q1.json --mode executed --thresholds 0 10000 50000
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from run import bench_database, both_ways, in_process_client

HERE = Path(__file__).resolve().parent


async def _measure(
    url: str, case: str, mode: str, requests: int, threshold: int
) -> dict[str, float]:
    async with in_process_client(url, gc_threshold=threshold) as client:
        body = both_ways(case)[mode]
        for _ in range(10):
            answer = await client.post("/graphql", json=body)
            if b'"errors"' in answer.content:
                raise SystemExit(f"{case}: {answer.text[:300]}")
        started = [0.0]
        spent = [0.0]
        collections = [0, 0, 0]

        def timer(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                started[0] = time.perf_counter()
            else:
                spent[0] += time.perf_counter() - started[0]
                collections[info["generation"]] += 1

        gc.callbacks.append(timer)
        cpu = time.process_time()
        for _ in range(requests):
            await client.post("/graphql", json=body)
        cpu = time.process_time() - cpu
        gc.callbacks.remove(timer)
        return {
            "cpu_ms": 1000 * cpu / requests,
            "gc_ms": 1000 * spent[0] / requests,
            "young": collections[0] / requests,
            "middle": collections[1] / requests,
            "full": collections[2] / requests,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "tracked": len(gc.get_objects()),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--case", default="front-page")
    parser.add_argument("--mode", choices=("planned", "executed"), default="planned")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--thresholds", type=int, nargs="+", default=[0, 10000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a measuring process
    args = parser.parse_args()
    if args.one is not None:
        found = asyncio.run(
            _measure(args.database_url, args.case, args.mode, args.requests, args.one)
        )
        print(json.dumps(found))
        return
    print(f"{args.case}, {args.mode}, {args.requests} requests per run")
    print()
    print(
        "| threshold | round | CPU ms/req | collecting ms/req | young/req | full/req |"
        " max RSS MB | tracked at the end |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with bench_database(args.database_url) as url:
        for round_ in range(1, args.rounds + 1):
            for threshold in args.thresholds:
                command = [
                    sys.executable, str(HERE / "gc_cost.py"), "--database-url", url,
                    "--case", args.case, "--mode", args.mode,
                    "--requests", str(args.requests), "--one", str(threshold),
                ]  # fmt: skip
                done = subprocess.run(command, capture_output=True, text=True, check=True)
                found = json.loads(done.stdout.strip().splitlines()[-1])
                print(
                    f"| {threshold or 'Python’s (700, no freeze)'} | {round_} "
                    f"| {found['cpu_ms']:.2f} | {found['gc_ms']:.3f} | {found['young']:.2f} "
                    f"| {found['full']:.3f} | {found['rss_mb']:.0f} | {found['tracked']:,} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
