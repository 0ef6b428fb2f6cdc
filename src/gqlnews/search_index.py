"""Full-text search structures and ranked look-ups, per database.

SQLite (embedded default): an FTS5 table over ``article`` (external content), accent-insensitive
(``remove_diacritics 2``), kept current by triggers, ranked by BM25.
PostgreSQL (production): a stored, generated ``tsvector`` column built with ``gqlnews_fr`` (the
French configuration with ``unaccent`` before stemming), a GIN index, ranked by ``ts_rank_cd``.

Both index ``title`` (weighted most), ``excerpt`` and ``body_text``. Visibility is *not* applied
here: callers intersect the ranked ids with the visible set (see :mod:`gqlnews.visibility`).
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from gqlnews.text import search_terms

_SQLITE_DDL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(
        title, excerpt, body_text, content='article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS article_fts_ai AFTER INSERT ON article BEGIN
        INSERT INTO article_fts(rowid, title, excerpt, body_text)
        VALUES (new.id, new.title, new.excerpt, new.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS article_fts_ad AFTER DELETE ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, excerpt, body_text)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS article_fts_au AFTER UPDATE OF title, excerpt, body_text
        ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, excerpt, body_text)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body_text);
        INSERT INTO article_fts(rowid, title, excerpt, body_text)
        VALUES (new.id, new.title, new.excerpt, new.body_text);
    END""",
]

_POSTGRES_DDL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'gqlnews_fr') THEN
            CREATE TEXT SEARCH CONFIGURATION gqlnews_fr (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION gqlnews_fr
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
    """ALTER TABLE article ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('gqlnews_fr'::regconfig, coalesce(title, '')), 'A') ||
            setweight(to_tsvector('gqlnews_fr'::regconfig, coalesce(excerpt, '')), 'B') ||
            setweight(to_tsvector('gqlnews_fr'::regconfig, coalesce(body_text, '')), 'C')
        ) STORED""",
    "CREATE INDEX IF NOT EXISTS article_search_idx ON article USING GIN (search_vector)",
]


def _is_postgres(conn: BaseDBAsyncClient) -> bool:
    return conn.capabilities.dialect == "postgres"


async def install(conn: BaseDBAsyncClient) -> None:
    """Create the search structures for ``conn``'s database if they are missing."""
    for statement in _POSTGRES_DDL if _is_postgres(conn) else _SQLITE_DDL:
        await conn.execute_script(statement)


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
