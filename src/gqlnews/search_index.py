"""Full-text search: ranked, keyset-paginated look-ups and the reindex, per database.

Both databases index the terms :mod:`gqlnews.analysis` produces (``article.title_terms``,
``excerpt_terms``, ``body_terms``, written with the text by every write path) and a query is
analysed by the same code, so both find the same articles:

SQLite (embedded default): an FTS5 table over the three term columns (external content, kept
current by triggers), ranked by BM25 with the weights 10 (title), 4 (excerpt), 1 (body).
PostgreSQL (production): a stored, generated ``tsvector`` column of the terms (``simple``
configuration), its GIN index, and ``article_search_matches``, a function that finds the
matches through that index and ranks them by ``ts_rank`` of a narrow vector of the title's and
excerpt's terms (weights 1.0 and 0.4; a match in the body alone ranks 0), so that neither
matching nor ranking reads the large vectors of thousands of matches (migration
``0011_search_rank``).
The structures are created by migrations ``0002_search``, ``0009_search_analysis`` and
``0011_search_rank``; this module queries them and refills the term columns
(:func:`reindex`).

Every query term must match, as a prefix of an indexed term. :func:`ranked_page` and
:func:`count_matching` take the articles the reader may see (the SQL of their ids, a query of
:mod:`gqlnews.visibility` narrowed by the client's filters: an :data:`Among`) and apply them
*inside* the statement that matches: a word found only in articles the reader may not see
costs what a word found nowhere costs. Pages are cut by keyset (the last row's rank and id),
not by offset, so a deep page costs what the first one does. :func:`ranked_ids` (every match,
visible or not) is for commands and tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet

from gqlnews.analysis import Analysis, index_text, query_terms
from gqlnews.db import ids_statement

Among = tuple[str, list[Any]]
"""The articles a search looks among: a statement selecting their ``id`` (in the connection's
placeholders, numbered from 1 on PostgreSQL) and its parameters."""


def among_of(queryset: QuerySet[Any]) -> Among:
    """The :data:`Among` of the articles ``queryset`` selects (built by Tortoise)."""
    sql, params, _ = ids_statement(queryset)
    return sql, params


REINDEX_BATCH = 500
"""Articles read and rewritten per statement pair by :func:`reindex`."""


def _is_postgres(conn: BaseDBAsyncClient) -> bool:
    return conn.capabilities.dialect == "postgres"


def fts5_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term required, each as a quoted prefix."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery_expression(terms: list[str]) -> str:
    """A ``to_tsquery`` expression: every term required, each as a prefix."""
    return " & ".join(f"'{term}':*" for term in terms)


def rank_tsquery_expression(terms: list[str]) -> str:
    """The ``to_tsquery`` expression PostgreSQL ranks by: any term, each as a prefix (an
    article whose title holds one of two words ranks above one whose body holds both)."""
    return " | ".join(f"'{term}':*" for term in terms)


def _postgres_function(terms: list[str], params: list[Any]) -> tuple[str, list[Any]]:
    """The call of PostgreSQL's search function (migration 0011: the matches' ``id`` and
    ``rank``) for ``terms``, its two parameters numbered after ``params``, and ``params``
    with them."""
    match, rank = f"${len(params) + 1}", f"${len(params) + 2}"
    call = f"article_search_matches(to_tsquery('simple', {match}), to_tsquery('simple', {rank}))"
    return call, [*params, tsquery_expression(terms), rank_tsquery_expression(terms)]


@dataclass(frozen=True)
class Position:
    """Where a page of results ends: the last row's rank and id (the keyset)."""

    rank: float
    id: int


@dataclass(frozen=True)
class Hit:
    """One matching article and its rank (larger is better on both databases)."""

    id: int
    rank: float

    @property
    def position(self) -> Position:
        """The keyset that starts the page after this hit."""
        return Position(self.rank, self.id)


async def ranked_ids(
    conn: BaseDBAsyncClient, query: str, force: Analysis | None = None
) -> list[int]:
    """Ids of every article matching every term of ``query``, most relevant first (visible
    or not: for commands and tests)."""
    terms = query_terms(query, force)
    if not terms:
        return []
    if _is_postgres(conn):
        matches, params = _postgres_function(terms, [])
        sql = f"SELECT s.id FROM {matches} s ORDER BY s.rank DESC, s.id DESC"
        rows = await conn.execute_query_dict(sql, params)
    else:
        sql = (
            "SELECT rowid AS id FROM article_fts WHERE article_fts MATCH ? "
            "ORDER BY bm25(article_fts, 10.0, 4.0, 1.0), rowid DESC"
        )
        rows = await conn.execute_query_dict(sql, [fts5_expression(terms)])
    return [int(row["id"]) for row in rows]


def _matches(conn: BaseDBAsyncClient, terms: list[str], among: Among) -> tuple[str, list[Any]]:
    """``SELECT id, rank`` of the articles of ``among`` that match every term (rank: larger is
    better), and its parameters."""
    if _is_postgres(conn):
        inner, params = among
        matches, params = _postgres_function(terms, params)
        sql = f"SELECT s.id AS id, s.rank AS rank FROM {matches} s JOIN ({inner}) v ON v.id = s.id"
        return sql, params
    return _sqlite_matches(terms, among)


def _sqlite_matches(terms: list[str], among: Among) -> tuple[str, list[Any]]:
    """SQLite's :func:`_matches`."""
    inner, params = among
    # CROSS JOIN keeps SQLite's join order: the index finds the matches, then each is looked up
    # by primary key (a plain JOIN let it walk every visible article instead). bm25() is
    # negative, best first: negated, larger is better as on PostgreSQL.
    sql = (
        "SELECT article_fts.rowid AS id, -bm25(article_fts, 10.0, 4.0, 1.0) AS rank "
        f"FROM article_fts CROSS JOIN ({inner}) v ON v.id = article_fts.rowid "
        "WHERE article_fts MATCH ?"
    )
    return sql, [*params, fts5_expression(terms)]


