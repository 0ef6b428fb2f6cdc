"""The one declaration of an article's editable fields (``gqlnews.models.article_fields``):
every column of the model is classified, and each consumer (the write API's inputs,
validation, revisions and restore, the archive's import and export, the docs) is made from the
declaration, so a field declared there reaches all of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLNonNull, GraphQLObjectType, build_schema
from tortoise.context import TortoiseContext

from gqlnews.archive.lines import parse_line
from gqlnews.archive.ninjs import article_ninjs
from gqlnews.archive.records import ArticleRecord, ImageData
from gqlnews.archive.writer import ARTICLE_COLUMNS
from gqlnews.models import Article, Genre, Image, Section
from gqlnews.models.article_fields import (
    DERIVED,
    EDITABLE,
    EDITABLE_COLUMNS,
    SYSTEM_COLUMNS,
    EditableField,
    Kind,
)
from gqlnews.newsroom import articles, revisions
from gqlnews.newsroom.problems import Code, Refused
from gqlnews.newsroom.validation import ArticleFields, check
from tests.factories import unique
from tests.test_archive_support import article_lines, encode

ROOT = Path(__file__).parents[1]
SCHEMA = build_schema((ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8"))
MAX_BODY_BYTES = 100_000


def test_every_column_of_article_is_editable_derived_or_system(database: TortoiseContext) -> None:
    """A new column must be declared editable (and so reach revisions, restores, the archive
    and the write API), or be listed as derived or system: left out, this test fails (the
    ORM knows the foreign keys' columns once it started: hence the database)."""
    editable, derived, system = set(EDITABLE_COLUMNS), set(DERIVED), set(SYSTEM_COLUMNS)
    assert not editable & derived and not editable & system and not derived & system
    assert set(Article._meta.db_fields) == editable | derived | system
    assert len(EDITABLE_COLUMNS) == len(editable)
    assert len({f.name for f in EDITABLE}) == len(EDITABLE)


def test_each_list_is_kept_in_a_link_table_of_articles(database: TortoiseContext) -> None:
    for listed in (f for f in EDITABLE if f.kind is Kind.SLUGS):
        assert listed.column is None and listed.links is not None
        meta = listed.links.model._meta
        assert {"article_id", listed.links.column, "position"} <= set(meta.db_fields)
        assert meta.fields_map[listed.links.column.removesuffix("_id")].related_model is (
            listed.links.target
        )


@pytest.mark.parametrize("name", ["ArticleCreateInput", "ArticleUpdateInput"])
def test_the_write_inputs_are_the_declared_fields_in_order(name: str) -> None:
    update = name == "ArticleUpdateInput"
    found = SCHEMA.get_type(name)
    assert isinstance(found, GraphQLInputObjectType)
    assert list(found.fields) == [f.camel_name for f in EDITABLE]
    for editable in EDITABLE:
        field = found.fields[editable.camel_name]
        description = editable.update_description if update else editable.create_description
        assert field.description == description
        assert isinstance(field.type, GraphQLNonNull) == (editable.required and not update)


def test_the_article_type_shows_every_editable_field() -> None:
    article = SCHEMA.get_type("Article")
    assert isinstance(article, GraphQLObjectType)
    assert {f.output for f in EDITABLE} <= set(article.fields)


@pytest.mark.parametrize("text", [f for f in EDITABLE if f.max_length], ids=lambda f: f.name)
async def test_every_text_is_checked_against_its_declared_length(
    database: TortoiseContext, text: EditableField
) -> None:
    assert text.max_length is not None
    for value, refused in (("x" * text.max_length, False), ("x" * (text.max_length + 1), True)):
        asked = ArticleFields(**{text.name: value})
        try:
            await check(asked, MAX_BODY_BYTES, current=Article(title="t", slug="s"))
        except Refused as refusal:
            assert refused, refusal.problems
            assert [(p.field, p.code) for p in refusal.problems] == [
                (text.camel_name, Code.TOO_LONG)
            ]
        else:
            assert not refused


def test_only_declared_fields_may_be_asked_for() -> None:
    with pytest.raises(TypeError, match="not an editable article field: word_count"):
        ArticleFields(word_count=3)


# --- a value for each kind of field, for the round trips --------------------------------------


def _text(editable: EditableField, version: int) -> str:
    value = f"{editable.name} {['un', 'deux'][version]}"
    return f"<p>{value}</p>" if editable.kind is Kind.HTML else value


async def _references(version: int) -> dict[str, Any]:
    """Rows for the fields that name other rows: a section, one of each listed thing, an
    image (made for ``version`` 0 or 1)."""
    made: dict[str, Any] = {}
    for editable in EDITABLE:
        if editable.kind is Kind.SECTION:
            made[editable.name] = await Section.create(slug=unique("t-fields"), name="Rubrique")
        elif editable.links is not None:
            made[editable.name] = [
                await editable.links.target.create(slug=unique("t-fields"), name=f"n{i}")
                for i in range(version + 1)
            ]
        elif editable.kind is Kind.IMAGE:
            made[editable.name] = await Image.create(url=f"https://img.test/{unique('f')}.jpg")
    return made


def _asked(version: int, made: dict[str, Any]) -> dict[str, Any]:
    """A value for every editable field (version 0 or 1 differ in each)."""
    asked: dict[str, Any] = {}
    for editable in EDITABLE:
        if editable.kind in (Kind.TEXT, Kind.HTML):
            asked[editable.name] = _text(editable, version)
        elif editable.kind is Kind.LANGUAGE:
            asked[editable.name] = ("fr", "ar")[version]
        elif editable.kind is Kind.SLUG:
            asked[editable.name] = unique(f"t-fields-{version}")
        elif editable.kind is Kind.GENRE:
            asked[editable.name] = (Genre.NEWS, Genre.ANALYSIS)[version]
        elif editable.kind is Kind.SECTION:
            asked[editable.name] = made[editable.name].slug
        elif editable.kind is Kind.SLUGS:
            asked[editable.name] = [row.slug for row in made[editable.name]]
        else:
            assert editable.kind is Kind.IMAGE
            asked[editable.name] = made[editable.name].pk
    return asked


async def _state(article_id: int) -> dict[str, Any]:
    """Every editable field of an article as stored (lists as ordered ids)."""
    article = await Article.get(id=article_id)
    state: dict[str, Any] = {}
    for editable in EDITABLE:
        if editable.column is not None:
            state[editable.name] = getattr(article, editable.column)
        else:
            assert editable.links is not None
            rows = editable.links.model.filter(article_id=article_id).order_by("position")
            state[editable.name] = list(await rows.values_list(editable.links.column, flat=True))
    return state


async def test_a_restore_puts_back_every_editable_field(database: TortoiseContext) -> None:
    """Every declared field is written by a create and an update, kept by each revision and
    put back by restoring one."""
    first, second = await _references(0), await _references(1)
    try:
        article = await articles.create(ArticleFields(**_asked(0, first)), None, MAX_BODY_BYTES)
        created = await _state(article.pk)
        content = await revisions.snapshot(article)
        updated = await articles.update(
            article, article.version, ArticleFields(**_asked(1, second)), None, MAX_BODY_BYTES
        )
        changed = await _state(article.pk)
        assert [n for n in created if created[n] == changed[n]] == []  # each one changed
        await articles.restore_revision(updated, updated.version, 1, None)
        assert await _state(article.pk) == created
        assert all(
            (f.column or getattr(f.links, "revision_key", None)) in content for f in EDITABLE
        )
    finally:
        await Article.filter(slug__startswith="t-fields-").delete()
        for made in (first, second):
            for rows in made.values():
                for row in rows if isinstance(rows, list) else [rows]:
                    await row.delete()


def _carried(record: ArticleRecord, editable: EditableField) -> Any:
    """What an archive record carries of an editable field."""
    if editable.kind is Kind.SECTION:
        return record.sections[0]
    if editable.kind is Kind.IMAGE:
        return record.image
    if editable.kind is Kind.SLUGS:
        return getattr(record, editable.name)
    return record.values[str(editable.column)]


def test_every_editable_field_survives_an_export_and_an_import() -> None:
    record = parse_line(1, encode([article_lines()[0]]))
    assert isinstance(record, ArticleRecord)
    for editable in EDITABLE:
        if editable.kind in (Kind.TEXT, Kind.HTML):
            record.values[str(editable.column)] = _text(editable, 1)
    record.values.update(language="ar", genre=Genre.ANALYSIS, slug="un-autre-slug")
    record.sections, record.authors, record.tags = ["monde", "une"], ["a1", "a2"], ["t1"]
    record.image = ImageData(url="https://img.test/une.jpg", credit="D.R.")
    record.derive_text()
    names = {"a1": "Une", "a2": "Deux", "t1": "Trois"}
    ninjs = article_ninjs(record, article_id=1, author_names=names, tag_names=names)
    again = parse_line(1, encode([{"type": "article", "ninjs": ninjs}]))
    assert isinstance(again, ArticleRecord)
    for editable in EDITABLE:
        assert _carried(again, editable) == _carried(record, editable), editable.name
    assert set(EDITABLE_COLUMNS) <= set(ARTICLE_COLUMNS)


def test_the_archive_docs_map_every_editable_field() -> None:
    table = (ROOT / "docs" / "archive.md").read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    for editable in EDITABLE:
        if editable.links is not None:
            stored = f"`{editable.links.model.__name__}"
        else:
            stored = f"`Article.{str(editable.column).removesuffix('_id')}"
        place = f"| `{editable.ninjs_mapping}`"
        assert any(row.startswith(place) and stored in row for row in rows), editable.name


def test_the_write_api_guide_names_the_checks_of_every_editable_field() -> None:
    guide = (ROOT / "docs" / "write-api.md").read_text(encoding="utf-8")
    row = next(line for line in guide.splitlines() if line.startswith("| `articleCreate(input)`"))
    checked = [f for f in EDITABLE if f.kind is not Kind.GENRE]  # an enum: GraphQL checks it
    assert [f.camel_name for f in checked if f"`{f.camel_name}`" not in row] == []
    limits = ", ".join(str(f.max_items) for f in EDITABLE if f.max_items is not None)
    assert f"(at most {limits})" in row
