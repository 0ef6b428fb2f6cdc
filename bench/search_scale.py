"""Benchmark: search on the 10k archive, for words found in a few articles up to ~30 % of them.

Runs anonymous ``search`` requests through the ASGI app (no network, no response cache, no
rate limit) on a database that already holds the archive (``gqlnews import``), and prints, for
each query, how many articles match, the SQL statements of a request and the median / p90
time of: the first page (10 results), the same with ``totalCount``, and a deep page (the page
after the 200th result, reached by its cursor).

    gqlnews --database-url sqlite:///path/s10k.sqlite3 import newsroom-10k.jsonl.gz
    .venv/bin/python bench/search_scale.py --database-url sqlite:///path/s10k.sqlite3
    # PostgreSQL: the same import into an empty database, then
    .venv/bin/python bench/search_scale.py --database-url postgres://postgres@127.0.0.1/bench10k

``--words`` replaces the default queries (``--words "libye otan" festival``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from gqlnews.settings import Settings
from gqlnews.testing import Harness, count_queries, plugin_harness

PAGE = """query($q: String!, $after: String) { search(query: $q, first: 10, after: $after) {
  pageInfo { endCursor } nodes { slug title } } }"""
COUNTED = """query($q: String!) { search(query: $q, first: 10) {
  totalCount nodes { slug title } } }"""
CURSOR = """query($q: String!) { search(query: $q, first: 100, after: null) {
  pageInfo { endCursor } } }"""
NEXT = """query($q: String!, $after: String) { search(query: $q, first: 100, after: $after) {
  pageInfo { endCursor hasNextPage } } }"""
WORDS = ["libye otan", "dialogue", "publique", "gouvernement"]
"""In the 10k archive: 31 articles, then about 20 %, 30 % and 55 % of the articles."""


async def _timed(harness: Harness, query: str, variables: dict[str, Any], rounds: int) -> str:
    with count_queries() as sql:
        await harness.query(query, variables)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        await harness.query(query, variables)
        times.append((time.perf_counter() - start) * 1000)
    p90 = statistics.quantiles(times, n=10)[8]
    return f"{sql.count} | {statistics.median(times):.1f} | {p90:.1f}"


async def _deep_cursor(harness: Harness, word: str) -> str | None:
    """The cursor after the 200th result (None when fewer match)."""
    after = None
    for _ in range(2):
        data = await harness.data(NEXT, {"q": word, "after": after})
        page = data["search"]["pageInfo"]
        if not page["hasNextPage"]:
            return None
        after = page["endCursor"]
    return after


async def _run(database_url: str, words: list[str], rounds: int) -> None:
    # The related plugin's indexer would build its own index of the archive in the background
    # while the first query is timed: off, as in production once it has caught up.
    settings = Settings(
        database_url=database_url,
        cache=False,
        rate_limit_per_minute=0,
        disabled_plugins="related",
    )
    async with plugin_harness(settings=settings) as harness:
        total = await harness.data("{ articles(first: 1) { totalCount } }")
        print(f"{total['articles']['totalCount']} visible articles; {rounds} requests each")
        print(
            "| query | matches | page 1: statements / median ms / p90 ms "
            "| page 1 + totalCount | page 21 (keyset) |"
        )
        print("|---|---:|---|---|---|")
        for word in words:
            for _ in range(5):  # warm-up
                await harness.query(COUNTED, {"q": word})
            counted = await harness.data(COUNTED, {"q": word})
            matches = counted["search"]["totalCount"]
            first = await _timed(harness, PAGE, {"q": word, "after": None}, rounds)
            with_count = await _timed(harness, COUNTED, {"q": word}, rounds)
            cursor = await _deep_cursor(harness, word)
            deep = (
                await _timed(harness, PAGE, {"q": word, "after": cursor}, rounds)
                if cursor
                else "(fewer than 200 matches)"
            )
            print(f"| {word} | {matches} | {first} | {with_count} | {deep} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--words", nargs="+", default=WORDS)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(_run(args.database_url, args.words, args.rounds))


if __name__ == "__main__":
    main()
