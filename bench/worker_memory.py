"""Memory of a serving worker holding the 10k archive: RSS before and after traffic.

Imports the archive into a fresh PostgreSQL database (or SQLite with --sqlite), starts
`gqlnews serve --workers 2`, sends every example query (and searches, section pages, edition
pages) a few hundred times, and reads each worker's VmRSS/VmHWM from /proc.

    .venv/bin/python bench/worker_memory.py --write
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "examples" / "queries"
ARCHIVE = ROOT.parent / "shared" / "datasets" / "newsroom-10k.jsonl.gz"


def _status(pid: int) -> dict[str, int]:
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) // 1024  # MiB
    return values


def _workers(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().split()
            except OSError:
                continue
            command = (entry / "cmdline").read_bytes()
            if int(stat[3]) == parent and b"resource_tracker" not in command:
                found.append(int(entry.name))
    return found


def _payloads() -> list[dict[str, object]]:
    payloads = []
    for path in sorted(QUERIES.glob("*.graphql")):
        variables_file = path.with_suffix(".variables.json")
        variables = json.loads(variables_file.read_text()) if variables_file.exists() else {}
        payloads.append({"query": path.read_text(), "variables": variables})
    for word in ("élection", "football", "budget", "théâtre", "santé", "port", "eau"):
        payloads.append(
            {
                "query": f'{{ search(query: "{word}", first: 20) {{ totalCount '
                "nodes { slug title excerpt(maxLength: 160) } } }"
            }
        )
    for page in range(1, 40, 3):
        payloads.append(
            {
                "query": f'{{ section(slug: "politique") {{ articles(page: {page}, '
                "perPage: 20) { nodes { slug title sections { slug } } } } }"
            }
        )
    return payloads


async def _traffic(base: str, rounds: int) -> int:
    sent = 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for _ in range(rounds):
            results = await asyncio.gather(*(client.post("/graphql", json=p) for p in _payloads()))
            for response in results:
                assert response.status_code == 200, response.text
            sent += len(results)
    return sent


async def _drop_postgres(url: str) -> None:
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await admin.close()


async def _fresh_postgres() -> str:
    name = f"gqlnews_membench_{os.getpid()}"
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    gqlnews = str(Path(sys.executable).with_name("gqlnews"))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{tmp}/mem.sqlite3" if args.sqlite else asyncio.run(_fresh_postgres())
        subprocess.run(
            [gqlnews, "--database-url", url, "migrate"], check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run(
            [gqlnews, "--database-url", url, "import", str(args.archive)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = subprocess.Popen(
            [gqlnews, "--database-url", url, "serve", "--port", str(args.port), "--workers", "2"],
            # A load generator is one client: the per-IP rate limit would refuse most of it.
            env={**os.environ, "GQLNEWS_RATE_LIMIT_PER_MINUTE": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{args.port}"
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.3)
            workers = _workers(server.pid)
            idle = {pid: _status(pid) for pid in workers}
            sent = asyncio.run(_traffic(base, args.rounds))
            busy = {pid: _status(pid) for pid in workers}
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
            if not args.sqlite:
                asyncio.run(_drop_postgres(url))
    database = "SQLite" if args.sqlite else "PostgreSQL"
    rows = [
        f"| {pid} | {idle[pid]['VmRSS']} | {busy[pid]['VmRSS']} | {busy[pid]['VmHWM']} |"
        for pid in workers
    ]
    table = (
        f"Command: `.venv/bin/python bench/worker_memory.py{' --sqlite' if args.sqlite else ''}"
        f" --rounds {args.rounds}`\n\n"
        f"10k archive on {database}, `gqlnews serve --workers 2`, {sent} GraphQL requests "
        "(the examples, searches, section pages) after start-up.\n\n"
        "| worker pid | RSS after start (MiB) | RSS after traffic (MiB) | peak RSS (MiB) |\n"
        "|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )
    print(table)
    if args.write:
        (ROOT / "bench" / f"memory-{database.lower()}.md").write_text("# Worker memory\n\n" + table)


if __name__ == "__main__":
    main()
