"""The catalog's light rows hold what Tortoise's model instances hold: every column, with the
same values of the same types (enum members, aware date-times, None), for every catalog
look-up of the request's loaders, the first time (which prepares the statement and places the
columns) and later, for every kind of viewer, on both databases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import pytest
import pytest_asyncio

from gqlnews.demo import DemoSummary
from gqlnews.graphql import loaders
from gqlnews.graphql.prepared import Prepared
from gqlnews.graphql.rows import AuthorRow, ImageRow, Rows, SectionRow, TagRow, row_of
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleTag,
    Author,
    Image,
    Section,
    Tag,
    TagKind,
)
from gqlnews.visibility import Viewer
from tests.test_prepared import VIEWERS

LOOK_UPS = {
    "_IMAGES": (Image, ImageRow),
    "_SECTIONS": (Section, SectionRow),
    "_AUTHORS": (Author, AuthorRow),
    "_TAGS": (Tag, TagRow),
    "_CHILDREN": (Section, SectionRow),
}
LINKS = {
    "_SECTION_LINKS": ("section", SectionRow),
    "_AUTHOR_LINKS": ("author", AuthorRow),
    "_TAG_LINKS": ("tag", TagRow),
}


def typed(value: Any) -> tuple[Any, ...]:
    """A value with its type (a StrEnum member equals its text) and, for a date-time, its
    time zone (an aware date-time equals no naive one, but say which it is, and which zone
    object: the driver's UTC is not Tortoise's)."""
    zone = value.tzinfo if isinstance(value, datetime) else None
    return (type(value), value, zone)


def _columns(row: Any, model: Any) -> dict[str, tuple[Any, ...]]:
    """Every column attribute of ``row`` (a model instance or a light row), typed, and pk."""
    names = [*model._meta.fields_db_projection, "pk"]
    return {name: typed(getattr(row, name)) for name in names}


class Catalog(NamedTuple):
    """The rows a test adds so that every kind of value is there (the demo's catalog has no
    null email or avatar, no language on a section, tag or author, no unknown width)."""

    images: list[Image]
    sections: list[Section]
    authors: list[Author]
    tags: list[Tag]
    article_ids: list[int]


async def _ids(model: Any) -> list[int]:
    return [int(pk) for pk in await model.all().order_by("id").values_list("id", flat=True)]


@pytest_asyncio.fixture
async def catalog(demo: DemoSummary) -> AsyncIterator[Catalog]:
    bare = await Image.create(url="https://img.test/a.jpg", width=None, height=None)
    sized = await Image.create(
        url="https://img.test/b.jpg", width=640, height=480, language="ar", caption="ص"
    )
    parent = await Section.create(slug="rows-parent", name="Parent", language="fr-MA")
    child = await Section.create(slug="rows-child", name="Child", parent=parent, position=2)
    plain = await Author.create(slug="rows-plain", name="Plain", email=None, avatar=None)
    full = await Author.create(
        slug="rows-full", name="Full", email="a@b.test", language="ar", avatar=sized, role="R"
    )
    tags = [
        await Tag.create(slug=f"rows-{kind.value}", name=kind.value, kind=kind, language=lang)
        for kind, lang in zip(TagKind, ["ar", None, "en", None], strict=True)
    ]
    article_ids = [
        int(pk) for pk in await Article.all().order_by("id").values_list("id", flat=True)
    ]
    first = article_ids[0]
    await ArticleSection.create(article_id=first, section=child, position=7)
    await ArticleAuthor.create(article_id=first, author=plain, position=5)
    await ArticleAuthor.create(article_id=first, author=full, position=6)
    for position, tag in enumerate(tags, start=10):
        await ArticleTag.create(article_id=first, tag=tag, position=position)
    try:
        yield Catalog([bare, sized], [parent, child], [plain, full], tags, article_ids)
    finally:
        for author in (plain, full):
            await author.delete()
        for tag in tags:
            await tag.delete()
        await child.delete()
        await parent.delete()
        for image in (bare, sized):
            await image.delete()


def _key_sets(ids: Sequence[int]) -> list[list[int]]:
    """A few, the last ones (the test's) among them, and one unknown key."""
    return [list(ids[:3]), list(ids[-4:]), list(ids), [ids[0], 10**9], list(ids[-4:])]


@pytest.mark.parametrize("viewer", list(VIEWERS), ids=list(VIEWERS))
@pytest.mark.parametrize("name", list(LOOK_UPS))
async def test_light_rows_hold_what_model_instances_hold(
    catalog: Catalog, viewer: str, name: str
) -> None:
    prepared: Prepared = getattr(loaders, name)
    model, light = LOOK_UPS[name]
    ids = await _ids(model)
    now = datetime.now(UTC)
    who = VIEWERS[viewer]
    seen = 0
    for keys in _key_sets(ids):
        expected = list(await prepared.build(who, now, keys))
        found = await prepared.fetch(who, now, keys)
        assert all(type(row) is light for row in found)
        assert [_columns(row, model) for row in found] == [_columns(row, model) for row in expected]
        seen += len(found)
    assert seen
    assert any(statement is not None for statement in prepared._statements.values())


@pytest.mark.parametrize("name", list(LINKS))
async def test_link_rows_hold_what_the_related_instances_hold(catalog: Catalog, name: str) -> None:
    prepared: Prepared = getattr(loaders, name)
    target, light = LINKS[name]
    model = {"section": Section, "author": Author, "tag": Tag}[target]
    ids = catalog.article_ids
    now = datetime.now(UTC)
    for keys in (ids[:5], ids[5:12], ids[:1]):
        expected = [
            (typed(link.article_id), _columns(getattr(link, target), model))
            for link in await prepared.build(Viewer(), now, keys)
        ]
        found = await prepared.fetch(Viewer(), now, keys)
        assert found and all(type(row) is light for _, row in found)
        assert [(typed(pk), _columns(row, model)) for pk, row in found] == expected


async def test_a_shape_tortoise_runs_itself_gives_the_same_light_rows(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a shape cannot be prepared, the look-up turns Tortoise's instances into rows."""
    ids = [int(tag.pk) for tag in catalog.tags]
    now = datetime.now(UTC)
    prepared = loaders._TAGS
    prebuilt = await prepared.fetch(Viewer(), now, ids)
    monkeypatch.setattr(prepared, "_statements", {})
    monkeypatch.setattr(prepared, "_prepare", lambda kind, size: None)
    built = await prepared.fetch(Viewer(), now, ids)
    assert prebuilt and [_columns(r, Tag) for r in built] == [_columns(r, Tag) for r in prebuilt]
    assert all(type(row) is TagRow for row in built)


def test_a_light_class_must_have_its_models_columns() -> None:
    class Short(NamedTuple):
        id: int
        slug: str

    reader: Rows[Any] = Rows(Short, Tag)  # type: ignore[type-var]
    with pytest.raises(TypeError, match="does not have the columns of Tag"):
        reader.records([{"id": 1, "slug": "x"}], "test")


async def test_a_light_row_cannot_be_saved_or_changed(catalog: Catalog) -> None:
    section = row_of(SectionRow, catalog.sections[1])
    assert section.parent_id == catalog.sections[0].pk and section.pk == section.id
    assert not hasattr(section, "save") and not hasattr(section, "parent")
    with pytest.raises(AttributeError):
        section.name = "changed"  # type: ignore[misc]
