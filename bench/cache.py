"""Benchmark: the response cache, against the same pages uncached and against stored bytes.

In one run (on a noisy machine only same-run figures compare), on the demo newsroom loaded into
a fresh SQLite file as bench/run.py loads it, for the five example pages at N connections (wrk,
one thread, on the same machine), and for each server layout: 1 worker, 2 workers, 2 workers
with the Redis tier, and 2 workers with Redis only (an in-process tier of 0 bytes, so that every
hit is read from Redis):

- uncached: `gqlnews serve` with GQLNEWS_CACHE=false, each page POSTed as bench/run.py does;
- cached GET: the cache on, each page an anonymous GET with its query and variables in the URL
  (the cacheable kind); cached POST: the same request as a JSON POST (cached under the same key);
- static: each page's answer bytes, stored beforehand, from a plain Starlette route that a
  one-off plugin (--plugins-dir) mounts in the same `gqlnews serve`: same uvicorn, middleware and
  process as the cached case, with no GraphQL and no cache in the way.

Before measuring, each page's answers from the cached server (its miss, its hit and the POST)
must be the uncached server's JSON. After each server, its /metrics give the requests that hit,
missed or bypassed the cache. "CPU µs/req" is the server processes' CPU time (from /proc) over
the measured seconds divided by the requests answered: what a request costs the server,
whatever the load generator took on the same cores. Prints Markdown tables; --write appends
them, dated, to bench/cache-results.md.

    .venv/bin/python bench/cache.py --seconds 8 --write
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from run import CASES, ROOT, _payload, _wait_ready, _wrk
from worker_memory import _workers

RESULTS = ROOT / "bench" / "cache-results.md"
GQLNEWS = str(Path(sys.executable).with_name("gqlnews"))
UNCACHED, GET, POST, STATIC = "uncached", "cached GET", "cached POST", "static"
AIMS = "cached article page ≥ 60 % of static req/s, p99 < 20 ms at 32 connections"
_TICKS = os.sysconf("SC_CLK_TCK")
_DETAIL_HEADER = (
    "| server | page | case | req/s | p50 ms | p99 ms | CPU µs/req | busiest worker "
    "| non-2xx + socket errors |\n|---|---|---|---:|---:|---:|---:|---:|---:|"
)

_STATIC_PLUGIN = '''"""bench/cache.py's one-off plugin: the stored answers at /static/<page>."""

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gqlnews import hookimpl

PAGES = Path(__file__).with_name("pages")


def _route(path: Path) -> Route:
    body = path.read_bytes()

    async def page(request: Request) -> Response:
        return Response(body, media_type="application/json")

    return Route(f"/static/{path.stem}", page, methods=["GET"])


@hookimpl
def gqlnews_routes(settings: object) -> list[Route]:
    return [_route(path) for path in sorted(PAGES.glob("*.json"))]
