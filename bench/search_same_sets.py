"""Check: SQLite and PostgreSQL find the same articles for the same queries on the archive.

Both databases must hold the same import (``gqlnews import`` of the same file into each).
Prints, per query, the number of matches on each and whether the sets of article URIs (ids may
differ between databases) are equal; exits 1 when one differs.

    .venv/bin/python bench/search_same_sets.py sqlite:///…/s10k.sqlite3 postgres://…/bench10k
"""

from __future__ import annotations

import asyncio
import sys

from gqlnews import db, search_index
from gqlnews.db import open_database
from gqlnews.models import Article

QUERIES = [
    "libye otan",
    "l'OTAN",
    "dialogues",
    "dialogue",
    "élections",
    "electeurs",
    "écoles",
    "gouvernements",
    "publique",
    "présidentielle",
    "jusqu'à présent",
    "qu'il",
    "chevaux",
    "journaux",
    "festivals",
    "ministres",
    "négociations",
    "sécheresse",
    "Maroc",
    "marocaines",
    "حوار",
    "الحوار",
    "ليبيا",
    "المغرب",
    "الحكومة",
    "مهرجان",
    "2024",
]


async def _sets(url: str) -> dict[str, set[str]]:
    async with open_database(url, []):
        uris = dict(await Article.all().values_list("id", "uri"))
        found = {}
        for query in QUERIES:
            ids = await search_index.ranked_ids(db.connection(), query)
            found[query] = {str(uris[i]) for i in ids}
        return found


async def _main(sqlite_url: str, postgres_url: str) -> int:
    lite = await _sets(sqlite_url)
    pg = await _sets(postgres_url)
    differ = 0
    print("| query | SQLite | PostgreSQL | same set |")
    print("|---|---:|---:|---|")
    for query in QUERIES:
        same = lite[query] == pg[query]
        differ += not same
        print(f"| {query} | {len(lite[query])} | {len(pg[query])} | {'yes' if same else 'NO'} |")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(sys.argv[1], sys.argv[2])))