async def ranked_page(
    conn: BaseDBAsyncClient,
    terms: list[str],
    among: Among,
    after: Position | None,
    limit: int,
) -> list[Hit]:
    """The articles of ``among`` matching every one of ``terms`` (from
    :func:`gqlnews.analysis.query_terms`), most relevant first, after ``after``, at most
    ``limit`` (one statement)."""
    if not terms:
        return []
    rows = await conn.execute_query_dict(*page_statement(conn, terms, among, after, limit))
    return [Hit(int(row["id"]), float(row["rank"])) for row in rows]


def page_statement(
    conn: BaseDBAsyncClient,
    terms: list[str],
    among: Among,
    after: Position | None,
    limit: int,
) -> tuple[str, list[Any]]:
    """The statement of :func:`ranked_page` and its parameters (``id`` and ``rank`` per row)."""
    page = _postgres_page if _is_postgres(conn) else _sqlite_page
    return page(terms, among, after, limit)


def _postgres_page(
    terms: list[str], among: Among, after: Position | None, limit: int
) -> tuple[str, list[Any]]:
    """PostgreSQL's page: the matches after ``after`` in rank order, each kept if ``among``
    holds it, until ``limit`` are kept.

    Each match is looked up in ``among`` by id (``LATERAL … LIMIT 1``: an index probe), in
    rank order, and the statement stops at the page's end: a page of a rare word probes its
    few matches, a page of a common word about ``limit`` of its thousands. Joined the plain
    way, a prepared statement's generic plan (the driver prepares every statement) hashed
    every visible article's id instead: 2.6 ms against 0.6 for ``libye otan`` on the 10k
    archive (bench/search-scale-results.md). The matches are few and each probe cheap; a filter
    that hides most matches makes the statement probe more of them, at worst all, as the
    custom plan of the plain join did."""
    inner, params = among
    matches, params = _postgres_function(terms, params)
    where = ""
    if after is not None:
        # ts_rank's own type (real): the rank read back compares equal to itself.
        rank, at_id = f"${len(params) + 1}::real", f"${len(params) + 2}"
        where = f"WHERE m.rank < {rank} OR (m.rank = {rank} AND m.id < {at_id}) "
        params = [*params, after.rank, after.id]
    sql = (
        f"SELECT s.id, s.rank FROM (SELECT m.id, m.rank FROM {matches} m {where}"
        "ORDER BY m.rank DESC, m.id DESC) s "
        f"CROSS JOIN LATERAL (SELECT 1 FROM ({inner}) v WHERE v.id = s.id LIMIT 1) seen "
        f"ORDER BY s.rank DESC, s.id DESC LIMIT ${len(params) + 1}"
    )
    return sql, [*params, limit]


def _sqlite_page(
    terms: list[str], among: Among, after: Position | None, limit: int
) -> tuple[str, list[Any]]:
    """SQLite's page: the matches ``among`` holds, ranked, after ``after``, ``limit`` of them."""
    matches, params = _sqlite_matches(terms, among)
    where = ""
    if after is not None:
        where = "WHERE m.rank < ? OR (m.rank = ? AND m.id < ?) "
        params = [*params, after.rank, after.rank, after.id]
    sql = f"SELECT m.id, m.rank FROM ({matches}) m {where}ORDER BY m.rank DESC, m.id DESC LIMIT ?"
    return sql, [*params, limit]


async def count_matching(
    conn: BaseDBAsyncClient, terms: list[str], among: Among, limit: int | None = None
) -> int:
    """How many articles of ``among`` match every one of ``terms`` (one statement), counting
    no further than ``limit`` when one is given."""
    if not terms:
        return 0
    matches, params = _matches(conn, terms, among)
    if limit is not None:
        matches = f"{matches} LIMIT {int(limit)}"
    rows = await conn.execute_query_dict(f"SELECT COUNT(*) AS n FROM ({matches}) m", params)
    return int(rows[0]["n"])


async def reindex(conn: BaseDBAsyncClient, batch: int = REINDEX_BATCH) -> tuple[int, int]:
    """Recompute the search terms of every article from its text (after the analysis
    changed: migration ``0009_search_analysis`` runs it, so does ``gqlnews search reindex``)
    and write those that differ; the index follows (SQLite's triggers, PostgreSQL's generated
    column). Two statements per ``batch`` articles; returns how many articles were analysed
    and how many had other terms."""
    postgres = _is_postgres(conn)
    mark = "$1" if postgres else "?"
    select = (
        "SELECT id, title, excerpt, body_text, title_terms, excerpt_terms, body_terms "
        f"FROM article WHERE id > {mark} ORDER BY id LIMIT {batch}"
    )
    marks = ["$1", "$2", "$3", "$4"] if postgres else ["?"] * 4
    update = (
        f"UPDATE article SET title_terms = {marks[0]}, excerpt_terms = {marks[1]}, "
        f"body_terms = {marks[2]} WHERE id = {marks[3]}"
    )
    analysed, changed, last = 0, 0, 0
    while True:
        rows = await conn.execute_query_dict(select, [last])
        if not rows:
            return analysed, changed
        values = []
        for row in rows:
            wanted = [index_text(row[name]) for name in ("title", "excerpt", "body_text")]
            if wanted != [row["title_terms"], row["excerpt_terms"], row["body_terms"]]:
                values.append([*wanted, row["id"]])
        if values:
            await conn.execute_many(update, values)
        analysed += len(rows)
        changed += len(values)
        last = int(rows[-1]["id"])
