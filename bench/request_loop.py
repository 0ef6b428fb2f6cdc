"""One page sent over and over in process, for a sampling profiler; or, with ``--garbage``,
how many objects each request leaves in reference cycles for the garbage collector.

Builds the app in process as the other in-process benchmarks do (the demo newsroom in a
temporary SQLite file unless ``--database-url``; response cache off), sends the page a few
times to warm up, then:

- by default, ``--requests`` more, for py-spy to sample (the sixth round's profiles in
  bench/plans-results.md):

      .venv/bin/py-spy record --format raw -r 700 -o q1.raw -- \\
          .venv/bin/python bench/request_loop.py --database-url postgres://…/bench_10k \\
          --case ../shared/bench-queries/q1.json --requests 4000

- with ``--garbage``, ``--requests`` requests with the collector saving what it finds
  (``gc.DEBUG_SAVEALL``), then prints the objects found in cycles per request, by type.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
from collections import Counter

from run import bench_database, both_ways, in_process_client


async def loop(database_url: str, case: str, mode: str, requests: int, garbage: bool) -> None:
    async with in_process_client(database_url) as client:
        body = both_ways(case)[mode]
        for _ in range(5):
            answer = await client.post("/graphql", json=body)
            if b'"errors"' in answer.content:
                raise SystemExit(f"{case}: {answer.text[:300]}")
        if garbage:
            gc.collect()
            gc.set_debug(gc.DEBUG_SAVEALL)
        for _ in range(requests):
            await client.post("/graphql", json=body)
        if garbage:
            gc.collect()
            found = Counter(type(o).__module__ + "." + type(o).__qualname__ for o in gc.garbage)
            gc.set_debug(0)
            print(f"{len(gc.garbage) / requests:.1f} objects in cycles per request")
            for name, count in found.most_common(15):
                print(f"{count / requests:8.1f}  {name}")
            gc.garbage.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--case", default="front-page")
    parser.add_argument("--mode", choices=("planned", "executed"), default="planned")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--garbage", action="store_true")
    args = parser.parse_args()
    with bench_database(args.database_url) as url:
        asyncio.run(loop(url, args.case, args.mode, args.requests, args.garbage))


if __name__ == "__main__":
    main()
