"""Full-text search structures, per database (see gqlnews.search_index for the queries).

SQLite: an FTS5 table with external content over article(title, excerpt, body_text),
accent-insensitive, kept current by triggers, filled from existing rows.
PostgreSQL: the gqlnews_fr text search configuration (French stemming after unaccent), a stored
generated tsvector column (computed for existing rows too) and its GIN index.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE_FORWARD = [
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
    "INSERT INTO article_fts(article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS article_fts_au",
    "DROP TRIGGER IF EXISTS article_fts_ad",
    "DROP TRIGGER IF EXISTS article_fts_ai",
    "DROP TABLE IF EXISTS article_fts",
]
POSTGRES_FORWARD = [
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
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS article_search_idx",
    "ALTER TABLE article DROP COLUMN IF EXISTS search_vector",
]


async def _run(statements_by_dialect: dict[str, list[str]], schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = "postgres" if client.capabilities.dialect == "postgres" else "sqlite"
    for statement in statements_by_dialect[dialect]:
        await client.execute_script(statement)


async def install(apps: Any, schema_editor: Any) -> None:
    await _run({"sqlite": SQLITE_FORWARD, "postgres": POSTGRES_FORWARD}, schema_editor)


async def uninstall(apps: Any, schema_editor: Any) -> None:
    await _run({"sqlite": SQLITE_BACKWARD, "postgres": POSTGRES_BACKWARD}, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [ops.RunPython(install, uninstall)]
