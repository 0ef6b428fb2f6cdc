"""Benchmark: how much `gqlnews serve` loses when other work shares its cores, and why.

Loads the demo newsroom into a fresh SQLite file (or uses ``--database-url``), starts one
server per variant (each on a free port, response cache and rate limits off), then for each
round drives every variant with wrk, first on a quiet machine, then with ``--hogs`` busy-loop
processes (``python -c 'while True: pass'``) running beside it, variants alternating so that
they share the same conditions. For each run it prints req/s, p50, the server's CPU
milliseconds per request (user + system, all its threads, from /proc), its threads, and its
context switches per request (voluntary: it waited; involuntary: the kernel preempted it).

    .venv/bin/python bench/contention.py --seconds 8 --rounds 2 --hogs 2 \\
        --variants default switch=0.5 switch=50 loop=asyncio workers=2

A variant is ``default`` (``gqlnews serve`` as shipped) or a change applied before the server
starts: ``switch=MS`` (``sys.setswitchinterval``, ms; Python's default is 5),
``loop=asyncio|uvloop`` (uvicorn's event loop), ``workers=N`` (uvicorn worker processes),
``timeout=MS`` (``GQLNEWS_REQUEST_TIMEOUT_MS``, the request deadline), ``limit=N``
(``GQLNEWS_MAX_CONCURRENT_REQUESTS``: requests executed at once, the others wait their turn),
``gc=N`` (the garbage collector's first threshold, ``gc.set_threshold(N, 10, 10)``;
Python's default is 700), ``c=N`` (wrk's connections for this variant instead of
``--connections``), several joined with ``,`` (``switch=0.5,workers=2``). ``switch``, ``loop``
and ``gc`` apply to one worker only. wrk
waits up to 60 s for an answer (its default of 2 s would leave slow answers out of p50).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from plans import _bodies, _free_port
from run import _wait_ready, _wrk, served_demo_env

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_LAUNCHER = """
import sys
changes = {changes!r}
if "switch" in changes:
    sys.setswitchinterval(float(changes["switch"]) / 1000)
if "gc" in changes:
    import gc
    gc.set_threshold(int(changes["gc"]), 10, 10)
if "loop" in changes:
    import uvicorn
    _init = uvicorn.Config.__init__
    def _with_loop(self, *args, **kwargs):
        kwargs["loop"] = changes["loop"]
        _init(self, *args, **kwargs)
    uvicorn.Config.__init__ = _with_loop
from gqlnews.cli import main
sys.argv = ["gqlnews", "serve", "--port", {port!r}, "--workers", {workers!r}]
main()
"""


def _changes(variant: str) -> dict[str, str]:
    """A variant's changes (``default``: none), e.g. ``{"switch": "0.5"}``."""
    if variant == "default":
        return {}
    changes = dict(part.split("=", 1) for part in variant.split(","))
    unknown = set(changes) - {"switch", "loop", "workers", "timeout", "limit", "c", "gc"}
    if unknown:
        raise SystemExit(f"unknown change(s) {sorted(unknown)} in variant {variant!r}")
    return changes


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (a supervisor's worker processes)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            found.extend(_process_tree(int(child)))
    return found


def _counters(pid: int) -> dict[str, float]:
    """CPU seconds, threads and context switches of process ``pid`` and its children."""
    totals = {"cpu": 0.0, "threads": 0.0, "voluntary": 0.0, "involuntary": 0.0}
    for process in _process_tree(pid):
        stat = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        totals["cpu"] += (int(stat[11]) + int(stat[12])) / _CLOCK_TICKS  # utime + stime
        for task in Path(f"/proc/{process}/task").iterdir():
            totals["threads"] += 1
            status = dict(line.split(":", 1) for line in (task / "status").read_text().splitlines())
            totals["voluntary"] += int(status["voluntary_ctxt_switches"])
            totals["involuntary"] += int(status["nonvoluntary_ctxt_switches"])
    return totals


def _start_hogs(count: int, nice: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", "while True: pass"],
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )
        for _ in range(count)
    ]


