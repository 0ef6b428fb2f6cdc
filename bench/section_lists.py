"""PostgreSQL's CPU for a section's list of articles, by section and depth, with the plan it
keeps for a prepared statement (the generic plan); and the same statement matching the
links' own section without the joins to the sections' parents (what a statement naming the
tree's expanded ids would cost: the same rows where no section has sub-sections, as in the
10k archive; the script checks that the rows are the same).

    .venv/bin/python bench/section_lists.py --database-url postgres://…/bench_10k \\
        [--sections une monde sciences edito] [--skips 0 200 1000] [--runs 200]

Builds the app in process (response cache off), walks each section's list to the page
after ``skip`` articles with cursors, records the statement of that page (21 teasers) as
the server sends it, then replays it ``--runs`` times on one connection with
``plan_cache_mode = force_generic_plan`` and reads that server process's CPU time, as
bench/statement_cpu.py does. Results: bench/plans-results.md, eleventh round.
"""

from __future__ import annotations

import argparse
import asyncio
import re
from typing import Any

from run import in_process_client
from statement_cpu import _process_seconds, _statements

from gqlnews import db

PAGE = """query($s: String!, $a: String) { section(slug: $s) {
  articles(first: 21, after: $a) { nodes { title slug excerpt publishedAt } } } }"""
CURSORS = """query($s: String!, $n: Int!, $a: String) { section(slug: $s) {
  articles(first: $n, after: $a) { edges { cursor } } } }"""

_TREE = re.compile(
    r'"id" IN \(SELECT "article_section"\."article_id" "article_id" FROM "article_section" '
    r'LEFT OUTER JOIN .*? WHERE "article_section"\."section_id" IN \((\$\d+)\) '
    r'OR "article_section__section"\."parent_id" IN \((\$\d+)\) '
    r'OR "article_section__section__parent"\."parent_id" IN \((\$\d+)\)\)'
)


def _own_section(match: re.Match[str]) -> str:
    own = " OR ".join(f'"article_section"."section_id" IN ({p})' for p in match.groups())
    return f'"id" IN (SELECT "article_section"."article_id" FROM "article_section" WHERE {own})'


async def _after(client: Any, slug: str, skip: int) -> str | bool | None:
    """The cursor after the first ``skip`` articles (None for the first page), False when
    the section holds fewer."""
    after, seen = None, 0
    while seen < skip:
        variables = {"s": slug, "n": min(100, skip - seen), "a": after}
        answer = await client.post("/graphql", json={"query": CURSORS, "variables": variables})
        edges = answer.json()["data"]["section"]["articles"]["edges"]
        if not edges:
            return False
        seen += len(edges)
        after = edges[-1]["cursor"]
    return after


async def _main(database_url: str, sections: list[str], skips: list[int], runs: int) -> None:
    async with in_process_client(database_url) as client:
        pages: list[tuple[str, int, str, tuple[Any, ...]]] = []
        for slug in sections:
            for skip in skips:
                after = await _after(client, slug, skip)
                if after is False:
                    continue
                body = {"query": PAGE, "variables": {"s": slug, "a": after}}
                sent = await _statements(client, body)
                query, args = next((q, a) for q, a in sent if '"article_section"' in q)
                pages.append((slug, skip, query, args))
        async with db.connection().acquire_connection() as raw:
            await raw.execute("SET plan_cache_mode = force_generic_plan")
            pid = await raw.fetchval("SELECT pg_backend_pid()")

            async def cpu_us(query: str, args: tuple[Any, ...]) -> tuple[float, list[int]]:
                for _ in range(10):
                    await raw.fetch(query, *args)
                start = _process_seconds(pid)
                for _ in range(runs):
                    rows = await raw.fetch(query, *args)
                return (_process_seconds(pid) - start) / runs * 1e6, [r["id"] for r in rows]

            for slug, skip, query, args in pages:
                variant, found = _TREE.subn(_own_section, query)
                if found != 1:
                    raise SystemExit(f"{slug}: not the section tree's statement: {query[:200]}")
                tree, rows = await cpu_us(query, args)
                own, same = await cpu_us(variant, args)
                print(f"| `{slug}` | {skip} | {tree:.0f} | {own:.0f} | {rows == same} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--sections", nargs="*", default=["une", "monde", "sciences", "edito"])
    parser.add_argument("--skips", nargs="*", type=int, default=[0, 200, 1000])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    print("| section | after | µs, tree joined | µs, own section | same rows |")
    print("|---|---:|---:|---:|---|")
    asyncio.run(_main(args.database_url, args.sections, args.skips, args.runs))


if __name__ == "__main__":
    main()
