"""Benchmark: the example pages executed vs run as plans, side by side in one run.

Loads the demo newsroom into a fresh SQLite file (or uses ``--database-url``, e.g. the
PostgreSQL archive bench/pg_pages.py imports), starts `gqlnews serve` on a free port with the
response cache off, then for each page drives it with wrk twice in a row: the page sent as
text (executed by graphql-core) and the same text with its Apollo persisted-query hash (a
persisted document: run as a plan, see docs/plans.md). Both answers are checked to be the same
bytes first. Prints a Markdown table of req/s, p50 and p99 at ``--connections``, the CPU
milliseconds per request of the server's processes and (with a PostgreSQL ``--database-url``
on this machine) of PostgreSQL's over that run (``process_cpu``), and the p50 at one
connection.

    .venv/bin/python bench/plans.py --connections 32 --seconds 10 [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import tempfile
from pathlib import Path

import httpx
from process_cpu import postgres_seconds, tree_seconds
from run import CASES, _wrk, case_body, served, served_demo_env, with_apq


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _difference(executed: bytes, planned: bytes) -> str:
    """Where two answers part, or the errors of the first, to show."""
    if executed == planned:
        errors = executed[executed.index(b'"errors"') :][:600]
        return f"the answer carries errors: {errors!r}"
    at = next(
        (i for i, (a, b) in enumerate(zip(executed, planned, strict=False)) if a != b),
        min(len(executed), len(planned)),
    )
    start = max(0, at - 200)
    return (
        f"the answers differ from byte {at} of {len(executed)} / {len(planned)}: "
        f"executed …{executed[start : at + 200]!r}… planned …{planned[start : at + 200]!r}…"
    )


def _bodies(name: str) -> tuple[bytes, bytes]:
    """The request body of page ``name`` (an example page, or a JSON body's path), as text and
    with its APQ hash."""
    payload = case_body(name)
    return json.dumps(payload).encode(), json.dumps(with_apq(payload)).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default="", help="Default: the demo in a temp file.")
    parser.add_argument("--cases", nargs="*", default=CASES)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    rows: list[str] = []
    postgres = args.database_url.startswith("postgres")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = served_demo_env(tmp, args.database_url)
        with served(env, _free_port(), args.workers) as (server, url):
            for name in args.cases:
                executed, planned = _bodies(name)
                headers = {"content-type": "application/json"}
                answers = [httpx.post(url, content=b, headers=headers) for b in (executed, planned)]
                if answers[0].content != answers[1].content or b'"errors"' in answers[0].content:
                    raise SystemExit(f"{name}: {_difference(*(a.content for a in answers))}")
                for how, body in (("executed", executed), ("planned", planned)):
                    _wrk(url, body, args.connections, 2, tmp)  # warm-up
                    server_before, database_before = tree_seconds(server.pid), postgres_seconds()
                    r = _wrk(url, body, args.connections, args.seconds, tmp)
                    per_request = 1000 / max(1.0, r["requests"])
                    server_ms = (tree_seconds(server.pid) - server_before) * per_request
                    database_ms = (postgres_seconds() - database_before) * per_request
                    database = f"{database_ms:.2f}" if postgres else "–"
                    one = _wrk(url, body, 1, max(2, round(args.seconds / 3)), tmp)
                    rows.append(
                        f"| {Path(name).stem} | {how} | {r['rps']:.0f} | {r['p50']:.1f} | "
                        f"{r['p99']:.1f} | {server_ms:.2f} | {database} | {one['p50']:.1f} | "
                        f"{r['errors']:.0f} |"
                    )
                    print(rows[-1], flush=True)
    database = "PostgreSQL (--database-url)" if args.database_url else "demo newsroom on SQLite"
    print(
        f"Command: `.venv/bin/python bench/plans.py --connections {args.connections} "
        f"--seconds {args.seconds:g} --workers {args.workers}`\n\n"
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {database}, "
        f"{args.workers} uvicorn worker(s), response cache off, wrk (1 thread) on the same "
        "machine.\n\n"
        f"| page | how | req/s (c={args.connections}) | p50 ms | p99 ms | server CPU ms/req "
        "| PostgreSQL CPU ms/req | p50 ms (c=1) | non-2xx |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows)
    )


if __name__ == "__main__":
    main()