'''

# wrk's summary, exact (microseconds), written by the script's done() callback.
_GET_SCRIPT = """done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("bench-cache %.0f %.0f %.1f %.1f %.0f %.0f\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Layout:
    name: str
    workers: int
    env: dict[str, str]
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Server:
    base: str
    processes: list[int]
    """The `gqlnews serve` process and its workers (with 2 or more)."""
    workers: list[int]


@dataclass(frozen=True)
class Row:
    layout: str
    page: str
    kind: str
    figures: dict[str, float]


def _wrk_get(url: str, connections: int, seconds: float, tmp: Path) -> dict[str, float]:
    """wrk's GET of ``url``: req/s, p50/p99 ms, requests, non-2xx and socket errors."""
    script = tmp / "get.lua"
    script.write_text(_GET_SCRIPT, encoding="utf-8")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "-s", str(script), url]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    found = re.search(r"^bench-cache (.+)$", out, re.MULTILINE)
    if found is None:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    requests, duration, p50, p99, non_2xx, socket_errors = map(float, found.group(1).split())
    return {
        "rps": requests / duration * 1e6,
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "requests": requests,
        "errors": non_2xx,
        "socket_errors": socket_errors,
    }


def _get_url(base: str, payload: dict[str, object]) -> str:
    params = {"query": str(payload["query"]), "variables": json.dumps(payload["variables"])}
    return str(httpx.URL(f"{base}/graphql", params=params))


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime


def _cache_counts(base: str) -> str:
    """The server's response cache counters: requests by result (and tier)."""
    counts: dict[str, int] = {}
    for family in text_string_to_metric_families(httpx.get(f"{base}/metrics").text):
        if family.name != "gqlnews_cache_requests":
            continue
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.value:
                tier = sample.labels.get("tier")
                label = sample.labels["result"] + (f" ({tier})" if tier else "")
                counts[label] = counts.get(label, 0) + int(sample.value)
    return ", ".join(f"{n} {label}" for label, n in sorted(counts.items())) or "none"


@contextlib.contextmanager
def _serving(env: dict[str, str], port: int, workers: int, log: Path) -> Iterator[Server]:
    """`gqlnews serve` on ``port`` until the block ends, once all its workers started."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [GQLNEWS, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=output,
            stderr=output,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while log.read_text().count("Application startup complete") < workers:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; its output:\n{log.read_text()}")
            time.sleep(0.2)
        _wait_ready(f"{base}/readyz")
        children = _workers(process.pid) if workers > 1 else []
        yield Server(base, [process.pid, *children], children or [process.pid])
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


class Bench:
    """One run: the demo database, the static pages' plugin, and every figure measured."""

    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args = args
        self.connections: int = args.connections
        self.tmp = tmp
        self.pages = tmp / "plugins" / "pages"
        self.pages.mkdir(parents=True)
        (tmp / "plugins" / "bench_static.py").write_text(_STATIC_PLUGIN, encoding="utf-8")
        self.env = {
            **os.environ,
            "GQLNEWS_DATABASE_URL": f"sqlite://{tmp}/bench.sqlite3",
            "GQLNEWS_GRAPHIQL": "false",
            "GQLNEWS_PLUGINS_DIR": str(tmp / "plugins"),
            "GQLNEWS_REDIS_URL": "",
            # A load generator is one client: the per-IP rate limit would refuse most of it.
            "GQLNEWS_RATE_LIMIT_PER_MINUTE": "0",
            "GQLNEWS_TOKEN_RATE_LIMIT_PER_MINUTE": "0",
        }
        self.reference: dict[str, object] = {}
        """Each page's uncached answer (decoded JSON)."""
        self.rows: list[Row] = []
        self.counts: list[str] = []

    def run(self, layout: Layout) -> None:
        if UNCACHED in layout.kinds:
            with self._server(layout, cache=False) as server:
                for name in self.args.cases:
                    self._keep_reference(server, name)
                    self._measure(layout, server, name, UNCACHED)
        kinds = [kind for kind in layout.kinds if kind != UNCACHED]
        if not kinds:
            return
        with self._server(layout, cache=True) as server:
            for name in self.args.cases:
                self._check(server, name)
            for kind in kinds:
                for name in self.args.cases:
                    self._measure(layout, server, name, kind)
            self.counts.append(f"{layout.name}: {_cache_counts(server.base)}")

    def _server(self, layout: Layout, cache: bool) -> contextlib.AbstractContextManager[Server]:
        env = {**self.env, **layout.env, "GQLNEWS_CACHE": str(cache).lower()}
        return _serving(env, self.args.port, layout.workers, self.tmp / "server.log")

    def _keep_reference(self, server: Server, name: str) -> None:
        """The uncached answer: the first server's is the reference (and the static page)."""
        response = httpx.post(f"{server.base}/graphql", json=_payload(name))
        answer = response.json()
        if "errors" in answer:
            raise SystemExit(f"{name} answered with errors: {answer['errors']}")
        if name not in self.reference:
            self.reference[name] = answer
            (self.pages / f"{name}.json").write_bytes(response.content)
        elif answer != self.reference[name]:
            raise SystemExit(f"{name}: the uncached answer changed between servers")

    def _check(self, server: Server, name: str) -> None:
        """The cached server's miss, hit and POST answers are the uncached JSON."""
        payload = _payload(name)
        url = _get_url(server.base, payload)
        answers = {
            "GET (miss)": httpx.get(url),
            "GET (hit)": httpx.get(url),
            "POST": httpx.post(f"{server.base}/graphql", json=payload),
        }
        for how, response in answers.items():
            if response.status_code != 200 or response.json() != self.reference[name]:
                raise SystemExit(
                    f"{name}: the cached server's {how} answer differs from the uncached one"
                )

    def _drive(self, server: Server, name: str, kind: str, seconds: float) -> dict[str, float]:
        """One wrk run of ``kind`` requests for page ``name``."""
        if kind in (UNCACHED, POST):
            body = json.dumps(_payload(name)).encode()
            return _wrk(f"{server.base}/graphql", body, self.connections, seconds, self.tmp)
        if kind == GET:
            url = _get_url(server.base, _payload(name))
        else:
            url = f"{server.base}/static/{name}"
        return _wrk_get(url, self.connections, seconds, self.tmp)

    def _measure(self, layout: Layout, server: Server, name: str, kind: str) -> None:
        """A warm-up, then the measured run, with the server's CPU time around it."""
        self._drive(server, name, kind, self.args.warmup)
        before = {pid: _cpu_seconds(pid) for pid in server.processes}
        figures = self._drive(server, name, kind, self.args.seconds)
        spent = {pid: _cpu_seconds(pid) - before[pid] for pid in server.processes}
        figures["cpu_us"] = sum(spent.values()) / max(figures["requests"], 1) * 1e6
        by_worker = [spent[pid] for pid in server.workers]
        figures["busiest"] = max(by_worker) / sum(by_worker) if sum(by_worker) else 1.0
        row = Row(layout.name, name, kind, figures)
        self.rows.append(row)
        print(_detail_row(row), flush=True)


def _detail_row(row: Row) -> str:
    f = row.figures
    errors = f"{f['errors']:.0f}" + (f" + {f['socket_errors']:.0f}" if "socket_errors" in f else "")
    return (
        f"| {row.layout} | {row.page} | {row.kind} | {f['rps']:,.0f} | {f['p50']:.2f} "
        f"| {f['p99']:.2f} | {f['cpu_us']:,.0f} | {f['busiest']:.0%} | {errors} |"
    )


ONE_WORKER_BUSY = (
    "† one worker answered 90 % or more of the requests (wrk's connections all landed on it): "
    "not a two-worker figure."
)


def _rps(figures: dict[str, float] | None, layout: Layout) -> str:
    if figures is None:
        return "–"
    lopsided = layout.workers > 1 and figures["busiest"] >= 0.9
    return f"{figures['rps']:,.0f}" + (" †" if lopsided else "")


def _summary(rows: list[Row], layouts: list[Layout], cases: list[str]) -> tuple[str, list[str]]:
    """Per server and page: uncached, cached GET and static req/s side by side; and the aims."""
    found = {(r.layout, r.page, r.kind): r.figures for r in rows}
    lines = [
        "| server | page | uncached req/s | cached GET req/s | static req/s "
        "| cached / static | cached / uncached | cached GET p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    aims: list[str] = []
    for layout in layouts:
        for page in cases:
            cached = found.get((layout.name, page, GET))
            if cached is None:
                continue
            uncached = found.get((layout.name, page, UNCACHED))
            static = found.get((layout.name, page, STATIC))
            ratio = cached["rps"] / static["rps"] if static else None
            cells = [
                _rps(uncached, layout),
                _rps(cached, layout),
                _rps(static, layout),
                f"{ratio:.0%}" if ratio is not None else "–",
                f"{cached['rps'] / uncached['rps']:,.0f}×" if uncached else "–",
                f"{cached['p99']:.2f}",
            ]
            lines.append(f"| {layout.name} | {page} | " + " | ".join(cells) + " |")
            if page == "article-page" and ratio is not None:
                met = ratio >= 0.6 and cached["p99"] < 20
                aims.append(
                    f"- {layout.name}: the cached article page makes {ratio:.0%} of static's "
                    f"req/s with p99 {cached['p99']:.2f} ms: "
                    + ("**met**" if met else "**not met**")
                )
    return "\n".join(lines), aims


def _tree() -> str:
    """The commit measured, and whether code beside it was changed."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    dirty = git("status", "--porcelain", "--", "src", "plugins").strip()
    head = git("rev-parse", "--short", "HEAD").strip()
    return f"{head}" + (" with uncommitted changes in src/ or plugins/" if dirty else "")


def _append_dated(path: Path, title: str, heading: str, report: str) -> None:
    """Append ``report`` to ``path`` (made with ``title``) under a dated ``heading``."""
    body = path.read_text(encoding="utf-8") if path.exists() else f"# {title}\n"
    day = datetime.now(UTC).date().isoformat()
    path.write_text(f"{body.rstrip()}\n\n## {day}: {heading}\n\n{report}", encoding="utf-8")
    print(f"appended to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8, help="Measured seconds per case.")
    parser.add_argument("--warmup", type=float, default=2, help="Warm-up seconds per case.")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--cases", nargs="*", default=CASES)
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379",
        help="Redis for the Redis layouts ('' skips them). The cache's keys there are namespaced "
        "by database URL, and this run's database is new: no earlier answer can be served.",
    )
    parser.add_argument("--write", action="store_true", help=f"Also append to {RESULTS.name}.")
    args = parser.parse_args()
    every = (UNCACHED, GET, POST, STATIC)
    layouts = [Layout("1 worker", 1, {}, every), Layout("2 workers", 2, {}, every)]
    if args.redis:
        redis = {"GQLNEWS_REDIS_URL": args.redis}
        only = {**redis, "GQLNEWS_CACHE_MAX_BYTES": "0"}
        layouts += [
            Layout("2 workers + Redis", 2, redis, (GET, STATIC)),
            Layout("2 workers, Redis only", 2, only, (GET,)),
        ]
    started, tree = time.monotonic(), _tree()
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(args, Path(tmp))
        subprocess.run([GQLNEWS, "demo"], env=bench.env, check=True, stdout=subprocess.DEVNULL)
        print(_DETAIL_HEADER, flush=True)
        for layout in layouts:
            bench.run(layout)
    minutes = (time.monotonic() - started) / 60
    detail = "\n".join([_DETAIL_HEADER, *(_detail_row(row) for row in bench.rows)])
    summary, aims = _summary(bench.rows, layouts, args.cases)
    command = " ".join(["bench/cache.py", *sys.argv[1:]])
    report = (
        f"Command: `.venv/bin/python {command}` ({minutes:.0f} min)\n\n"
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, code {tree}; "
        f"demo newsroom on SQLite; wrk (1 thread, {args.connections} connections, "
        f"{args.warmup:g} s warm-up then {args.seconds:g} s per case) on the same cores.\n\n"
        f"Aims (the issue's): {AIMS}.\n\n"
        f"{summary}\n\n{ONE_WORKER_BUSY}\n\n" + "\n".join(aims) + "\n\n"
        "Every case:\n\n"
        f"{detail}\n\n"
        "Response cache counters of each cached server (its /metrics at the end):\n\n"
        + "\n".join(f"- {line}" for line in bench.counts)
        + "\n"
    )
    print("\n" + report)
    if args.write:
        _append_dated(
            RESULTS, "Response cache benchmark", "cached pages against uncached and static", report
        )


if __name__ == "__main__":
    main()
