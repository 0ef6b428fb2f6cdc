"""Benchmark: does search take longer for a word found only in articles a reader may not see?

Loads the demo newsroom into a fresh database, adds N drafts whose title holds a word no public
article has, then times anonymous `search` requests (through the ASGI app, no network) for
that word, for a word found nowhere and for a common word. Before #11 the hidden-only word cost
two more statements and all its matches' rows; now it runs the statement a missing word runs.

    .venv/bin/python bench/search_hidden_words.py --drafts 300 --requests 200
    # PostgreSQL: an empty database it may fill (drop it afterwards)
    .venv/bin/python bench/search_hidden_words.py --database-url postgres://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from gqlnews.models import Article, ArticleStatus, Section
from gqlnews.settings import Settings
from gqlnews.testing import count_queries, plugin_harness

SEARCH = """query($q: String!) { search(query: $q, first: 10) {
  totalCount nodes { slug title } } }"""
WORDS = {"hidden-only": "qqcachemot", "missing": "qqnullepart", "common (politique)": "politique"}


async def _run(drafts: int, requests: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="gqlnews-bench-") as folder:
        url = database_url or f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        # No response cache (every request runs) and no rate limit (one client sends them all).
        settings = Settings(database_url=url, cache=False, rate_limit_per_minute=0)
        await _measure(settings, drafts, requests)


async def _measure(settings: Settings, drafts: int, requests: int) -> None:
    async with plugin_harness(settings=settings, demo=True) as harness:
        monde = await Section.get(slug="monde")
        for i in range(drafts):
            await Article.create(
                slug=f"bench-brouillon-{i}",
                title=f"Brouillon {WORDS['hidden-only']} {i}",
                status=ArticleStatus.DRAFT,
                primary_section=monde,
            )
        for _ in range(20):  # warm-up
            for word in WORDS.values():
                await harness.query(SEARCH, {"q": word})
        print(f"{drafts} drafts hold the hidden-only word; {requests} requests per word")
        print("| word | SQL statements | median ms | p90 ms |")
        print("|---|---:|---:|---:|")
        for name, word in WORDS.items():
            with count_queries() as sql:
                await harness.query(SEARCH, {"q": word})
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                await harness.query(SEARCH, {"q": word})
                times.append((time.perf_counter() - start) * 1000)
            p90 = statistics.quantiles(times, n=10)[8]
            print(f"| {name} | {sql.count} | {statistics.median(times):.2f} | {p90:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    asyncio.run(_run(args.drafts, args.requests, args.database_url))


if __name__ == "__main__":
    main()
