"""The article page (q2 of ../shared/bench-queries: one article, ``related(first: 4)`` with the
default ``blend`` strategy, the five most read) in process, two versions of the code side by
side in the same run: CPU ms per request and statements per request.

    .venv/bin/python bench/related_q2.py --database-url postgres://…/bench_10k \\
        --base ../related-base [--requests 40] [--rounds 10] [--case ../shared/…/q2.json]

Each version runs in its own process (``--base``: a checkout of the code before, put first on
that process's ``PYTHONPATH``; the other process runs this checkout), with the app built as the
in-process benchmarks build it (``run.in_process_client``: response cache, rate limits and
scheduler off) and the request sent planned (its APQ hash, as bench/plans.py sends it). Both
answers must be the same bytes. Then ``--rounds`` times, each process sends ``--requests``
requests in turn (the order alternating from round to round), so both share the same load;
the CPU time counted is the process's own (the database server's is not in it), the wall time
includes the statements' round trips. After each round of pages, each process times each
related strategy's lookup of the page's article ``--requests`` times.

``--cprofile N`` profiles N requests of this checkout instead (``--top`` functions,
``PROFILE_SORT``: tottime by default, or cumulative).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_CASE = HERE.parent.parent / "shared" / "bench-queries" / "q2.json"


def _body(case: Path) -> dict[str, Any]:
    from run import case_body, with_apq

    return with_apq(case_body(str(case)))


async def _serve(database_url: str, case: Path) -> None:
    """The child: answer ``answer`` and ``run N`` lines on stdin with one JSON line each."""
    from run import in_process_client

    from gqlnews.testing import count_queries

    body = _body(case)
    async with in_process_client(database_url) as client:
        for line in sys.stdin:
            command, *args = line.split()
            if command == "answer":
                answer = (await client.post("/graphql", json=body)).content
                print(json.dumps({"answer": answer.decode()}), flush=True)
                continue
            if command == "strategies":
                print(json.dumps(await _strategies(body, int(args[0]))), flush=True)
                continue
            cpu, wall, statements = [], [], []
            for _ in range(int(args[0])):
                with count_queries() as log:
                    started, clock = time.process_time(), time.perf_counter()
                    await client.post("/graphql", json=body)
                    cpu.append((time.process_time() - started) * 1000)
                    wall.append((time.perf_counter() - clock) * 1000)
                statements.append(log.count)
            print(json.dumps({"cpu": cpu, "wall": wall, "statements": statements}), flush=True)


async def _strategies(body: dict[str, Any], calls: int) -> dict[str, list[float]]:
    """CPU ms, wall ms and statements of each related strategy's lookup for the page's
    article alone (what the page's loader asks), ``calls`` times each."""
    from gqlnews.models import Article
    from gqlnews.testing import count_queries
    from gqlnews_related import plugin

    article = await Article.get(slug=body["variables"]["slug"])
    got: dict[str, list[float]] = {}
    for strategy in plugin.gqlnews_related_strategies():
        for _ in range(calls):
            with count_queries() as log:
                started, clock = time.process_time(), time.perf_counter()
                await strategy.related([article], 4)
                got.setdefault(f"{strategy.name} cpu", []).append(
                    (time.process_time() - started) * 1000
                )
                got.setdefault(f"{strategy.name} wall", []).append(
                    (time.perf_counter() - clock) * 1000
                )
            got.setdefault(f"{strategy.name} statements", []).append(log.count)
    return got


def _start(source: Path, args: argparse.Namespace) -> subprocess.Popen[str]:
    path = f"{source / 'src'}{os.pathsep}{source / 'plugins'}{os.pathsep}{HERE}"
    return subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--child",
            "--database-url",
            args.database_url,
            "--case",
            str(args.case),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
    )


def _ask(child: subprocess.Popen[str], line: str) -> dict[str, Any]:
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(line + "\n")
    child.stdin.flush()
    answer: dict[str, Any] = json.loads(child.stdout.readline())
    return answer


def compare(args: argparse.Namespace) -> list[str]:
    sides = {"before": Path(args.base).resolve(), "after": HERE.parent}
    children = {name: _start(source, args) for name, source in sides.items()}
    try:
        answers = {name: _ask(child, "answer")["answer"] for name, child in children.items()}
        if answers["before"] != answers["after"]:
            raise SystemExit("the answers differ:\n" + "\n".join(answers.values()))
        for child in children.values():  # warm: parser caches, plan, pools
            _ask(child, f"run {args.requests}")
        got: dict[str, dict[str, list[float]]] = {n: {} for n in children}
        for round_ in range(args.rounds):
            order = list(children) if round_ % 2 == 0 else list(reversed(children))
            for name in order:
                for key, values in _ask(children[name], f"run {args.requests}").items():
                    got[name].setdefault(key, []).extend(values)
            for name in order:
                for key, values in _ask(children[name], f"strategies {args.requests}").items():
                    got[name].setdefault(key, []).extend(values)
    finally:
        for child in children.values():
            assert child.stdin is not None
            child.stdin.close()
            child.wait(timeout=60)
    rows = [
        f"Same answer bytes before and after (checked). {args.rounds} rounds of "
        f"{args.requests} requests per version, the order alternating.",
        "",
        "| q2 per request | before | after |",
        "|---|---:|---:|",
    ]
    for key, label in (("cpu", "CPU ms"), ("wall", "wall ms")):
        for stat, fn in (("median", statistics.median), ("mean", statistics.fmean)):
            cells = " | ".join(f"{fn(got[n][key]):.2f}" for n in children)
            rows.append(f"| {label}, {stat} | {cells} |")
    cells = " | ".join(f"{statistics.median(got[n]['statements']):.0f}" for n in children)
    rows.append(f"| SQL statements | {cells} |")
    rows += [
        "",
        "Each strategy's lookup for the page's article alone (as the page's loader asks it), "
        "medians:",
        "",
        "| strategy | before: CPU ms | wall ms | statements | after: CPU ms | wall ms "
        "| statements |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = [key.removesuffix(" cpu") for key in got["after"] if key.endswith(" cpu")]
    for strategy in names:
        cells = " | ".join(
            f"{statistics.median(got[n][f'{strategy} cpu']):.2f} "
            f"| {statistics.median(got[n][f'{strategy} wall']):.2f} "
            f"| {statistics.median(got[n][f'{strategy} statements']):.0f}"
            for n in children
        )
        rows.append(f"| `{strategy}` | {cells} |")
    return rows


async def _profile(args: argparse.Namespace) -> None:
    from run import in_process_client

    body = _body(args.case)
    async with in_process_client(args.database_url) as client:
        for _ in range(5):
            await client.post("/graphql", json=body)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.cprofile):
            await client.post("/graphql", json=body)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(args.top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE)
    parser.add_argument("--base", help="A checkout of the code to compare with.")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--cprofile", type=int, default=0)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(_serve(args.database_url, args.case))
    elif args.cprofile:
        sys.path.insert(0, str(HERE))
        asyncio.run(_profile(args))
    elif args.base:
        print("\n".join(compare(args)))
    else:
        parser.error("give --base (compare) or --cprofile")


if __name__ == "__main__":
    main()
