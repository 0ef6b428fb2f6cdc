"""Benchmark: requests/s and latency of the example queries on the demo newsroom.

Loads the demo newsroom into a fresh SQLite file, starts `gqlnews serve` (one uvicorn worker,
uvloop + httptools, access log off), checks that each example answers without errors, then
drives it with wrk (Debian package `wrk`) at N connections for a fixed time per query, after a
warm-up. Prints a Markdown table; --write also stores it in bench/results.md.

    .venv/bin/python bench/run.py --connections 32 --seconds 15 --write
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "examples" / "queries"
CASES = ["front-page", "article-page", "section-page-2", "edition", "search"]
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _payload(name: str) -> dict[str, object]:
    query = (QUERIES / f"{name}.graphql").read_text(encoding="utf-8")
    variables_file = QUERIES / f"{name}.variables.json"
    variables = json.loads(variables_file.read_text()) if variables_file.exists() else {}
    return {"query": query, "variables": variables}


def case_body(case: str) -> dict[str, Any]:
    """The request body of ``case``: an example page's name, or a JSON body's path."""
    if case.endswith(".json"):
        body: dict[str, Any] = json.loads(Path(case).read_text(encoding="utf-8"))
        return body
    return _payload(case)


def with_apq(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with its query's APQ hash: the same query, run as a persisted document."""
    digest = hashlib.sha256(str(body["query"]).encode()).hexdigest()
    return {**body, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


def both_ways(case: str) -> dict[str, dict[str, Any]]:
    """The request bodies of ``case`` executed (its text) and planned (with its APQ hash)."""
    body = case_body(case)
    return {"executed": body, "planned": with_apq(body)}


async def timed(client: httpx.AsyncClient, body: dict[str, Any]) -> tuple[float, httpx.Response]:
    """The CPU milliseconds this process spent answering ``body`` (its aiosqlite thread
    included), and the answer."""
    started = time.process_time()
    answer = await client.post("/graphql", json=body)
    return (time.process_time() - started) * 1000, answer


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
    if not match:
        raise ValueError(f"unexpected wrk latency {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk_command(
    url: str, body: bytes, connections: int, seconds: float, tmp: Path, timeout: float = 2
) -> list[str]:
    """The wrk command that POSTs ``body`` to ``url`` (its Lua script and the body written in
    ``tmp``); a request slower than ``timeout`` seconds (wrk's default: 2) is left out of the
    latencies."""
    payload = tmp / "body.json"
    payload.write_bytes(body)
    script = tmp / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'local file = io.open("{payload}", "rb")\n'
        'wrk.body = file:read("*a")\n'
        "file:close()\n",
        encoding="utf-8",
    )
    return [
        *("wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds:g}s", "--latency"),
        *("--timeout", f"{timeout:g}s", "-s", str(script), url),
    ]


def _wrk(
    url: str, body: bytes, connections: int, seconds: float, tmp: Path, timeout: float = 2
) -> dict[str, float]:
    """wrk's figures (see :func:`read_wrk`) of POSTing ``body`` (see :func:`wrk_command`)."""
    command = wrk_command(url, body, connections, seconds, tmp, timeout)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return read_wrk(out)


