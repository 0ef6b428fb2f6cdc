"""PostgreSQL's CPU for a section's list of articles, by section and depth, with the plan it
keeps for a prepared statement (the generic plan), as the tree on ``PYTHONPATH`` builds the
statement; and a digest of the rows, to compare two trees' answers.

    cd bench && PYTHONPATH=<tree>/src:<tree>/plugins ../.venv/bin/python section_lists.py \
        --database-url postgres://…/bench_10k [--sections une monde sciences edito] \
        [--skips 0 200 1000] [--runs 200]

Builds the app in process (response cache off), walks each section's list to the page
after ``skip`` articles with cursors, records the statement of that page (21 teasers) as
the server sends it, then replays it ``--runs`` times on one connection with
``plan_cache_mode = force_generic_plan`` and reads that server process's CPU time, as
bench/statement_cpu.py does. Results: bench/plans-results.md (eleventh and twelfth rounds;
the eleventh's "own section" column came from this script at e470e5e).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
from typing import Any

from run import in_process_client
from statement_cpu import _statements, replayed

from gqlnews import db

PAGE = """query($s: String!, $a: String) { section(slug: $s) {
  articles(first: 21, after: $a) { nodes { title slug excerpt publishedAt } } } }"""
CURSORS = """query($s: String!, $n: Int!, $a: String) { section(slug: $s) {
  articles(first: $n, after: $a) { edges { cursor } } } }"""


def _is_page(statement: str) -> bool:
    """Whether ``statement`` reads a page of articles (not the section's look-up)."""
    return ' FROM "article"' in statement and " LIMIT " in statement


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
                query, args = next((q, a) for q, a in sent if _is_page(q))
                pages.append((slug, skip, query, args))
        async with db.connection().acquire_connection() as raw:
            await raw.execute("SET plan_cache_mode = force_generic_plan")
            pid = await raw.fetchval("SELECT pg_backend_pid()")
            for slug, skip, query, args in pages:
                spent, rows = await replayed(raw, pid, query, args, runs)
                ids = [row["id"] for row in rows]
                digest = hashlib.sha256(repr(ids).encode()).hexdigest()[:12]
                print(f"| `{slug}` | {skip} | {spent:.0f} | {digest} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--sections", nargs="*", default=["une", "monde", "sciences", "edito"])
    parser.add_argument("--skips", nargs="*", type=int, default=[0, 200, 1000])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    print("| section | after | PostgreSQL µs | rows (digest) |")
    print("|---|---:|---:|---|")
    asyncio.run(_main(args.database_url, args.sections, args.skips, args.runs))


if __name__ == "__main__":
    main()
