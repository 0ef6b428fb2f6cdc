"""The text strategy's lookup (one article page's `related(strategy: "text")`), before and
after document frequencies were stored by the indexer (issue #18), in the same run.

    .venv/bin/python bench/related_lookup.py --database-url postgres://… [--articles 50]
        [--rounds 5] [--write]

The database must hold an imported, indexed archive (`gqlnews migrate`, `gqlnews import
newsroom-10k.jsonl.gz`: the import builds the index). For ~50 articles spread over the
archive it measures:

- the lookup's wall time, as the strategy runs it (all its statements and the Python), with
  the stored frequencies ("after") and with the statement the lookup used before, counting
  postings per term with a GROUP BY over ``related_text_posting`` ("before": the same code
  given that count instead of the stored one, i.e. the old statements exactly); both answer
  the same, which is checked for every article;
- on PostgreSQL, ``EXPLAIN (ANALYZE, BUFFERS)`` of each statement of both lookups: database
  time (planning + execution), rows read by the scans, shared buffers touched.

--write appends the tables to bench/related-lookup-results.md.

Both lookups are the query-set lookup of that time (``tests/plugins/related_before.py``,
four statements); the lookup has since become one prebuilt statement (bench/related_q2.py
measures that change).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.functions import Count

from gqlnews.command_database import command_database
from gqlnews.models import Article
from gqlnews.settings import Settings
from gqlnews_related.models import TextDocument, TextPosting, TextTerm
from gqlnews_related.text_index import INDEXED, posting_frequencies
from gqlnews_related.text_similarity import COMMON_SHARE, MIN_COMMON

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.plugins import related_before  # the query-set lookups

RESULTS = Path(__file__).with_name("related-lookup-results.md")
STORED = related_before.stored_frequencies


async def _counted(wanted: Iterable[str]) -> tuple[dict[str, int], int]:
    """What the lookup read before: postings counted per term, then the article count."""
    return await posting_frequencies(wanted), await TextDocument.all().count()


async def _lookup(article: Article, before: bool, strategy: Any = None) -> Any:
    related_before.stored_frequencies = _counted if before else STORED  # type: ignore[assignment]
    try:
        return await (strategy or related_before.TextBefore()).related([article], 4)
    finally:
        related_before.stored_frequencies = STORED


async def _statements(article_id: int, before: bool) -> list[tuple[str, str]]:
    """The SQL the lookup sends for one article (parameters inlined), by step."""
    own = TextPosting.filter(article_id__in=[article_id]).values_list(
        "article_id", "term", "weight"
    )
    terms = sorted({term for _, term, _ in await own})
    documents = await TextDocument.all().count()
    ceiling = max(MIN_COMMON, documents * COMMON_SHARE)
    frequency = await posting_frequencies(terms)
    useful = sorted(term for term, df in frequency.items() if df <= ceiling)
    if before:
        step = (
            "count postings per term (GROUP BY)",
            TextPosting.filter(term__in=terms)
            .annotate(n=Count("id"))
            .group_by("term")
            .values_list("term", "n")
            .sql(params_inline=True),
        )
    else:
        step = (
            "stored frequencies of the terms",
            TextTerm.filter(term__in=[INDEXED, *terms])
            .values_list("term", "articles")
            .sql(params_inline=True),
        )
    return [
        ("own terms", own.sql(params_inline=True)),
        step,
        ("indexed article count", 'SELECT COUNT(*) FROM "related_text_document"'),
        (
            "postings of the useful terms",
            TextPosting.filter(term__in=useful)
            .values_list("article_id", "term", "weight")
            .sql(params_inline=True),
        ),
    ]


def _scans(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "Scan" in node["Node Type"]:
        yield node
    for child in node.get("Plans", []):
        yield from _scans(child)


async def _explain(sql: str) -> tuple[float, int, int]:
    """Database ms (planning + execution), rows read by scans, shared buffers touched."""
    connection = Tortoise.get_connection("default")
    rows = await connection.execute_query_dict(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
    raw = rows[0]["QUERY PLAN"]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    top = plan["Plan"]
    read = sum(int(n["Actual Rows"]) * int(n["Actual Loops"]) for n in _scans(top))
    buffers = int(top.get("Shared Hit Blocks", 0)) + int(top.get("Shared Read Blocks", 0))
    return plan["Planning Time"] + plan["Execution Time"], read, buffers


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}"


def _p90(values: list[float]) -> str:
    return f"{statistics.quantiles(values, n=10)[-1]:.2f}"


async def run(url: str, count: int, rounds: int) -> list[str]:
    async with command_database(Settings(database_url=url)):
        ids = await TextDocument.all().order_by("article_id").values_list("article_id", flat=True)
        step = max(1, len(ids) // count)
        chosen = list(ids)[::step][:count]
        articles = await Article.filter(id__in=chosen).order_by("id")
        postgres = Tortoise.get_connection("default").capabilities.dialect == "postgres"
        blend = related_before.strategies_before()[0]  # the default strategy: text in it
        wall: dict[tuple[bool, bool], list[float]] = {}
        for article in articles:  # warm: the same caches for both
            assert await _lookup(article, True) == await _lookup(article, False), article.pk
        for _ in range(rounds):
            for article in articles:
                for before in (True, False):
                    for whole in (False, True):
                        started = time.perf_counter()
                        await _lookup(article, before, blend if whole else None)
                        elapsed = (time.perf_counter() - started) * 1000
                        wall.setdefault((before, whole), []).append(elapsed)
        lines = [
            f"Database: {'PostgreSQL' if postgres else 'SQLite'}, {len(ids)} indexed articles, "
            f"{await TextPosting.all().count()} postings, {await TextTerm.all().count() - 1} "
            f"stored terms; {len(articles)} articles (every {step}th indexed one), {rounds} "
            f"rounds, before/after interleaved; same answers for every article (checked). "
            f"Python {platform.python_version()}, same machine as the database.",
            "",
            "| lookup of one article (`text`, first 4) | before (GROUP BY) | after (stored) |",
            "|---|---:|---:|",
            f"| wall ms, median | {_ms(wall[True, False])} | {_ms(wall[False, False])} |",
            f"| wall ms, p90 | {_p90(wall[True, False])} | {_p90(wall[False, False])} |",
            f"| `blend` (the default, text in it): wall ms, median | {_ms(wall[True, True])} "
            f"| {_ms(wall[False, True])} |",
        ]
        if not postgres:
            return lines
        explained: dict[bool, dict[str, list[tuple[float, int, int]]]] = {True: {}, False: {}}
        for article in articles:
            for before in (True, False):
                for name, sql in await _statements(article.pk, before):
                    explained[before].setdefault(name, []).append(await _explain(sql))
        lines += [
            "",
            "`EXPLAIN (ANALYZE, BUFFERS)` of each statement, median over the articles "
            "(database ms = planning + execution; rows = rows read by the scans):",
            "",
            "| statement | before: db ms | rows | buffers | after: db ms | rows | buffers |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        names = [*explained[True]][:1] + [*explained[True]][1:2] + [*explained[False]][1:2]
        names += [*explained[True]][2:]
        totals: dict[bool, list[float]] = {}
        for before in (True, False):
            per_article = zip(*explained[before].values(), strict=True)
            totals[before] = [sum(ms for ms, _, _ in statements) for statements in per_article]
        for name in names:
            cells = []
            for before in (True, False):
                got = explained[before].get(name)
                if got is None:
                    cells.append("– | – | –")
                    continue
                cells.append(
                    f"{_ms([g[0] for g in got])} | {statistics.median(g[1] for g in got):.0f} "
                    f"| {statistics.median(g[2] for g in got):.0f}"
                )
            lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
        lines.append(
            f"| **all four, per article page** | **{_ms(totals[True])}** | | "
            f"| **{_ms(totals[False])}** | | |"
        )
        return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    lines = asyncio.run(run(args.database_url, args.articles, args.rounds))
    command = (
        f"`.venv/bin/python bench/related_lookup.py --database-url {args.database_url} "
        f"--articles {args.articles} --rounds {args.rounds}`"
    )
    print("\n".join(lines))
    if args.write:
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        header = "" if RESULTS.exists() else _HEADER
        with RESULTS.open("a") as out:
            out.write(f"{header}\n## {stamp}\n\nCommand: {command}\n\n" + "\n".join(lines) + "\n")


_HEADER = """# Related lookup: stored document frequencies (issue #18)

The text strategy's lookup used to count postings per term on every request (a GROUP BY over
`related_text_posting` for the article's 40 terms, common ones included); the indexer now keeps
those counts in `related_text_term`, so a lookup reads 41 rows by primary key instead. Made by
`bench/related_lookup.py` (its docstring says what is measured).
"""


if __name__ == "__main__":
    main()
