"""CPU per request of the example pages for whichever tree is first on ``PYTHONPATH``: one
way of asking (``--mode``), in process, so that an old tree (the first wave's, before plans
existed) and today's can be measured on the same machine, one after the other.

    PYTHONPATH=<tree>/src:<tree>/plugins .venv/bin/python bench/tree_cpu.py \\
        --database-url sqlite:///…/demo.sqlite3 --mode executed [--requests 100] \\
        [--setting plans_for_text=false] [--cases …]

It uses only what every tree has had: ``gqlnews.server.create_app`` and ``Settings`` with the
response cache, rate limits and scheduler off. ``executed`` sends the query's text (a tree
whose server plans texts needs ``--setting plans_for_text=false``), ``planned`` the text with
its APQ hash. Each case is sent three times to warm up, then ``--requests`` times; the CPU
time counted is this process's own (SQLite's work and aiosqlite's thread included). Each line
ends with a digest of the answer, so that two trees' answers can be compared.

``--instructions`` counts instructions instead (run it under callgrind as
bench/instructions.py says, with ``--setting request_timeout_ms=0``): robust to the other
work on the cores, where CPU milliseconds are not.

Each tree needs its own demo database made by that tree (``gqlnews demo`` run with the same
``PYTHONPATH``): the schema moved between them.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
from pathlib import Path
from typing import Any

from instructions import instructions_per_request
from run import CASES, case_body, in_process_client, timed, with_apq


def _settings(extra: list[str]) -> dict[str, Any]:
    """The ``--setting NAME=VALUE`` items as settings (numbers and true/false converted)."""
    given: dict[str, Any] = {}
    for item in extra:
        name, _, value = item.partition("=")
        flags = {"true": True, "false": False}
        given[name] = int(value) if value.lstrip("-").isdigit() else flags.get(value, value)
    return given


async def _count(client: Any, body: dict[str, Any], requests: int, instructions: bool) -> str:
    """The median and mean CPU ms of ``requests`` requests of ``body``, or the million
    instructions a request under callgrind, as table cells."""
    if instructions:
        return f"{await instructions_per_request(client, body, requests) / 1e6:.2f} | "
    cpu = [(await timed(client, body))[0] for _ in range(requests)]
    return f"{statistics.median(cpu):.2f} | {statistics.fmean(cpu):.2f}"


async def measure(args: argparse.Namespace) -> None:
    given = _settings(args.setting)
    plans_for_text = given.pop("plans_for_text", None)
    unit = "million instructions" if args.instructions else "CPU ms (median)"
    print(f"| page | {args.mode} {unit} | mean | answer |\n|---|---:|---:|---|")
    async with in_process_client(args.database_url, plans_for_text, **given) as client:
        for case in args.cases:
            body = case_body(case)
            if args.mode == "planned":
                body = with_apq(body)
            for _ in range(3):
                answer = await client.post("/graphql", json=body)
            if answer.status_code != 200 or b'"errors"' in answer.content:
                raise SystemExit(f"{case}: {answer.status_code} {answer.text[:300]}")
            cells = await _count(client, body, args.requests, args.instructions)
            digest = hashlib.sha256(answer.content).hexdigest()[:12]
            print(f"| {Path(case).stem} | {cells} | {digest} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--mode", choices=("executed", "planned"), required=True)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--setting", action="append", default=[], help="NAME=VALUE")
    parser.add_argument("--cases", nargs="*", default=CASES)
    parser.add_argument("--instructions", action="store_true", help="under callgrind")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
