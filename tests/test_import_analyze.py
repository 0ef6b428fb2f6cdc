"""``gqlnews import`` leaves planner statistics behind (#18, item 2): once it has written, it
``ANALYZE``s the tables (the plugins' too, which its hook wrote) and says so; ``--no-analyze``
leaves that out, and an import that wrote nothing analyzes nothing.

The command runs as a user runs it (a process of its own) on a fresh database of the tests'
dialect: PostgreSQL's ``pg_stat_user_tables.last_analyze``, or SQLite's ``sqlite_stat1``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest_asyncio

from tests.helpers import scratch_database_url
from tests.test_archive_cli import query, run
from tests.test_archive_support import SAMPLE

_ANALYZED = re.compile(r"^analyzed (\d+) tables in [\d.]+ s", re.MULTILINE)
CORE_TABLES = {"article", "article_section", "article_author", "section", "author", "image"}
PLUGIN_TABLES = {"related_text_posting"}
"""Written by the related plugin's import hook."""


@pytest_asyncio.fixture
async def database_url() -> AsyncIterator[str]:
    async with scratch_database_url() as url:
        yield url


async def analyzed_tables(url: str) -> set[str]:
    """Tables that have planner statistics."""
    if url.startswith("sqlite://"):
        exists = await query(url, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not exists[0][0]:
            return set()
        return {str(row[0]) for row in await query(url, "SELECT DISTINCT tbl FROM sqlite_stat1")}
    rows = await query(
        url, "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
    )
    return {str(row[0]) for row in rows}


async def test_import_analyzes_what_it_wrote(database_url: str) -> None:
    done = run(database_url, "import", "--progress", "off", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    found = _ANALYZED.search(done.stdout)
    assert found is not None, done.stdout
    assert int(found.group(1)) >= len(CORE_TABLES | PLUGIN_TABLES)
    assert await analyzed_tables(database_url) >= CORE_TABLES | PLUGIN_TABLES


async def test_no_analyze_and_an_import_that_writes_nothing(database_url: str) -> None:
    done = run(database_url, "import", "--progress", "off", "--no-analyze", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    assert _ANALYZED.search(done.stdout) is None, done.stdout
    assert not CORE_TABLES & await analyzed_tables(database_url)

    again = run(database_url, "import", "--progress", "off", str(SAMPLE))
    assert again.returncode == 0, again.stderr
    assert _ANALYZED.search(again.stdout) is None, again.stdout  # all unchanged
    assert not CORE_TABLES & await analyzed_tables(database_url)
