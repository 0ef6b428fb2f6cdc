"""Kept counts of the articles and of the indexed articles (``related_tally``), so that the
strategies' lookups stop counting whole tables on every call (see gqlnews_related.tallies).

The database keeps them with triggers on ``article`` and ``related_text_document``:
- PostgreSQL: statement-level triggers add each statement's change (the rows it inserted, or
  minus the rows it deleted, cascades included) to a row of the writing transaction's own
  (``txid``), so that writers never wait for each other on a shared counter row and a bulk
  write in one transaction adds one row; a ``TRUNCATE`` resets the count. The indexer folds
  the rows into one.
- SQLite (one writer at a time): row triggers update the count's single row in place.
The counts are filled from the tables in the same transaction, after the triggers exist.
Reversing drops the triggers, then the table. Another plugin's or the core's migration that
rebuilds one of these tables must create the triggers again (``gqlnews related index
--rebuild`` counts again).
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

COUNTED = (("article", "article"), ("text_document", "related_text_document"))

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION related_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change BIGINT;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM related_tally WHERE name = TG_ARGV[0];
        INSERT INTO related_tally (name, txid, n) VALUES (TG_ARGV[0], NULL, 0);
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT COUNT(*) INTO change FROM inserted;
    ELSE
        SELECT -COUNT(*) INTO change FROM deleted;
    END IF;
    IF change <> 0 THEN
        INSERT INTO related_tally (name, txid, n) VALUES (TG_ARGV[0], txid_current(), change)
        ON CONFLICT (name, txid) DO UPDATE SET n = related_tally.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END $$"""


def _postgres_forward() -> list[str]:
    statements = [POSTGRES_FUNCTION]
    for name, table in COUNTED:
        statements += [
            f"CREATE TRIGGER related_tally_{name}_insert AFTER INSERT ON {table} "
            "REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT "
            f"EXECUTE FUNCTION related_tally_change('{name}')",
            f"CREATE TRIGGER related_tally_{name}_delete AFTER DELETE ON {table} "
            "REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT "
            f"EXECUTE FUNCTION related_tally_change('{name}')",
            f"CREATE TRIGGER related_tally_{name}_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION related_tally_change('{name}')",
        ]
    return statements


def _sqlite_forward() -> list[str]:
    statements = []
    for name, table in COUNTED:
        statements += [
            f"CREATE TRIGGER related_tally_{name}_insert AFTER INSERT ON {table} BEGIN "
            f"UPDATE related_tally SET n = n + 1 WHERE name = '{name}'; END",
            f"CREATE TRIGGER related_tally_{name}_delete AFTER DELETE ON {table} BEGIN "
            f"UPDATE related_tally SET n = n - 1 WHERE name = '{name}'; END",
        ]
    return statements


def _fill() -> list[str]:
    return [
        f"INSERT INTO related_tally (name, txid, n) SELECT '{name}', NULL, COUNT(*) FROM {table}"
        for name, table in COUNTED
    ]


def _backward(dialect: str) -> list[str]:
    statements = []
    for name, table in COUNTED:
        events = ("insert", "delete", "truncate") if dialect == "postgres" else ("insert", "delete")
        suffix = f" ON {table}" if dialect == "postgres" else ""
        statements += [
            f"DROP TRIGGER IF EXISTS related_tally_{name}_{event}{suffix}" for event in events
        ]
    if dialect == "postgres":
        statements.append("DROP FUNCTION IF EXISTS related_tally_change()")
    return statements


def _dialect(schema_editor: Any) -> str:
    return "postgres" if schema_editor.client.capabilities.dialect == "postgres" else "sqlite"


async def install(apps: Any, schema_editor: Any) -> None:
    dialect = _dialect(schema_editor)
    forward = _postgres_forward() if dialect == "postgres" else _sqlite_forward()
    for statement in [*forward, *_fill()]:
        await schema_editor.client.execute_script(statement)


async def uninstall(apps: Any, schema_editor: Any) -> None:
    for statement in _backward(_dialect(schema_editor)):
        await schema_editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0013_webhooks"), ("related", "0002_text_terms")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Tally",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("name", fields.CharField(max_length=32)),
                ("txid", fields.BigIntField(null=True)),
                ("n", fields.BigIntField()),
            ],
            options={
                "table": "related_tally",
                "app": "related",
                "unique_together": (("name", "txid"),),
                "pk_attr": "id",
                "table_description": "A kept count of rows (``name``: ``article`` or "
                "``text_document``), so that a lookup",
            },
            bases=["Model"],
        ),
        ops.RunPython(install, uninstall),
    ]
