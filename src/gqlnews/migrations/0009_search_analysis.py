"""Search analysis in Python, the same on both databases (see gqlnews.analysis).

Adds ``article.title_terms``, ``excerpt_terms`` and ``body_terms`` (the analysed text, written
with the text by every write path), fills them for the existing articles, and rebuilds the
full-text index from them:

SQLite: ``article_fts`` (FTS5, external content) over the three ``*_terms`` columns, kept
current by triggers, tokenizer ``unicode61`` without further folding.
PostgreSQL: ``article.search_vector`` generated from the ``*_terms`` columns with the ``simple``
configuration (no stemming or stop words of PostgreSQL's own: the terms are already analysed),
weights A/B/C, its GIN index.

It also adds ``article_visible_idx``, the visibility rule's columns by id, so that search
checks each match against the rule from the index alone.

Reversing it rebuilds migration 0002's index (French only, stemmed by the database) and drops
the columns.
"""

import importlib
from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from gqlnews.search_index import reindex

_0002 = importlib.import_module("gqlnews.migrations.0002_search")

SQLITE_DROP: list[str] = _0002.SQLITE_BACKWARD
SQLITE_ANALYSED = [
    """CREATE VIRTUAL TABLE article_fts USING fts5(
        title_terms, excerpt_terms, body_terms, content='article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER article_fts_ai AFTER INSERT ON article BEGIN
        INSERT INTO article_fts(rowid, title_terms, excerpt_terms, body_terms)
        VALUES (new.id, new.title_terms, new.excerpt_terms, new.body_terms);
    END""",
    """CREATE TRIGGER article_fts_ad AFTER DELETE ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title_terms, excerpt_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.excerpt_terms, old.body_terms);
    END""",
    """CREATE TRIGGER article_fts_au AFTER UPDATE OF title_terms, excerpt_terms, body_terms
        ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title_terms, excerpt_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.excerpt_terms, old.body_terms);
        INSERT INTO article_fts(rowid, title_terms, excerpt_terms, body_terms)
        VALUES (new.id, new.title_terms, new.excerpt_terms, new.body_terms);
    END""",
    "INSERT INTO article_fts(article_fts) VALUES ('rebuild')",
]
SQLITE_DATABASE_STEMMED: list[str] = _0002.SQLITE_FORWARD
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS article_search_idx",
    "ALTER TABLE article DROP COLUMN IF EXISTS search_vector",
]
POSTGRES_ANALYSED = [
    *POSTGRES_DROP,
    """ALTER TABLE article ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_terms), 'A') ||
            setweight(to_tsvector('simple'::regconfig, excerpt_terms), 'B') ||
            setweight(to_tsvector('simple'::regconfig, body_terms), 'C')
        ) STORED""",
    "CREATE INDEX article_search_idx ON article USING GIN (search_vector)",
]
POSTGRES_DATABASE_STEMMED: list[str] = [*POSTGRES_DROP, *_0002.POSTGRES_FORWARD]


def _dialect(schema_editor: Any) -> str:
    postgres = schema_editor.client.capabilities.dialect == "postgres"
    return "postgres" if postgres else "sqlite"


async def _run(client: Any, statements: list[str]) -> None:
    for statement in statements:
        await client.execute_script(statement)


async def install(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if _dialect(schema_editor) == "postgres":
        await _run(client, POSTGRES_DROP)  # no generated column recomputed row by row
        await reindex(client)
        await _run(client, POSTGRES_ANALYSED)
    else:
        await _run(client, SQLITE_DROP)
        await reindex(client)
        await _run(client, SQLITE_ANALYSED)


async def drop_analysed(apps: Any, schema_editor: Any) -> None:
    """Backward, first: drop the index built from the term columns (before they go)."""
    postgres = _dialect(schema_editor) == "postgres"
    await _run(schema_editor.client, POSTGRES_DROP if postgres else SQLITE_DROP)


async def restore_database_stemmed(apps: Any, schema_editor: Any) -> None:
    """Backward, last: migration 0002's index again. Last, because SQLite rebuilds the
    ``article`` table to drop a column, which drops its triggers."""
    postgres = _dialect(schema_editor) == "postgres"
    await _run(schema_editor.client, POSTGRES_DATABASE_STEMMED if postgres else SQLITE_DATABASE_STEMMED)


async def _nothing(apps: Any, schema_editor: Any) -> None:
    """Forward, first: nothing (0002's index is replaced once the term columns are filled)."""


class Migration(migrations.Migration):
    dependencies = [("models", "0008_preview_links")]

    initial = False

    operations = [
        ops.RunPython(_nothing, restore_database_stemmed),
        ops.AddField(model_name="Article", name="title_terms", field=fields.TextField(default="", db_default="")),
        ops.AddField(
            model_name="Article", name="excerpt_terms", field=fields.TextField(default="", db_default="")
        ),
        ops.AddField(model_name="Article", name="body_terms", field=fields.TextField(default="", db_default="")),
        ops.AddIndex(
            model_name="Article",
            index=Index(
                fields=["status", "id", "published_at", "deleted_at", "embargo_until"],
                name="article_visible_idx",
            ),
        ),
        ops.RunPython(install, drop_analysed),
    ]
