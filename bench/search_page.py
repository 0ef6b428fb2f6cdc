"""Benchmark: PostgreSQL's search page statement, the plain join against the probes in rank
order (what ``gqlnews.search_index.page_statement`` sends), one after the other on the same
connection, for words found in a few articles up to half of them, with and without a filter.

    .venv/bin/python bench/search_page.py --database-url postgres://…/bench_10k [--runs 300]

Each statement is sent through the app's own database client (the driver prepares it and,
after five runs, PostgreSQL plans it once for any values: what a server does), ``--runs``
times after 10 unmeasured runs, in three rounds; prints the best round's mean microseconds
per statement (wall time: the round trip and PostgreSQL's work) and ``SELECT 1``'s for
reference. Both forms are checked to give the same rows first.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from run import in_process_client

from gqlnews import db, search_index
from gqlnews.analysis import query_terms
from gqlnews.graphql.criteria import ArticleCriteria, apply_criteria
from gqlnews.visibility import Viewer, visible_articles

WORDS = ["libye otan", "dialogue", "publique", "gouvernement"]
SECTIONS = ("edito", "societe")
"""The filters' sections: the smallest and the largest of the archive (249 and 2,156
articles)."""


def _plain(
    conn: Any, terms: list[str], among: search_index.Among, limit: int
) -> tuple[str, list[Any]]:
    """The statement before: the matches joined to the visible articles, ranked, cut."""
    matches, params = search_index._matches(conn, terms, among)
    sql = (
        f"SELECT m.id, m.rank FROM ({matches}) m "
        f"ORDER BY m.rank DESC, m.id DESC LIMIT ${len(params) + 1}"
    )
    return sql, [*params, limit]


async def _timed(conn: Any, sql: str, params: list[Any], runs: int) -> float:
    for _ in range(10):
        await conn.execute_query_dict(sql, params)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(runs):
            await conn.execute_query_dict(sql, params)
        best = min(best, (time.perf_counter() - start) / runs * 1e6)
    return best


async def _main(database_url: str, runs: int) -> None:
    async with in_process_client(database_url):
        conn = db.connection()
        among = visible_articles(Viewer(), datetime.now(UTC))
        filters = [("none", search_index.among_of(among))] + [
            (
                f"section {slug}",
                search_index.among_of(
                    apply_criteria(
                        among,
                        ArticleCriteria(section_slugs=(slug,)),
                        viewer=Viewer(),
                        now=datetime.now(UTC),
                    )
                ),
            )
            for slug in SECTIONS
        ]
        print(f"`SELECT 1`: {await _timed(conn, 'SELECT 1', [], runs):.0f} µs")
        print("| words | filter | matches | plain join µs | probes in rank order µs |")
        print("|---|---|---:|---:|---:|")
        for words in WORDS:
            terms = query_terms(words)
            for label, narrowed in filters:
                count = await search_index.count_matching(conn, terms, narrowed)
                plain = _plain(conn, terms, narrowed, 11)
                probes = search_index.page_statement(conn, terms, narrowed, None, 11)
                same = await conn.execute_query_dict(*plain)
                assert same == await conn.execute_query_dict(*probes), words
                before = await _timed(conn, *plain, runs)
                after = await _timed(conn, *probes, runs)
                print(f"| {words} | {label} | {count} | {before:.0f} | {after:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(_main(args.database_url, args.runs))


if __name__ == "__main__":
    main()
