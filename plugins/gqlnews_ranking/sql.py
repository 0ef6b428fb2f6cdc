"""Raw SQL for what the ORM cannot say in one portable statement (grouped scores, upserts).

Statements are written once with ``:name`` parameters, bound here as ``?`` for SQLite or
``$n`` for PostgreSQL; only values computed by the plugin are ever inlined.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from gqlnews.api import Article, ArticleSection, connection_dialect
from gqlnews_ranking.models import ViewBucket

_PARAMETER = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


def bind(sql: str, params: Mapping[str, Any], dialect: str) -> tuple[str, list[Any]]:
    """``sql`` with its ``:name`` parameters as the dialect's placeholders, and the values."""
    values: list[Any] = []
    numbers: dict[str, int] = {}

    def placeholder(found: re.Match[str]) -> str:
        name = found.group(1)
        if dialect != "postgres":
            values.append(params[name])
            return "?"
        if name not in numbers:
            values.append(params[name])
            numbers[name] = len(values)
        return f"${numbers[name]}"

    return _PARAMETER.sub(placeholder, sql), values


def placeholder(dialect: str, number: int) -> str:
    """The dialect's placeholder for positional parameter ``number`` (from 1)."""
    return f"${number}" if dialect == "postgres" else "?"


def tables() -> dict[str, str]:
    """Table names of the models the statements use."""
    return {
        "buckets": ViewBucket._meta.db_table,
        "articles": Article._meta.db_table,
        "sections": ArticleSection._meta.db_table,
    }


def db() -> BaseDBAsyncClient:
    """The connection the view buckets live on (the transaction's, inside one)."""
    return ViewBucket._meta.db


async def fetch(
    sql: str, params: Mapping[str, Any], conn: BaseDBAsyncClient | None = None
) -> list[dict[str, Any]]:
    """Rows of a ``:name``-parameterised query, as dicts."""
    conn = conn or db()
    query, values = bind(sql, params, connection_dialect(conn))
    rows: Sequence[dict[str, Any]] = await conn.execute_query_dict(query, values)
    return [dict(row) for row in rows]
