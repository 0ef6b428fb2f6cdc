"""Where an uncached request's time goes, per example page and both ways: executed (the query
sent as text, run by graphql-core) and planned (the same text with its APQ hash: a persisted
document, run as a plan, see docs/plans.md).

Loads the demo newsroom into a temporary SQLite file (or uses ``--database-url``), builds the
app with the response cache and rate limits off, sends each page once each way (warming the
parser and validation caches and the plan; the two answers must be the same bytes), then sends
it ``--requests`` times each way in process (no HTTP server), alternating, and prints the mean
per request of each phase: parse, validate (with the cost check), execute (resolvers or the
plan's walk, SQL awaited), SQL (wall time with a statement awaited), the rest (HTTP view,
JSON, middleware) and the total; CPU ms (this process's CPU time), the statements and the
resolved fields of the answer, and µs of total per resolved field:

    .venv/bin/python bench/profile_requests.py [--requests 200] [--page P] [--database-url U]

``--cprofile PAGE`` profiles that page instead with cProfile (one way, ``--mode``) and prints
the ``--top`` functions by own time (tottime):

    .venv/bin/python bench/profile_requests.py --cprofile front-page --mode executed --top 30

How the phases are timed: see bench/profile_pages.py.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
import profile_pages
from example_pages import page_scope
from profile_pages import PHASES, resolved_fields, time_sql, timing_extension
from run import QUERIES

MODES = ("executed", "planned")

Send = Callable[[str, str], Awaitable[bytes]]


def _header() -> str:
    return (
        f"{'page':<16}{'mode':<10}{'fields':>7}{'SQL':>5}"
        + "".join(f"{phase + ' ms':>12}" for phase in PHASES)
        + f"{'CPU ms':>9}{'µs/field':>10}"
    )


async def _with_app(database_url: str, work: Callable[[Send], Awaitable[None]]) -> None:
    """Run ``work`` with a function that sends an example page (executed or planned) to the
    app in process and returns the answer's bytes."""
    from gqlnews.server import create_app
    from gqlnews.settings import Settings

    settings = Settings(
        database_url=database_url,
        log_level="WARNING",
        cache=False,
        rate_limit_per_minute=0,
        token_rate_limit_per_minute=0,
        scheduler_interval=0,
        plans_for_text=False,  # texts executed: "executed" is execution
    )
    app = create_app(settings)
    schema = app.state.schema
    schema.extensions = (*schema.extensions, timing_extension())
    body = bytearray()
    scopes: dict[tuple[str, str], dict[str, Any]] = {}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    async def ask(page: str, mode: str) -> bytes:
        scope = scopes.get((page, mode))
        if scope is None:
            scope = scopes[page, mode] = page_scope(page, persisted=mode == "planned")
        body.clear()
        await app(dict(scope), receive, send)
        return bytes(body)

    async with app.router.lifespan_context(app):
        from tortoise import connections

        time_sql(type(connections.get("default")))
        await work(ask)


async def _warm(ask: Send, page: str, modes: list[str]) -> int:
    """Send ``page`` once each way; check the answers (no errors, the same bytes); return the
    answer's resolved fields."""
    answers = {mode: await ask(page, mode) for mode in modes}
    first = answers[modes[0]]
    answer = orjson.loads(first)
    if "errors" in answer:
        raise SystemExit(f"{page}: the answer has errors: {answer['errors']}")
    if any(other != first for other in answers.values()):
        raise SystemExit(f"{page}: the executed and planned answers differ")
    return resolved_fields(answer["data"])


async def breakdown(database_url: str, pages: list[str], modes: list[str], requests: int) -> None:
    """Print the mean per request of each phase, for each page and mode."""

    async def work(ask: Send) -> None:
        print(_header(), flush=True)
        for page in pages:
            fields = await _warm(ask, page, modes)
            clocks = {mode: profile_pages.reset() for mode in modes}
            cpu = dict.fromkeys(modes, 0.0)
            wall = dict.fromkeys(modes, 0.0)
            for _ in range(requests):
                for mode in modes:  # alternating: both ways see the same machine
                    profile_pages.CLOCK = clocks[mode]
                    started, started_cpu = time.perf_counter(), time.process_time()
                    await ask(page, mode)
                    wall[mode] += time.perf_counter() - started
                    cpu[mode] += time.process_time() - started_cpu
            for mode in modes:
                spent = clocks[mode].seconds
                spent["total"] = wall[mode]
                spent["rest"] = (
                    spent["total"] - spent["parse"] - spent["validate"] - spent["execute"]
                )
                mean = {phase: spent[phase] / requests * 1000 for phase in PHASES}
                print(
                    f"{page:<16}{mode:<10}{fields:>7}{clocks[mode].statements // requests:>5}"
                    + "".join(f"{mean[phase]:>12.2f}" for phase in PHASES)
                    + f"{cpu[mode] / requests * 1000:>9.2f}"
                    + f"{mean['total'] * 1000 / fields:>10.1f}",
                    flush=True,
                )

    await _with_app(database_url, work)


async def cprofile(
    database_url: str,
    page: str,
    mode: str,
    requests: int,
    top: int,
    order: str,
    callees: str | None = None,
    save: str | None = None,
) -> None:
    """Print the ``top`` functions by ``order`` (own or cumulative time) of ``requests``
    requests for ``page``, or what the functions matching ``callees`` called; ``save`` also
    writes the profile to that file (for pstats, snakeviz…)."""

    async def work(ask: Send) -> None:
        await _warm(ask, page, [mode])
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            await ask(page, mode)
        profiler.disable()
        if save:
            profiler.dump_stats(save)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats(order)
        if callees:
            stats.print_callees(callees)
        else:
            stats.print_stats(top)
        print(f"{page}, {mode}, {requests} requests (cProfile adds its own cost to every call)")
        print(out.getvalue())

    await _with_app(database_url, work)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--page", action="append", help="an example in examples/queries")
    parser.add_argument("--mode", choices=MODES, action="append", help="default: both")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", help="a database with data (default: a fresh demo)")
    parser.add_argument("--cprofile", metavar="PAGE", help="profile one page with cProfile")
    parser.add_argument("--top", type=int, default=40, help="functions shown by --cprofile")
    parser.add_argument(
        "--callees", metavar="REGEX", help="with --cprofile: what the matching functions call"
    )
    parser.add_argument("--save", metavar="FILE", help="with --cprofile: write the profile")
    parser.add_argument(
        "--sort", choices=["tottime", "cumulative"], default="tottime", help="for --cprofile"
    )
    args = parser.parse_args()
    pages = args.page or sorted(path.stem for path in QUERIES.glob("*.graphql"))
    modes = args.mode or list(MODES)
    if args.cprofile and len(modes) != 1:
        raise SystemExit("--cprofile profiles one way: give --mode executed or --mode planned")

    def run(url: str) -> None:
        if args.cprofile:
            asyncio.run(
                cprofile(
                    url,
                    args.cprofile,
                    modes[0],
                    args.requests,
                    args.top,
                    args.sort,
                    args.callees,
                    args.save,
                )
            )
        else:
            asyncio.run(breakdown(url, pages, modes, args.requests))

    if args.database_url:
        run(args.database_url)
        return
    with tempfile.TemporaryDirectory(prefix="gqlnews-profile-") as folder:
        url = f"sqlite://{Path(folder) / 'demo.sqlite3'}"
        command = Path(sys.executable).with_name("gqlnews")
        subprocess.run(
            [str(command), "--database-url", url, "demo"], check=True, capture_output=True
        )
        run(url)


if __name__ == "__main__":
    main()
