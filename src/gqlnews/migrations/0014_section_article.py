"""``section_article``: the articles each section's tree lists, by publication time.

One row per (section, article) where one of the article's links reaches the section: the
linked section, its parent and its grandparent (the reach of ``Section.articles``), with the
article's ``published_at`` beside it. A section's newest articles are then one walk of the
index (section, published_at, article) instead of a walk of the whole archive by date that
probes each article's links (see ``gqlnews.graphql.criteria.order_articles``).

The database keeps the table, by triggers, whatever writes (the API, the import, a script):

- a link added: its article's rows for the sections the link reaches;
- a link removed or changed: its article's rows rebuilt from the links left;
- an article's ``published_at`` changed: the time copied to its rows;
- a section moved (``parent_id`` changed): the rows of every article linked to it or to one
  of its sub-sections rebuilt;
- an article or a section deleted: its rows go with it (foreign keys, on delete cascade).

On PostgreSQL a trigger that rebuilds an article's rows first holds the article's row, so
that two transactions writing one article's links rebuild one after the other (the API's
writes hold it already). The table is filled from the links already there, after the
triggers exist. Reversing drops the triggers and the table.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

_REACHED = """
    SELECT DISTINCT reach.id, link.article_id, article.published_at
    FROM article_section link
    JOIN article ON article.id = link.article_id
    JOIN section linked ON linked.id = link.section_id
    LEFT JOIN section parent ON parent.id = linked.parent_id
    JOIN section reach
        ON reach.id = linked.id OR reach.id = linked.parent_id OR reach.id = parent.parent_id
    WHERE {condition}"""
"""The rows reached by the links that meet ``{condition}`` (on ``link``)."""


def _insert(condition: str, dialect: str) -> str:
    """The statement adding the rows reached by the links that meet ``condition``; a row
    already there is kept (the fill may meet a row a writer's trigger added)."""
    rows = _REACHED.format(condition=condition)
    columns = "section_article (section_id, article_id, published_at)"
    if dialect == "sqlite":
        return f"INSERT OR IGNORE INTO {columns} {rows};"
    return f"INSERT INTO {columns} {rows} ON CONFLICT DO NOTHING;"


def _locked(articles: str, dialect: str) -> str:
    """PostgreSQL: the statement that waits for, then holds, the rows of the articles that
    meet ``articles`` (a condition on an article id written ``{id}``), so that two
    transactions writing one article's links rebuild its rows one after the other (each
    then sees the other's rows); the API's writes hold it already (their compare-and-set).
    SQLite has one writer at a time: nothing."""
    if dialect == "sqlite":
        return ""
    return (
        f"PERFORM 1 FROM article WHERE {articles.format(id='id')} ORDER BY id FOR NO KEY UPDATE; "
    )


def _relist(articles: str, dialect: str) -> str:
    """The statements that rebuild the rows of the articles that meet ``articles``, a
    condition on an article id written ``{id}``."""
    return (
        _locked(articles, dialect)
        + f"DELETE FROM section_article WHERE {articles.format(id='article_id')}; "
        + _insert(articles.format(id="link.article_id"), dialect)
    )


_ADDED = "link.article_id = NEW.article_id AND link.section_id = NEW.section_id"
"""The links whose rows a new link adds (the article's other rows stay)."""
_REMOVED = "{id} = OLD.article_id"
_CHANGED = "{id} IN (OLD.article_id, NEW.article_id)"
_LINK_CHANGED = "OLD.article_id <> NEW.article_id OR OLD.section_id <> NEW.section_id"
_MOVED = (
    "{id} IN (SELECT moved.article_id FROM article_section moved "
    "JOIN section below ON below.id = moved.section_id "
    "WHERE below.id = NEW.id OR below.parent_id = NEW.id)"
)
"""The articles linked to section ``NEW`` or to one of its children, whose reach changes
when it moves (a grandchild's reach stops at the moved section)."""
_PUBLISHED = "UPDATE section_article SET published_at = NEW.published_at WHERE article_id = NEW.id;"

_SQLITE_FORWARD = [
    "CREATE TRIGGER section_article_link_insert AFTER INSERT ON article_section "
    f"BEGIN {_insert(_ADDED, 'sqlite')} END",
    "CREATE TRIGGER section_article_link_delete AFTER DELETE ON article_section "
    f"BEGIN {_relist(_REMOVED, 'sqlite')} END",
    "CREATE TRIGGER section_article_link_update AFTER UPDATE OF article_id, section_id "
    f"ON article_section WHEN {_LINK_CHANGED} BEGIN {_relist(_CHANGED, 'sqlite')} END",
    "CREATE TRIGGER section_article_published AFTER UPDATE OF published_at ON article "
    f"WHEN OLD.published_at IS NOT NEW.published_at BEGIN {_PUBLISHED} END",
    "CREATE TRIGGER section_article_moved AFTER UPDATE OF parent_id ON section "
    f"WHEN OLD.parent_id IS NOT NEW.parent_id BEGIN {_relist(_MOVED, 'sqlite')} END",
]


def _postgres_trigger(name: str, body: str, event: str, when: str = "") -> list[str]:
    """A function running ``body`` and the row trigger ``event`` that calls it."""
    condition = f"WHEN ({when}) " if when else ""
    return [
        f"CREATE FUNCTION section_article_{name}() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN {body} RETURN NULL; END $$",
        f"CREATE TRIGGER section_article_{name} AFTER {event} FOR EACH ROW {condition}"
        f"EXECUTE FUNCTION section_article_{name}()",
    ]


_POSTGRES_FORWARD = [
    *_postgres_trigger(
        "link_insert",
        _locked("{id} = NEW.article_id", "postgres") + _insert(_ADDED, "postgres"),
        "INSERT ON article_section",
    ),
    *_postgres_trigger("link_delete", _relist(_REMOVED, "postgres"), "DELETE ON article_section"),
    *_postgres_trigger(
        "link_update",
        _relist(_CHANGED, "postgres"),
        "UPDATE OF article_id, section_id ON article_section",
        _LINK_CHANGED,
    ),
    *_postgres_trigger(
        "published",
        _PUBLISHED,
        "UPDATE OF published_at ON article",
        "OLD.published_at IS DISTINCT FROM NEW.published_at",
    ),
    *_postgres_trigger(
        "moved",
        _relist(_MOVED, "postgres"),
        "UPDATE OF parent_id ON section",
        "OLD.parent_id IS DISTINCT FROM NEW.parent_id",
    ),
]

_TRIGGERS = {
    "link_insert": "article_section",
    "link_delete": "article_section",
    "link_update": "article_section",
    "published": "article",
    "moved": "section",
}


_BACKWARD = {
    "sqlite": [f"DROP TRIGGER IF EXISTS section_article_{name}" for name in _TRIGGERS],
    "postgres": [
        statement
        for name, table in _TRIGGERS.items()
        for statement in (
            f"DROP TRIGGER IF EXISTS section_article_{name} ON {table}",
            f"DROP FUNCTION IF EXISTS section_article_{name}()",
        )
    ],
}
_FORWARD = {
    "sqlite": [*_SQLITE_FORWARD, _insert("TRUE", "sqlite")],
    "postgres": [*_POSTGRES_FORWARD, _insert("TRUE", "postgres")],
}
"""The triggers, then the rows of the links already there (a link a writer adds meanwhile
gets its rows from the triggers, and the fill keeps them)."""


def _dialect(schema_editor: Any) -> str:
    return "postgres" if schema_editor.client.capabilities.dialect == "postgres" else "sqlite"


async def _forward(apps: Any, schema_editor: Any) -> None:
    for statement in _FORWARD[_dialect(schema_editor)]:
        await schema_editor.client.execute_script(statement)


async def _backward(apps: Any, schema_editor: Any) -> None:
    for statement in _BACKWARD[_dialect(schema_editor)]:
        await schema_editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0013_webhooks")]

    initial = False

    operations = [
        ops.CreateModel(
            name="SectionArticle",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "section",
                    fields.ForeignKeyField(
                        "models.Section",
                        source_field="section_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tree_entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "article",
                    fields.ForeignKeyField(
                        "models.Article",
                        source_field="article_id",
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="tree_entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("published_at", fields.DatetimeField(null=True)),
            ],
            options={
                "table": "section_article",
                "app": "models",
                "unique_together": (("section_id", "article_id"),),
                "indexes": [
                    Index(
                        fields=["section_id", "published_at", "article_id"],
                        name="section_article_idx",
                    )
                ],
                "pk_attr": "id",
                "table_description": "An article as a section's tree lists it.",
            },
            bases=["Model"],
        ),
        ops.RunPython(_forward, _backward),
    ]