def read_wrk(out: str) -> dict[str, float]:
    """wrk's requests/s, p50 and p99 (ms), requests and non-2xx/3xx answers, from its output
    with ``--latency``."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if set(percentiles) != {"50", "99"}:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "rps": rps,
        "p50": _ms(percentiles["50"]),
        "p99": _ms(percentiles["99"]),
        "requests": float(total.group(1)) if total else 0.0,
        "errors": float(non_2xx.group(1)) if non_2xx else 0.0,
    }


@asynccontextmanager
async def in_process_client(
    database_url: str, plans_for_text: bool | None = False, **settings_: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the app itself (no server, no network), started through its
    lifespan, with the response cache, rate limits and scheduler off: what the in-process
    benchmarks measure. Queries sent as text are executed unless ``plans_for_text`` (the
    server's default plans them): "executed" in these benchmarks is execution; None leaves
    the setting out (a tree older than it, see tree_cpu.py). Other settings may be given
    (``request_timeout_ms=0`` under valgrind, say)."""
    from gqlnews.server import create_app
    from gqlnews.settings import Settings

    if plans_for_text is not None:
        settings_["plans_for_text"] = plans_for_text
    settings = Settings(
        database_url=database_url,
        cache=False,
        rate_limit_per_minute=0,
        token_rate_limit_per_minute=0,
        scheduler_interval=0,
        log_level="warning",
        **settings_,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            yield client


@contextmanager
def bench_database(database_url: str = "") -> Iterator[str]:
    """``database_url``, or else the demo newsroom loaded into a temporary SQLite file
    (removed afterwards): the database of the in-process benchmarks."""
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite://{tmp}/bench.sqlite3"
        if not database_url:
            gqlnews = str(Path(sys.executable).with_name("gqlnews"))
            env = {"GQLNEWS_DATABASE_URL": url, "PATH": ""}
            subprocess.run([gqlnews, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        yield url


def case_arguments(description: str | None, requests: int) -> argparse.Namespace:
    """The options of a per-page CPU benchmark: --requests, --database-url, --cases."""
    parser = argparse.ArgumentParser(description=(description or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=requests)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cases", nargs="*", default=CASES)
    return parser.parse_args()


def table_main(
    description: str | None,
    script: str,
    measure: Callable[[str, list[str], int], Awaitable[list[str]]],
    header: str,
    requests: int,
) -> None:
    """The ``main`` of a per-page CPU benchmark: its options (:func:`case_arguments`), its
    database (:func:`bench_database`), then the rows ``measure`` gives for the cases, printed
    as a Markdown table (``header``: its first two lines) under the command that made it."""
    args = case_arguments(description, requests)
    with bench_database(args.database_url) as url:
        rows = asyncio.run(measure(url, args.cases, args.requests))
    command = f"cd bench && ../.venv/bin/python {script} --requests {args.requests}"
    print(f"\nCommand: `{command}`\n\n{header}\n" + "\n".join(rows))


def served_demo_env(tmp: Path, database_url: str = "") -> dict[str, str]:
    """The environment of a benchmarked `gqlnews serve`: ``database_url`` (default: the demo
    newsroom, loaded here into a SQLite file in ``tmp``), GraphiQL, the response cache and the
    rate limits off, queries sent as text executed (so that "executed" is execution; the
    server's default runs them as plans)."""
    env = {
        **os.environ,
        "GQLNEWS_DATABASE_URL": database_url or f"sqlite://{tmp}/bench.sqlite3",
        "GQLNEWS_GRAPHIQL": "false",
        "GQLNEWS_CACHE": "false",
        "GQLNEWS_RATE_LIMIT_PER_MINUTE": "0",
        "GQLNEWS_TOKEN_RATE_LIMIT_PER_MINUTE": "0",
        "GQLNEWS_PLANS_FOR_TEXT": "false",
    }
    if not database_url:
        gqlnews = str(Path(sys.executable).with_name("gqlnews"))
        subprocess.run([gqlnews, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def _wait_ready(url: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become ready")


@contextmanager
def served(
    env: dict[str, str], port: int, workers: int = 1
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`gqlnews serve` with ``env`` on ``port`` (``workers`` processes) and its GraphQL URL,
    once it is ready; stopped (SIGINT) afterwards."""
    gqlnews = str(Path(sys.executable).with_name("gqlnews"))
    server = subprocess.Popen(
        [gqlnews, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(f"http://127.0.0.1:{port}/readyz")
        yield server, f"http://127.0.0.1:{port}/graphql"
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cases", nargs="*", default=CASES)
    parser.add_argument("--write", action="store_true", help="write bench/results.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    gqlnews = str(Path(sys.executable).with_name("gqlnews"))
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "GQLNEWS_DATABASE_URL": f"sqlite://{tmp}/bench.sqlite3",
            "GQLNEWS_GRAPHIQL": "false",
            # A load generator is one client: the per-IP rate limit would refuse most of it.
            "GQLNEWS_RATE_LIMIT_PER_MINUTE": "0",
            "GQLNEWS_TOKEN_RATE_LIMIT_PER_MINUTE": "0",
        }
        subprocess.run([gqlnews, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        with served(env, args.port) as (_server, url):
            for name in args.cases:
                body = json.dumps(_payload(name)).encode()
                check = httpx.post(
                    url, content=body, headers={"content-type": "application/json"}
                ).json()
                if "errors" in check:
                    raise SystemExit(f"{name} answered with errors: {check['errors']}")
                _wrk(url, body, args.connections, 3, tmp)  # warm-up
                r = _wrk(url, body, args.connections, args.seconds, tmp)
                rows.append(
                    f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                    f"{r['requests']:.0f} | {r['errors']:.0f} |"
                )
                print(rows[-1], flush=True)
    table = (
        f"Command: `.venv/bin/python bench/run.py --connections {args.connections} "
        f"--seconds {args.seconds:g}{' --write' if args.write else ''}`\n\n"
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, demo newsroom "
        "on SQLite, 1 uvicorn worker, wrk (1 thread) on the same machine.\n\n"
        "| query | req/s | p50 ms | p99 ms | requests | non-2xx |\n"
        "|---|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )
    print(table)
    if args.write:
        (ROOT / "bench" / "results.md").write_text("# Benchmark results\n\n" + table)


if __name__ == "__main__":
    main()
