"""Benchmark: requests/s of the feeds and sitemaps on the 10k-article archive, and their SQL
statements per request.

Imports the archive (default ../shared/datasets/newsroom-10k.jsonl.gz, from the repository
root) into a fresh SQLite file with ``gqlnews import``, its timestamps shifted so that the
archive's cut-off (2025-01-01) is now: the last 48 hours of the archive are then the last 48
hours, and the Google News sitemap is not empty. Counts the SQL statements of each request
in-process (with ``limit`` 20 and 100 for the feed, to show they do not grow), then starts
``gqlnews serve`` (one uvicorn worker, rate limits off) and drives each URL with wrk at N
connections after a warm-up. Prints a Markdown table; --write also stores it in
bench/feeds-results.md.

    .venv/bin/python bench/feeds.py --connections 32 --seconds 10 --write
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from run import _wait_ready, read_wrk

from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "datasets" / "newsroom-10k.jsonl.gz"
GQLNEWS = Path(sys.executable).with_name("gqlnews")
CUT_OFF = datetime(2025, 1, 1, tzinfo=UTC)
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _shift(value: Any, by: timedelta) -> Any:
    """``value`` with every UTC timestamp moved ``by`` (recursively)."""
    if isinstance(value, str) and _STAMP.match(value):
        moved = datetime.fromisoformat(value.replace("Z", "+00:00")) + by
        return moved.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {k: _shift(v, by) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, by) for v in value]
    return value


def shifted_archive(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` with the articles' timestamps moved to end now."""
    by = timedelta(days=(datetime.now(UTC) - CUT_OFF).days)
    opener = gzip.open if source.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(source, "rt", encoding="utf-8") as lines, target.open("w") as out:
        for text in lines:
            line = json.loads(text)
            if line.get("type") == "article":
                line = _shift(line, by)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


async def statements(url: str, paths: list[str]) -> dict[str, tuple[int, int]]:
    """SQL statements and body bytes of each path, in-process."""
    app = create_app(Settings(database_url=url, rate_limit_per_minute=0, log_level="WARNING"))
    found = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            for path in paths:
                with count_queries() as log:
                    answer = await http.get(path)
                assert answer.status_code == 200, (path, answer.text)
                found[path] = (log.count, len(answer.content))
    return found


def wrk(url: str, connections: int, seconds: float, headers: list[str]) -> dict[str, float]:
    """wrk's requests/s, p50 and p99 (ms), requests and non-2xx/3xx answers."""
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds:g}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    return read_wrk(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--write", action="store_true", help="write bench/feeds-results.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = f"sqlite://{tmp}/bench.sqlite3"
        archive = tmp / "archive.jsonl"
        shifted_archive(args.archive, archive)
        subprocess.run(
            [str(GQLNEWS), "--database-url", url, "import", str(archive)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        month = datetime.now(UTC).strftime("%Y-%m")
        cases = [
            ("site RSS feed, 20 items", "/feeds/rss.xml", False),
            ("site RSS feed, 20 items, If-None-Match (304)", "/feeds/rss.xml", True),
            ("Google News sitemap", "/sitemaps/news.xml", False),
            ("sitemap index", "/sitemap.xml", False),
            (f"monthly sitemap ({month})", f"/sitemaps/articles-{month}.xml", False),
        ]
        counted = asyncio.run(
            statements(url, ["/feeds/rss.xml?limit=100", *dict.fromkeys(c[1] for c in cases)])
        )
        env = {
            **os.environ,
            "GQLNEWS_DATABASE_URL": url,
            "GQLNEWS_RATE_LIMIT_PER_MINUTE": "0",
            "GQLNEWS_TOKEN_RATE_LIMIT_PER_MINUTE": "0",
            "GQLNEWS_SCHEDULER_INTERVAL": "0",
        }
        server = subprocess.Popen(
            [str(GQLNEWS), "serve", "--port", str(args.port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        rows = []
        try:
            base = f"http://127.0.0.1:{args.port}"
            _wait_ready(f"{base}/readyz")
            for name, path, conditional in cases:
                first = httpx.get(base + path)
                assert first.status_code == 200, (path, first.text)
                headers = [f"If-None-Match: {first.headers['etag']}"] if conditional else []
                if conditional:
                    assert (
                        httpx.get(
                            base + path, headers={"If-None-Match": first.headers["etag"]}
                        ).status_code
                        == 304
                    )
                wrk(base + path, args.connections, 3, headers)  # warm-up
                r = wrk(base + path, args.connections, args.seconds, headers)
                count, size = counted[path]
                rows.append(
                    f"| {name} | `{path}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                    f"{count} | {0 if conditional else size} | {r['errors']:.0f} |"
                )
                print(rows[-1], flush=True)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=10)
    hundred = counted["/feeds/rss.xml?limit=100"][0]
    table = (
        f"Command: `.venv/bin/python bench/feeds.py --connections {args.connections} "
        f"--seconds {args.seconds:g}{' --write' if args.write else ''}`\n\n"
        f"Machine: {os.cpu_count()} cores (load average {load_before:.1f} just before the "
        f"run), Python {platform.python_version()}, the 10k-article archive on SQLite (a "
        "file), 1 uvicorn worker, wrk (1 thread) on the same machine. Run on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.\n\n"
        "| request | path | req/s | p50 ms | p99 ms | SQL statements | body bytes | non-2xx/3xx |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n\n"
        f"The site RSS feed with `?limit=100` costs {hundred} statements, as with 20.\n"
    )
    print(table)
    if args.write:  # the table is replaced, the notes kept
        results = ROOT / "bench" / "feeds-results.md"
        notes = results.read_text().partition("\n## Notes")[1:] if results.exists() else ()
        results.write_text("# Feeds and sitemaps benchmark\n\n" + table + "".join(notes))


if __name__ == "__main__":
    main()
