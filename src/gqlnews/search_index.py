"""Full-text search structures and ranked look-ups, per database.

SQLite (embedded default): an FTS5 table over ``article`` (external content), accent-insensitive
(``remove_diacritics 2``), kept current by triggers, ranked by BM25.
PostgreSQL (production): a stored, generated ``tsvector`` column built with ``gqlnews_fr`` (the
French configuration with ``unaccent`` before stemming), a GIN index, ranked by ``ts_rank_cd``.

Both index ``title`` (weighted most), ``excerpt`` and ``body_text``. The structures are created
by migration ``0002_search``; this module only queries them.

:func:`ranked_page` and :func:`count_matching` take the articles the reader may see (a query of
:mod:`gqlnews.visibility`, narrowed by the client's filters) and apply them *inside* the
statement that matches, with a ``LIMIT``: a word found only in articles the reader may not see
costs what a word found nowhere costs (one statement, no row), so how long search takes tells
nothing about hidden articles. :func:`ranked_ids` (every match, visible or not) is for
commands and tests.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet

from gqlnews.text import search_terms


def _is_postgres(conn: BaseDBAsyncClient) -> bool:
    return conn.capabilities.dialect == "postgres"


def fts5_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term required, each as a quoted prefix."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery_expression(terms: list[str]) -> str:
    """A ``to_tsquery`` expression: every term required, each as a prefix."""
    return " & ".join(f"'{term}':*" for term in terms)


async def ranked_ids(conn: BaseDBAsyncClient, query: str) -> list[int]:
    """Ids of articles matching every word of ``query``, most relevant first.

    Words are reduced to ``\\w+`` runs (so no user text reaches the SQL unparameterised) and
    bound as a parameter.
    """
    terms = search_terms(query)
    if not terms:
        return []
    if _is_postgres(conn):
        sql = (
            "SELECT a.id FROM article a, to_tsquery('gqlnews_fr', $1) q "
            "WHERE a.search_vector @@ q "
            "ORDER BY ts_rank_cd(a.search_vector, q) DESC, "
            "a.published_at DESC NULLS LAST, a.id DESC"
        )
        rows = await conn.execute_query_dict(sql, [tsquery_expression(terms)])
    else:
        sql = (
            "SELECT rowid AS id FROM article_fts WHERE article_fts MATCH ? "
            "ORDER BY bm25(article_fts, 10.0, 4.0, 1.0), rowid DESC"
        )
        rows = await conn.execute_query_dict(sql, [fts5_expression(terms)])
    return [int(row["id"]) for row in rows]


def _statement(among: QuerySet[Any]) -> tuple[str, list[Any]]:
    """The SQL (with placeholders) and parameters of the ids ``among`` selects."""
    ids = among.values("id")
    ids.sql()  # builds the statement on the connection's dialect
    sql, params = ids.query.get_parameterized_sql()
    return sql, list(params)


def _matching(
    conn: BaseDBAsyncClient, terms: list[str], among: QuerySet[Any]
) -> tuple[str, list[Any]]:
    """``FROM … WHERE …`` of the articles of ``among`` that match every term, and its
    parameters; the relevance expression is ``rank`` (ascending: best first)."""
    inner, params = _statement(among)
    if _is_postgres(conn):
        n = len(params) + 1
        sql = (
            f"FROM article a JOIN ({inner}) v ON v.id = a.id, to_tsquery('gqlnews_fr', ${n}) q "
            "WHERE a.search_vector @@ q"
        )
        return sql, [*params, tsquery_expression(terms)]
    # CROSS JOIN keeps SQLite's join order: the index finds the matches, then each is looked up
    # by primary key (a plain JOIN let it walk every visible article instead).
    sql = (
        f"FROM article_fts CROSS JOIN ({inner}) v ON v.id = article_fts.rowid "
        "WHERE article_fts MATCH ?"
    )
    return sql, [*params, fts5_expression(terms)]


def _placeholder(conn: BaseDBAsyncClient, position: int) -> str:
    return f"${position}" if _is_postgres(conn) else "?"


async def ranked_page(
    conn: BaseDBAsyncClient, query: str, among: QuerySet[Any], offset: int, limit: int
) -> list[int]:
    """Ids of the articles of ``among`` matching every word of ``query``, most relevant first,
    from ``offset``, at most ``limit`` (one statement)."""
    terms = search_terms(query)
    if not terms:
        return []
    where, params = _matching(conn, terms, among)
    at_limit = _placeholder(conn, len(params) + 1)
    at_offset = _placeholder(conn, len(params) + 2)
    if _is_postgres(conn):
        sql = (
            f"SELECT a.id AS id {where} ORDER BY ts_rank_cd(a.search_vector, q) DESC, "
            f"a.published_at DESC NULLS LAST, a.id DESC LIMIT {at_limit} OFFSET {at_offset}"
        )
    else:
        sql = (
            f"SELECT article_fts.rowid AS id {where} "
            "ORDER BY bm25(article_fts, 10.0, 4.0, 1.0), article_fts.rowid DESC "
            f"LIMIT {at_limit} OFFSET {at_offset}"
        )
    rows = await conn.execute_query_dict(sql, [*params, limit, offset])
    return [int(row["id"]) for row in rows]


async def count_matching(
    conn: BaseDBAsyncClient, query: str, among: QuerySet[Any], limit: int | None = None
) -> int:
    """How many articles of ``among`` match every word of ``query`` (one statement), counting
    no further than ``limit`` when one is given."""
    terms = search_terms(query)
    if not terms:
        return 0
    where, params = _matching(conn, terms, among)
    if limit is None:
        rows = await conn.execute_query_dict(f"SELECT COUNT(*) AS n {where}", params)
    else:
        cut = f"SELECT 1 AS one {where} LIMIT {int(limit)}"
        rows = await conn.execute_query_dict(
            f"SELECT COUNT(*) AS n FROM ({cut}) AS bounded", params
        )
    return int(rows[0]["n"])
