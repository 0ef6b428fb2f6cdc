"""Benchmark: articles per second of `gqlnews import` on SQLite and on PostgreSQL.

Imports the 10k-article archive (default ../shared/datasets/newsroom-10k.jsonl.gz, from the
repository root) with the real command into a fresh SQLite file and into a fresh PostgreSQL
database (created and dropped here; the search index is maintained by triggers / a generated
column, so it is built as the rows go in), then imports it a second time (every line must be
unchanged: the script stops otherwise). Reports the import's own time (from its summary), the
related plugin's text index built when the import has written (``gqlnews_archive_imported``;
the ``related:`` line of the summary), their sum, and the wall time of the whole command.
When the command does not call the hook (the plugin disabled, or an older command), the index
is built by ``gqlnews related index`` right after, and the table says so.
Prints a Markdown table; --write also appends it, dated, to bench/import-results.md.

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
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "datasets" / "newsroom-10k.jsonl.gz"
GQLNEWS = Path(sys.executable).with_name("gqlnews")
RESULTS = ROOT / "bench" / "import-results.md"
_SUMMARY = re.compile(r"lines in ([\d.]+) s \((\d+) articles, (\d+) articles/s\)")
_ARTICLE_COUNTS = re.compile(r"^\s+article\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", re.MULTILINE)
_INDEX = re.compile(r"text index: (\d+) article\(s\) indexed in ([\d.]+) s")
_HOOK_INDEX = re.compile(r"^\s+related: " + _INDEX.pattern, re.MULTILINE)


@dataclass
class Run:
    articles: int
    import_seconds: float
    rate: float
    """Articles per second as the summary reports it (from the import's exact time)."""
    wall_seconds: float
    """The whole command (plus ``gqlnews related index`` when the import did not index)."""
    counts: tuple[int, int, int, int]
    """Articles created, updated, unchanged, failed."""
    indexed: int
    index_seconds: float
    by_hook: bool
    """Whether the import command built the index itself (else ``gqlnews related index``)."""

    @property
    def total_seconds(self) -> float:
        return self.import_seconds + self.index_seconds


def _gqlnews(url: str, *args: str) -> tuple[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(GQLNEWS), "--database-url", url, *args], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:1])} on {url} failed ({done.returncode}):\n{done.stdout}\n"
                 f"{done.stderr}")  # fmt: skip
    return done.stdout, wall


def _import(url: str, archive: Path, extra: list[str]) -> Run:
    out, wall = _gqlnews(url, "import", "--progress", "off", *extra, str(archive))
    found = _SUMMARY.search(out)
    counts = _ARTICLE_COUNTS.search(out)
    if found is None or counts is None:
        sys.exit(f"no summary in the output:\n{out}")
    index = _HOOK_INDEX.search(out)
    by_hook = index is not None
    if index is None:
        index_out, index_wall = _gqlnews(url, "related", "index")
        wall += index_wall
        index = _INDEX.search(index_out)
        if index is None:
            sys.exit(f"no index summary in the output:\n{index_out}")
    created, updated, unchanged, failed = (int(n) for n in counts.groups())
    return Run(
        int(found.group(2)),
        float(found.group(1)),
        float(found.group(3)),
        wall,
        (created, updated, unchanged, failed),
        int(index.group(1)),
        float(index.group(2)),
        by_hook,
    )


def _both(url: str, archive: Path, extra: list[str]) -> tuple[Run, Run]:
    """A first import into an empty database, then the same file again (all unchanged)."""
    first = _import(url, archive, extra)
    again = _import(url, archive, extra)
    if again.counts != (0, 0, first.articles, 0):
        sys.exit(f"the re-import was not all unchanged: {again.counts} (created, updated, "
                 "unchanged, failed)")  # fmt: skip
    return first, again


async def _postgres(admin_dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _sqlite_round(archive: Path, extra: list[str]) -> tuple[Run, Run]:
    with tempfile.TemporaryDirectory() as tmp:
        return _both(f"sqlite://{tmp}/bench.sqlite3", archive, extra)


def _postgres_round(server: str, archive: Path, extra: list[str]) -> tuple[Run, Run]:
    name = f"gqlnews_bench_{os.getpid()}"
    admin = f"{server.replace('postgres://', 'postgresql://', 1)}/postgres"
    asyncio.run(_postgres(admin, f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(_postgres(admin, f'CREATE DATABASE "{name}"'))
    try:
        return _both(f"{server}/{name}", archive, extra)
    finally:
        asyncio.run(_postgres(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _row(database: str, rounds: list[tuple[Run, Run]]) -> str:
    first = [fresh for fresh, _ in rounds]
    again = [repeat for _, repeat in rounds]
    median = statistics.median
    how = "" if all(r.by_hook for r in first + again) else " ¹"
    return (
        f"| {database} | {first[0].articles} | {median(r.import_seconds for r in first):.2f} "
        f"| **{median(r.rate for r in first):.0f}** "
        f"| {median(r.index_seconds for r in first):.2f} ({first[0].indexed}){how} "
        f"| **{median(r.total_seconds for r in first):.2f}** "
        f"| {median(r.wall_seconds for r in first):.2f} "
        f"| {median(r.import_seconds for r in again):.2f} | {median(r.rate for r in again):.0f} "
        f"| {median(r.index_seconds for r in again):.2f} ({again[0].indexed}) "
        f"| **{median(r.total_seconds for r in again):.2f}** |"
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
    lines = [
        "| database | articles | import s (median) | articles/s | index s (articles) "
        "| import + index s | command wall s | re-import s (all unchanged) | re-import "
        "articles/s | re-import index s (articles) | re-import + index s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        _row("SQLite (file)", sqlite),
        _row("PostgreSQL 15", postgres),
    ]
    if not all(run.by_hook for rounds in (sqlite, postgres) for pair in rounds for run in pair):
        lines.append(
            "\n¹ the import command did not build the index (no `related:` line in its summary):"
            " measured with `gqlnews related index` right after it, the same indexing code."
        )
    table = "\n".join(lines)
    cpus = os.cpu_count()
    header = (
        f"Command: `.venv/bin/python {command}`\n\n"
        f"Machine: {cpus} cores, Python {platform.python_version()}, {args.rounds} rounds, "
        f"archive `{args.archive.name}`; database and importer on the same machine.\n"
    )
    print(header)
    print(table)
    if args.write:
        body = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Import benchmark\n"
        day = datetime.now(UTC).date().isoformat()
        section = f"\n## {day}: import, related text index, re-import\n\n{header}\n{table}\n"
        RESULTS.write_text(body.rstrip("\n") + "\n" + section, encoding="utf-8")
        print(f"\nappended to {RESULTS}")


if __name__ == "__main__":
    main()
