"""Writing counts into the view buckets: live reads are added, imported history is replaced."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from gqlnews.api import connection_dialect
from gqlnews_ranking.models import ViewBucket, ViewOrigin
from gqlnews_ranking.scores import forget_scores
from gqlnews_ranking.sql import placeholder, tables

Counts = dict[tuple[int, int], int]
"""Views by ``(article id, hour)``."""

ROWS_PER_STATEMENT = 1000
"""Buckets per INSERT (3 parameters each: far below SQLite's and PostgreSQL's limits)."""


def _chunks(
    items: Iterable[tuple[tuple[int, int], int]],
) -> Iterator[list[tuple[tuple[int, int], int]]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, ROWS_PER_STATEMENT)):
        yield chunk


def _row(dialect: str, before: int) -> str:
    """``(article_id, hour, views)`` as typed placeholders (PostgreSQL cannot guess the types
    of parameters in a VALUES list)."""
    article, hour, views = (placeholder(dialect, before + n) for n in (1, 2, 3))
    return f"(CAST({article} AS INTEGER), CAST({hour} AS INTEGER), CAST({views} AS BIGINT))"


async def add_live(counts: Counts) -> None:
    """Add ``counts`` to the live buckets, creating the missing ones: one upsert per
    1,000 buckets, all in one transaction (a failed flush writes nothing, so giving the counts
    back cannot count any twice). Counts of an article deleted since it was read are dropped."""
    async with in_transaction(ViewBucket._meta.default_connection) as conn:
        await _upsert_live(conn, counts)
    forget_scores()


async def _upsert_live(conn: BaseDBAsyncClient, counts: Counts) -> None:
    dialect = connection_dialect(conn)
    names = tables()
    for chunk in _chunks(sorted(counts.items())):
        rows = ", ".join(_row(dialect, 3 * i) for i in range(len(chunk)))
        sql = f"""
            INSERT INTO {names["buckets"]} (article_id, hour, origin, views)
            SELECT v.column1, v.column2, '{ViewOrigin.LIVE.value}', v.column3
            FROM (VALUES {rows}) AS v
            WHERE EXISTS (SELECT 1 FROM {names["articles"]} a WHERE a.id = v.column1)
            ON CONFLICT (article_id, hour, origin)
            DO UPDATE SET views = {names["buckets"]}.views + excluded.views
        """
        values = [
            value for (article_id, hour), views in chunk for value in (article_id, hour, views)
        ]
        await conn.execute_query(sql, values)


async def replace_imported(
    article_ids: Sequence[int], counts: Counts, conn: BaseDBAsyncClient
) -> None:
    """Make ``counts`` the imported views of ``article_ids`` (their earlier imported buckets
    go; live ones are never touched), so importing the same history twice counts it once."""
    await (
        ViewBucket.filter(origin=ViewOrigin.IMPORT, article_id__in=article_ids)
        .using_db(conn)
        .delete()
    )
    await ViewBucket.bulk_create(
        [
            ViewBucket(article_id=article_id, hour=hour, origin=ViewOrigin.IMPORT, views=views)
            for (article_id, hour), views in sorted(counts.items())
            if views
        ],
        batch_size=ROWS_PER_STATEMENT,
        using_db=conn,
    )