def _measure(
    server: subprocess.Popen[bytes],
    url: str,
    body: bytes,
    connections: int,
    seconds: float,
    tmp: Path,
) -> dict[str, float]:
    """wrk's figures of one run, with the server's CPU and context switches per request."""
    before = _counters(server.pid)
    result = _wrk(url, body, connections, seconds, tmp, timeout=60)
    after = _counters(server.pid)
    requests = max(result["requests"], 1.0)
    result["cpu_ms"] = (after["cpu"] - before["cpu"]) / requests * 1000
    result["voluntary"] = (after["voluntary"] - before["voluntary"]) / requests
    result["involuntary"] = (after["involuntary"] - before["involuntary"]) / requests
    result["threads"] = after["threads"]
    result["good"] = (result["requests"] - result["errors"]) / seconds
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=["default"])
    parser.add_argument("--page", default="front-page")
    parser.add_argument("--planned", action="store_true", help="send the page's APQ hash too")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--nice", type=int, default=0, help="the hogs' nice level")
    parser.add_argument("--database-url", default="", help="Default: the demo in a temp file.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    executed, planned = _bodies(args.page)
    body = planned if args.planned else executed
    rows: list[str] = []
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = served_demo_env(tmp, args.database_url)
        try:
            for variant in args.variants:
                changes = _changes(variant)
                port = _free_port()
                code = _LAUNCHER.format(
                    changes=changes, port=str(port), workers=changes.get("workers", "1")
                )
                server_env = dict(env)
                if "timeout" in changes:
                    server_env["GQLNEWS_REQUEST_TIMEOUT_MS"] = changes["timeout"]
                if "limit" in changes:
                    server_env["GQLNEWS_MAX_CONCURRENT_REQUESTS"] = changes["limit"]
                servers[variant] = (
                    subprocess.Popen(
                        [sys.executable, "-c", code],
                        env=server_env,
                        stdout=subprocess.DEVNULL,
                        stderr=(tmp / f"server-{port}.log").open("wb"),
                    ),
                    f"http://127.0.0.1:{port}/graphql",
                )
            for variant, (server, url) in servers.items():
                if server.poll() is not None:
                    log = (tmp / f"server-{url.split(':')[2].split('/')[0]}.log").read_text()
                    raise SystemExit(f"{variant}: the server stopped:\n{log[-2000:]}")
                _wait_ready(url.replace("/graphql", "/readyz"), timeout=180)
                headers = {"content-type": "application/json"}
                answer = httpx.post(url, content=body, headers=headers, timeout=60).json()
                if "errors" in answer:
                    raise SystemExit(f"{variant}: the page answered with errors")
                _wrk(url, body, args.connections, 2, tmp)  # warm-up
            for round_number in range(1, args.rounds + 1):
                for load in ("quiet", f"{args.hogs} hogs"):
                    hogs = _start_hogs(args.hogs, args.nice) if load != "quiet" else []
                    try:
                        for variant, (server, url) in servers.items():
                            connections = int(_changes(variant).get("c", args.connections))
                            r = _measure(server, url, body, connections, args.seconds, tmp)
                            rows.append(
                                f"| {round_number} | {load} | {variant} | {r['rps']:.1f} | "
                                f"{r['good']:.1f} | "
                                f"{r['p50']:.0f} | {r['cpu_ms']:.1f} | {r['threads']:.0f} | "
                                f"{r['voluntary']:.1f} | {r['involuntary']:.1f} | "
                                f"{r['errors']:.0f} |"
                            )
                            print(rows[-1], flush=True)
                    finally:
                        for hog in hogs:
                            hog.kill()
                            hog.wait()
        finally:
            for server, _ in servers.values():
                server.send_signal(signal.SIGINT)
            for server, _ in servers.values():
                server.wait(timeout=30)
    print(
        f"\nCommand: `.venv/bin/python bench/contention.py --page {args.page}"
        f"{' --planned' if args.planned else ''} --connections {args.connections} "
        f"--seconds {args.seconds:g} --rounds {args.rounds} --hogs {args.hogs}"
        f"{f' --nice {args.nice}' if args.nice else ''} --variants {' '.join(args.variants)}`\n\n"
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{'PostgreSQL (--database-url)' if args.database_url else 'demo newsroom on SQLite'}, "
        "response cache off, wrk (1 thread) on the same machine.\n\n"
        "| round | load | variant | req/s | 2xx/s | p50 ms | server CPU ms/req | threads "
        "| voluntary cs/req | involuntary cs/req | non-2xx |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows)
    )


if __name__ == "__main__":
    main()
