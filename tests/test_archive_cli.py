"""``gqlnews import`` / ``gqlnews export`` as a user runs them: a real process on a database
file (SQLite) or a fresh PostgreSQL database, following the dialect of the test run.

Covers exit codes, standard input and output, gzip, plain progress lines, and interruptions: a
SIGKILL half-way leaves only whole articles and a second run completes the import; SIGTERM
stops at a batch boundary with a summary.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest_asyncio

from tests.helpers import scratch_database_url
from tests.test_archive_support import (
    SAMPLE,
    SAMPLE_COUNTS,
    Line,
    article_lines,
    decode,
    reference_lines,
    renamed,
    write_archive,
)

GQLNEWS = Path(sys.executable).with_name("gqlnews")
COPIES = 40
"""The signal tests import the sample's articles this many times over (2,400 articles)."""


@pytest_asyncio.fixture
async def database_url() -> AsyncIterator[str]:
    """A database of its own for the command: a SQLite file, or a PostgreSQL database created
    for the test and dropped afterwards."""
    async with scratch_database_url() as url:
        yield url


def _command(url: str, *args: str) -> list[str]:
    return [str(GQLNEWS), "--database-url", url, *args]


def run(url: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        _command(url, *args), input=stdin, capture_output=True, timeout=180, check=False
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


async def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` through a connection of its own (not the command's)."""
    if url.startswith("sqlite://"):
        with sqlite3.connect(url.removeprefix("sqlite://"), timeout=30) as conn:
            return [tuple(row) for row in conn.execute(sql)]
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return [tuple(row) for row in await conn.fetch(sql)]
    finally:
        await conn.close()


async def article_count(url: str) -> int:
    try:
        return int((await query(url, "SELECT count(*) FROM article"))[0][0])
    except (sqlite3.OperationalError, asyncpg.UndefinedTableError):
        return 0  # the schema is not there yet


def _total(stdout: str) -> list[int]:
    """created, updated, skipped, failed from the summary's total line."""
    line = next(text for text in stdout.splitlines() if text.strip().startswith("total"))
    return [int(number) for number in line.split()[1:]]


def _big_archive(path: Path) -> tuple[Path, dict[str, tuple[int, int, int, bool]]]:
    """The sample's references and its articles ``COPIES`` times (each copy its own uri), with
    what each article must have once imported: section, author and tag links, an image."""
    articles: list[Line] = [
        renamed(line, f"copy{n}") for n in range(COPIES) for line in article_lines()
    ]
    expected = {
        line["ninjs"]["uri"]: (
            len(line["ninjs"]["gqlnews"]["sections"]),
            len(line["ninjs"]["gqlnews"]["authors"]),
            len(line["ninjs"]["gqlnews"]["tags"]),
            "associations" in line["ninjs"],
        )
        for line in articles
    }
    return write_archive(path, [*reference_lines(), *articles]), expected


ARTICLE_SHAPES = """
SELECT a.uri,
       (SELECT count(*) FROM article_section s WHERE s.article_id = a.id),
       (SELECT count(*) FROM article_author w WHERE w.article_id = a.id),
       (SELECT count(*) FROM article_tag t WHERE t.article_id = a.id),
       a.image_id IS NOT NULL,
       (SELECT count(*) FROM article_section s
         WHERE s.article_id = a.id AND s.position = 0 AND s.section_id = a.primary_section_id)
FROM article a
"""


async def assert_whole_articles(url: str, expected: dict[str, tuple[int, int, int, bool]]) -> int:
    """Every stored article has all its links and its image; return how many there are."""
    rows = await query(url, ARTICLE_SHAPES)
    for uri, sections, authors, tags, has_image, primary in rows:
        assert (sections, authors, tags, bool(has_image)) == expected[uri], uri
        assert primary == 1, uri
    return len(rows)


async def _start_and_wait_for_articles(url: str, archive: Path) -> asyncio.subprocess.Process:
    """Start an import and return once some of its batches have committed."""
    process = await asyncio.create_subprocess_exec(
        *_command(url, "import", "--batch-size", "40", str(archive)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    for _ in range(3000):
        if await article_count(url) > 0 or process.returncode is not None:
            break
        await asyncio.sleep(0.01)
    return process


async def test_import_from_a_file_from_stdin_and_gzip(database_url: str) -> None:
    total = sum(SAMPLE_COUNTS.values())
    first = run(database_url, "import", str(SAMPLE))
    assert first.returncode == 0, first.stderr
    assert "import finished" in first.stdout
    assert _total(first.stdout) == [total, 0, 0, 0]
    article_row = next(line for line in first.stdout.splitlines() if "article" in line.split())
    assert article_row.split()[1:] == [str(SAMPLE_COUNTS["article"]), "0", "0", "0"]
    # Not a terminal: plain progress lines on stderr, the last one at 100 %.
    progress = [line for line in first.stderr.splitlines() if line.startswith("import: ")]
    assert progress and f"{total} lines (100%)" in progress[-1], first.stderr
    plain = gzip.decompress(SAMPLE.read_bytes())
    again = run(database_url, "import", "-", stdin=plain)
    assert again.returncode == 0, again.stderr
    assert _total(again.stdout) == [0, 0, total, 0]
    assert "<stdin>" in again.stdout
    assert await article_count(database_url) == SAMPLE_COUNTS["article"]


async def test_bad_lines_set_the_exit_code(database_url: str, tmp_path: Path) -> None:
    article = article_lines()[0]
    lines: list[Line | str] = [
        *reference_lines(), article, "{oops", {"type": "podcast"}, renamed(article, "2"),
    ]  # fmt: skip
    archive = write_archive(tmp_path / "bad.jsonl", lines)
    bad = len(reference_lines()) + 2
    result = run(database_url, "import", "--progress", "off", str(archive))
    assert result.returncode == 1, result.stderr
    assert f"line {bad}: line: invalid JSON" in result.stderr
    assert f"line {bad + 1}: line: unknown type 'podcast'" in result.stderr
    assert _total(result.stdout)[3] == 2
    assert "import: " not in result.stderr  # --progress off
    strict = run(database_url, "import", "--strict", str(archive))
    assert strict.returncode == 2
    assert "stopped at the first bad line" in strict.stdout
    assert f"error: line {bad}: invalid JSON" in strict.stderr
    missing = run(database_url, "import", str(tmp_path / "nowhere.jsonl"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


async def test_export_to_stdout_and_to_gzip_with_filters(database_url: str, tmp_path: Path) -> None:
    assert run(database_url, "import", str(SAMPLE)).returncode == 0
    everything = run(database_url, "export", "-")
    assert everything.returncode == 0, everything.stderr
    lines = [json.loads(text) for text in everything.stdout.splitlines()]
    assert sum(line["type"] == "article" for line in lines) == SAMPLE_COUNTS["article"]
    assert "export finished" in everything.stderr
    target = tmp_path / "sport.jsonl.gz"
    sport = run(database_url, "export", "--since", "2024-01-01", "--section", "sport", str(target))
    assert sport.returncode == 0, sport.stderr
    exported = decode(gzip.decompress(target.read_bytes()))
    expected = {
        line["ninjs"]["uri"]
        for line in article_lines()
        if "sport" in line["ninjs"]["gqlnews"]["sections"]
        and line["ninjs"]["versioncreated"] >= "2024-01-01"
    }
    assert {line["ninjs"]["uri"] for line in exported if line["type"] == "article"} == expected
    unknown = run(database_url, "export", "--section", "jardinage", str(tmp_path / "x.jsonl"))
    assert unknown.returncode == 2 and "unknown section 'jardinage'" in unknown.stderr
    assert not list(tmp_path.glob("*x.jsonl*")), "no partial file is left behind"
    bad_date = run(database_url, "export", "--since", "hier", "-")
    assert bad_date.returncode == 2 and "is not a date" in bad_date.stderr


async def test_sigkill_leaves_whole_articles_and_a_second_run_completes(
    database_url: str, tmp_path: Path
) -> None:
    archive, expected = _big_archive(tmp_path / "big.jsonl")
    process = await _start_and_wait_for_articles(database_url, archive)
    process.kill()  # SIGKILL: no cleanup, whatever it was writing
    await process.communicate()
    assert process.returncode == -signal.SIGKILL
    done = await assert_whole_articles(database_url, expected)
    assert 0 < done < len(expected), "the import was killed half-way"
    again = run(database_url, "import", str(archive))
    assert again.returncode == 0, again.stderr
    created, updated, _skipped, failed = _total(again.stdout)
    assert (updated, failed) == (0, 0)
    article_row = next(line for line in again.stdout.splitlines() if "article" in line.split())
    assert [int(n) for n in article_row.split()[1:]] == [len(expected) - done, 0, done, 0]
    assert created >= len(expected) - done
    assert await assert_whole_articles(database_url, expected) == len(expected)


async def test_sigterm_stops_at_a_batch_boundary_with_a_summary(
    database_url: str, tmp_path: Path
) -> None:
    archive, expected = _big_archive(tmp_path / "big.jsonl")
    process = await _start_and_wait_for_articles(database_url, archive)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = await process.communicate()
    assert process.returncode == 143, stderr.decode()
    summary = stdout.decode()
    assert "import interrupted by SIGTERM" in summary
    article_row = next(line for line in summary.splitlines() if "article" in line.split())
    imported = int(article_row.split()[1])
    assert 0 < imported < len(expected)
    assert await assert_whole_articles(database_url, expected) == imported
