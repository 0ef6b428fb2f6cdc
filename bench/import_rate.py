"""Benchmark: articles per second of `gqlnews import` on SQLite and on PostgreSQL.

Imports the 10k-article archive (default ../shared/datasets/newsroom-10k.jsonl.gz, from the
repository root) with the real command into a fresh SQLite file and into a fresh PostgreSQL
database (created and dropped here; the search index is maintained by triggers / a generated
column, so it is built as the rows go in), then imports it a second time (every line unchanged).
Reports the import's own time (from its summary) and the wall time of the whole command.
Prints a Markdown table; --write also stores it in bench/import-results.md.

    .venv/bin/python bench/import_rate.py --rounds 3 --write
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "datasets" / "newsroom-10k.jsonl.gz"
GQLNEWS = Path(sys.executable).with_name("gqlnews")
RESULTS = ROOT / "bench" / "import-results.md"
_SUMMARY = re.compile(r"lines in ([\d.]+) s \((\d+) articles, (\d+) articles/s\)")


@dataclass
class Run:
    articles: int
    import_seconds: float
    rate: float
    """Articles per second as the summary reports it (from the import's exact time)."""
    wall_seconds: float


def _import(url: str, archive: Path, extra: list[str]) -> Run:
    started = time.perf_counter()
    done = subprocess.run(
        [str(GQLNEWS), "--database-url", url, "import", "--progress", "off", *extra, str(archive)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"import into {url} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    found = _SUMMARY.search(done.stdout)
    if found is None:
        sys.exit(f"no summary in the output:\n{done.stdout}")
    return Run(int(found.group(2)), float(found.group(1)), float(found.group(3)), wall)


async def _postgres(admin_dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _sqlite_round(archive: Path, extra: list[str]) -> tuple[Run, Run]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{tmp}/bench.sqlite3"
        return _import(url, archive, extra), _import(url, archive, extra)


def _postgres_round(server: str, archive: Path, extra: list[str]) -> tuple[Run, Run]:
    name = f"gqlnews_bench_{os.getpid()}"
    admin = f"{server.replace('postgres://', 'postgresql://', 1)}/postgres"
    asyncio.run(_postgres(admin, f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(_postgres(admin, f'CREATE DATABASE "{name}"'))
    try:
        url = f"{server}/{name}"
        return _import(url, archive, extra), _import(url, archive, extra)
    finally:
        asyncio.run(_postgres(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _row(database: str, rounds: list[tuple[Run, Run]]) -> str:
    first = [fresh for fresh, _ in rounds]
    again = [repeat for _, repeat in rounds]
    median = statistics.median
    return (
        f"| {database} | {first[0].articles} | {median(r.import_seconds for r in first):.2f} "
        f"| **{median(r.rate for r in first):.0f}** | {max(r.rate for r in first):.0f} "
        f"| {median(r.wall_seconds for r in first):.2f} "
        f"| {median(r.import_seconds for r in again):.2f} | {median(r.rate for r in again):.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--rounds", type=int, default=3, help="Fresh imports per database.")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL without database name.",
    )
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--write", action="store_true", help=f"Also write {RESULTS.name}.")
    args = parser.parse_args()
    if not args.archive.exists():
        sys.exit(f"{args.archive} does not exist (the shared datasets live in ../shared)")
    extra = []
    if args.batch_size:
        extra += ["--batch-size", str(args.batch_size)]
    if args.jobs:
        extra += ["--jobs", str(args.jobs)]

    sqlite = [_sqlite_round(args.archive, extra) for _ in range(args.rounds)]
    postgres = [_postgres_round(args.postgres, args.archive, extra) for _ in range(args.rounds)]
    command = " ".join(["bench/import_rate.py", *sys.argv[1:]])
    table = "\n".join(
        [
            "| database | articles | import s (median) | articles/s (median) | best articles/s "
            "| command wall s | re-import s (all unchanged) | re-import articles/s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            _row("SQLite (file)", sqlite),
            _row("PostgreSQL 15", postgres),
        ]
    )
    cpus = os.cpu_count()
    header = (
        f"Command: `.venv/bin/python {command}`\n\n"
        f"Machine: {cpus} cores, Python {platform.python_version()}, {args.rounds} rounds, "
        f"archive `{args.archive.name}`; database and importer on the same machine.\n"
    )
    print(header)
    print(table)
    if args.write:
        body = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        notes = body.split("\n## Notes", 1)[1] if "\n## Notes" in body else "\n"
        RESULTS.write_text(
            f"# Import benchmark\n\n{header}\n{table}\n\n## Notes{notes}", encoding="utf-8"
        )
        print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()
