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

from collections.abc import Callable
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
_MOVED = (
    "{id} IN (SELECT moved.article_id FROM article_section moved "
    "JOIN section below ON below.id = moved.section_id "
    "WHERE below.id = NEW.id OR below.parent_id = NEW.id)"
)
"""The articles linked to section ``NEW`` or to one of its children, whose reach changes
when it moves (a grandchild's reach stops at the moved section)."""

_DISTINCT = {"sqlite": "IS NOT", "postgres": "IS DISTINCT FROM"}
"""Each dialect's "differs, nulls compared as values", for a trigger's condition."""

_TRIGGERS: tuple[tuple[str, str, str, Callable[[str], str], str], ...] = (
    (
        "link_insert",
        "INSERT",
        "article_section",
        lambda dialect: _locked("{id} = NEW.article_id", dialect) + _insert(_ADDED, dialect),
        "",
    ),
    (
        "link_delete",
        "DELETE",
        "article_section",
        lambda dialect: _relist("{id} = OLD.article_id", dialect),
        "",
    ),
    (
        "link_update",
        "UPDATE OF article_id, section_id",
        "article_section",
        lambda dialect: _relist("{id} IN (OLD.article_id, NEW.article_id)", dialect),
        "OLD.article_id <> NEW.article_id OR OLD.section_id <> NEW.section_id",
    ),
    (
        "published",
        "UPDATE OF published_at",
        "article",
        lambda _: (
            "UPDATE section_article SET published_at = NEW.published_at WHERE article_id = NEW.id;"
        ),
        "OLD.published_at {distinct} NEW.published_at",
    ),
    (
        "moved",
        "UPDATE OF parent_id",
        "section",
        lambda dialect: _relist(_MOVED, dialect),
        "OLD.parent_id {distinct} NEW.parent_id",
    ),
)
"""Each trigger: its name, its event, its table, its statements (for a dialect) and the
condition it runs on (none: always)."""


def _created(dialect: str) -> list[str]:
    """The statements creating the triggers in ``dialect``: SQLite's run their statements
    themselves; PostgreSQL's call a function each."""
    statements = []
    for name, event, table, body, when in _TRIGGERS:
        condition = when.format(distinct=_DISTINCT[dialect])
        trigger = f"section_article_{name}"
        if dialect == "sqlite":
            where = f" WHEN {condition}" if condition else ""
            statements.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table}{where} "
                f"BEGIN {body(dialect)} END"
            )
            continue
        where = f"WHEN ({condition}) " if condition else ""
        statements += [
            f"CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {body(dialect)} RETURN NULL; END $$",
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW {where}"
            f"EXECUTE FUNCTION {trigger}()",
        ]
    return statements


def _dropped(dialect: str) -> list[str]:
    """The statements dropping the triggers (and PostgreSQL's functions) in ``dialect``."""
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS section_article_{name}" for name, *_ in _TRIGGERS]
    return [
        statement
        for name, _, table, _, _ in _TRIGGERS
        for statement in (
            f"DROP TRIGGER IF EXISTS section_article_{name} ON {table}",
            f"DROP FUNCTION IF EXISTS section_article_{name}()",
        )
    ]


_FORWARD = {dialect: [*_created(dialect), _insert("TRUE", dialect)] for dialect in _DISTINCT}
"""The triggers, then the rows of the links already there (a link a writer adds meanwhile
gets its rows from the triggers, and the fill keeps them)."""
_BACKWARD = {dialect: _dropped(dialect) for dialect in _DISTINCT}


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
