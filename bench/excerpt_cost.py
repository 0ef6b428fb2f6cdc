"""CPU per article of ``cut_excerpt`` on the newest articles of an archive: the stored excerpt
folded whole (a teaser's ``excerpt``), cut to 160 characters, and a body cut to 300 (an
article without an excerpt).

    PYTHONPATH=<tree>/src .venv/bin/python bench/excerpt_cost.py \\
        --database-url postgres://…/bench_10k [--articles 21] [--rounds 3000]

Run it with two trees' ``src`` side by side to compare them.
"""

from __future__ import annotations

import argparse
import asyncio
import timeit

import asyncpg  # type: ignore[import-untyped]

from gqlnews.text import cut_excerpt


async def _newest(url: str, articles: int) -> list[tuple[str, str]]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT excerpt, body_text FROM article ORDER BY published_at DESC LIMIT $1", articles
        )
    finally:
        await connection.close()
    return [(row["excerpt"], row["body_text"]) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--articles", type=int, default=21)
    parser.add_argument("--rounds", type=int, default=3000)
    args = parser.parse_args()
    texts = asyncio.run(_newest(args.database_url, args.articles))
    ways = {
        "stored excerpt, whole": lambda: [cut_excerpt(e, None) for e, _ in texts],
        "stored excerpt, maxLength 160": lambda: [cut_excerpt(e, 160) for e, _ in texts],
        "body, maxLength 300": lambda: [cut_excerpt(b, 300) for _, b in texts],
    }
    for label, way in ways.items():
        seconds = timeit.timeit(way, number=args.rounds)
        print(f"{label}: {seconds / args.rounds / len(texts) * 1e6:.2f} µs per article")


if __name__ == "__main__":
    main()
