"""Planner statistics after a bulk import: ``ANALYZE`` the database's tables.

A freshly imported PostgreSQL database has no statistics until autovacuum gets to it (or
never, where it is off): the planner then guesses row counts and picks poor plans (the
section-filtered article list took 90-100 ms instead of ~5 ms, see bench/import-results.md).
SQLite plans with ``sqlite_stat1`` when it exists. So the import analyzes the tables once it
has written, the plugins' included (their ``gqlnews_archive_imported`` hooks write too).

Every table of the current schema is analyzed, not only those the import changed: an import
writes nearly all of them, and ``ANALYZE`` reads a bounded sample of each table (PostgreSQL:
300 × ``default_statistics_target`` rows), so an unchanged table costs little.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from gqlnews.db import connection_dialect

_POSTGRES_TABLES = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
)
_SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
    "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
)


@dataclass(frozen=True, slots=True)
class Analyzed:
    """What :func:`analyze_tables` did."""

    tables: int
    seconds: float

    def describe(self) -> str:
        """The line the import prints."""
        return f"analyzed {self.tables} tables in {self.seconds:.1f} s (planner statistics)"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def analyze_tables(conn: BaseDBAsyncClient) -> Analyzed:
    """``ANALYZE`` each table of the database's current schema (SQLite: the main database,
    FTS shadow tables included, virtual tables left out); how many and how long."""
    started = time.perf_counter()
    postgres = connection_dialect(conn) == "postgres"
    _, rows = await conn.execute_query(_POSTGRES_TABLES if postgres else _SQLITE_TABLES)
    names = [str(row[0]) for row in rows]
    for name in names:
        await conn.execute_script(f"ANALYZE {_quoted(name)}")
    return Analyzed(len(names), time.perf_counter() - started)
