"""What PostgreSQL itself spends on the related strategies' lookups (their one statement
each, ``gqlnews_related.shared_tags`` and ``text_similarity``), two versions of the plugin
side by side in the same run.

    .venv/bin/python bench/lookup_sql_cost.py --database-url postgres://…/bench_10k \\
        --base ../related-base [--slug SLUG] [--runs 300] [--rounds 4]

Each version's statement texts are read from its checkout (``--base``: the code before; the
other is this checkout). Both are sent on one connection, ``--runs`` times each per round,
the order alternating from round to round, after ten runs each (asyncpg prepares them, and
PostgreSQL settles on its plan); the figure is the server process's CPU time (from
``/proc``: the database must run on this machine) per lookup, in ms. The article is q2's
(``../shared/bench-queries/q2.json``) unless ``--slug``. The process's own CPU and the
statement's round trip are not in it: bench/related_q2.py measures those.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from process_cpu import tree_seconds

HERE = Path(__file__).resolve().parent
Q2 = HERE.parent.parent / "shared" / "bench-queries" / "q2.json"
STRATEGIES = ("shared_tags", "text_similarity")
PARAMETERS = {"shared_tags": (2, 0.05), "text_similarity": ("", 25, 0.02)}
"""What each lookup is sent after the article ids (the strategies' own constants)."""


def statements(checkout: Path) -> dict[str, str]:
    """The PostgreSQL text of each strategy's lookup in ``checkout`` (imported in a process of
    its own, so that two versions of the plugin never meet)."""
    code = (
        "import json, sys\n"
        f"sys.path[:0] = [{str(checkout / 'src')!r}, {str(checkout / 'plugins')!r}]\n"
        "from gqlnews_related import shared_tags, text_similarity\n"
        "print(json.dumps({name: getattr(sys.modules['gqlnews_related.' + name], "
        f"'_LOOKUP').postgres for name in {STRATEGIES!r}}}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found: dict[str, str] = json.loads(out.stdout)
    return found


async def measure(
    url: str, versions: dict[str, dict[str, str]], slug: str, runs: int, rounds: int
) -> None:
    connection = await asyncpg.connect(url)
    try:
        article = await connection.fetchval("SELECT id FROM article WHERE slug = $1", slug)
        if article is None:
            raise SystemExit(f"no article {slug!r} in this database")
        server = connection.get_server_pid()
        found: dict[tuple[str, str], list[float]] = {}
        names = list(versions)
        for round_ in range(rounds):
            for version in names if round_ % 2 == 0 else names[::-1]:
                for strategy in STRATEGIES:
                    sql = versions[version][strategy]
                    arguments = ([article], *PARAMETERS[strategy])
                    for _ in range(10):
                        await connection.fetch(sql, *arguments)
                    before = tree_seconds(server)
                    for _ in range(runs):
                        await connection.fetch(sql, *arguments)
                    spent = (tree_seconds(server) - before) * 1000 / runs
                    found.setdefault((strategy, version), []).append(spent)
    finally:
        await connection.close()
    print(f"| lookup | {' | '.join(names)} |  (PostgreSQL CPU ms per lookup, one figure a round)")
    print("|---|" + "---|" * len(names))
    for strategy in STRATEGIES:
        cells = [" ".join(f"{x:.2f}" for x in found[(strategy, v)]) for v in names]
        print(f"| {strategy} | {' | '.join(cells)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--slug", default=json.loads(Q2.read_text())["variables"]["slug"])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    versions = {"before": statements(args.base), "after": statements(HERE.parent)}
    url = args.database_url.split("?", 1)[0]
    asyncio.run(measure(url, versions, args.slug, args.runs, args.rounds))


if __name__ == "__main__":
    main()
