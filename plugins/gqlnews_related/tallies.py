"""Kept counts of the articles and of the indexed articles, read by the strategies' lookups.

Counting a table is a scan of it: on the 10,000-article archive the two counts the lookups
made on every call were about 4.5 of the 5.5 ms PostgreSQL spent on an article page's related
articles, and the cost grows with the archive. The counts are kept instead in
``related_tally`` by the database's own triggers (migration ``0003_tallies``), so that they
stay exact whatever writes the tables (the API, an import, a cascade, plain SQL):

- on PostgreSQL each transaction that inserts or deletes rows keeps one row with its change
  (writers never wait on a shared counter row, and a bulk write adds one row); a count is the
  sum of its rows, and :func:`fold` (run by the indexer's rounds) sums them into one row;
- on SQLite (one writer at a time) the count's single row is updated in place.

:func:`counted` is the SQL a lookup embeds to read a count; :func:`recount` counts the tables
again (``gqlnews related index --rebuild``), for a database whose triggers were lost.
"""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from gqlnews.api import Article
from gqlnews_related.models import Tally, TextDocument

ARTICLES = "article"
DOCUMENTS = "text_document"
"""The names of the two counts: every article, and every indexed article."""

_TABLE = Tally._meta.db_table
_COUNTED = {ARTICLES: Article._meta.db_table, DOCUMENTS: TextDocument._meta.db_table}


def counted(name: str) -> str:
    """A scalar SQL expression (both dialects) worth the count ``name``."""
    if name not in _COUNTED:
        raise ValueError(f"no kept count is named {name!r}")
    return f"(SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM \"{_TABLE}\" WHERE name = '{name}')"


async def read(name: str) -> int:
    """The count ``name`` now."""
    connection = Tortoise.get_connection("default")
    _, rows = await connection.execute_query(f"SELECT {counted(name)} AS n")
    return int(rows[0][0])


async def fold() -> int:
    """Sum each count's rows into one (PostgreSQL; SQLite keeps one row); how many rows went.
    Safe beside writers: a row written by a transaction not yet committed is left for the
    next fold, and a count is the same sum before and after."""
    if Tortoise.get_connection("default").capabilities.dialect != "postgres":
        return 0
    gone = 0
    async with in_transaction() as transaction:  # a write: never the host's short way for reads
        for name in _COUNTED:
            gone += await _fold(transaction, name)
    return gone


async def _fold(transaction: BaseDBAsyncClient, name: str) -> int:
    _, rows = await transaction.execute_query(
        f"""
        WITH gone AS (
            DELETE FROM "{_TABLE}" WHERE name = $1
                AND (SELECT COUNT(*) FROM "{_TABLE}" WHERE name = $1) > 1
            RETURNING n
        )
        INSERT INTO "{_TABLE}" (name, txid, n)
        SELECT $1, NULL, SUM(n) FROM gone HAVING COUNT(*) > 0
        RETURNING (SELECT COUNT(*) FROM gone)
        """,
        [name],
    )
    return int(rows[0][0]) if rows else 0


async def recount() -> dict[str, int]:
    """Count the tables again into their tallies, in one transaction that keeps writers out of
    them meanwhile (PostgreSQL); the counts."""
    found: dict[str, int] = {}
    async with in_transaction() as transaction:
        postgres = transaction.capabilities.dialect == "postgres"
        for name, table in _COUNTED.items():
            if postgres:
                await transaction.execute_query(f'LOCK TABLE "{table}" IN SHARE MODE')
            _, rows = await transaction.execute_query(f'SELECT COUNT(*) FROM "{table}"')
            found[name] = int(rows[0][0])
            await Tally.filter(name=name).using_db(transaction).delete()
            await Tally.create(name=name, txid=None, n=found[name], using_db=transaction)
    return found
