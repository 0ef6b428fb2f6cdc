"""Prebuilt statements answer exactly as the querysets they are built from: same rows, same
values (enums, aware date-times, nulls), for every kind of viewer, on the first call (which
prepares the statement) and on later ones (which reuse it with other values). The catalog's
look-ups, which make light rows, are checked in tests/test_rows.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from gqlnews.demo import DemoSummary
from gqlnews.graphql import loaders
from gqlnews.graphql.criteria import (
    ORDERINGS,
    ArticleCriteria,
    apply_criteria,
    criteria_from_values,
    criteria_values,
)
from gqlnews.graphql.pagination import PageQuery, encode_cursor, select_page
from gqlnews.graphql.prepared import Prepared, Template
from gqlnews.graphql.types import article_lists
from gqlnews.graphql.types.enums import ArticleOrder
from gqlnews.models import Article, Author, Edition, Genre, Section, Tag, UserRole
from gqlnews.visibility import Viewer, today, visible_articles, visible_editions
from tests.helpers import gql

VIEWERS = {
    "anonymous": Viewer(),
    "author": Viewer(user_id=1, role=UserRole.AUTHOR),
    "editor": Viewer(user_id=2, role=UserRole.EDITOR),
}


def _values(rows: Sequence[Any]) -> list[tuple[type, dict[str, Any]]]:
    """Each row's class and every column value, as Tortoise made them."""
    return [
        (type(row), {k: getattr(row, k) for k in row._meta.fields_db_projection}) for row in rows
    ]


async def _all_ids(model: Any) -> list[int]:
    return [int(pk) for pk in await model.all().order_by("id").values_list("id", flat=True)]


@pytest.mark.parametrize("viewer", list(VIEWERS), ids=list(VIEWERS))
@pytest.mark.parametrize("name", ["_ARTICLES", "_EDITIONS", "_SUPPLEMENTS"])
async def test_prepared_look_ups_answer_as_their_querysets(
    demo: DemoSummary, viewer: str, name: str
) -> None:
    prepared: Prepared = getattr(loaders, name)
    ids = await _all_ids(prepared._model)
    assert len(ids) >= 3
    now = datetime.now(UTC)
    who = VIEWERS[viewer]
    for keys in (ids[:3], ids[1:4], ids, [ids[0], 10**9]):
        expected = sorted(_values(await prepared.build(who, now, list(keys))), key=repr)
        found = sorted(_values(await prepared.fetch(who, now, keys)), key=repr)
        assert found == expected
    assert any(statement is not None for statement in prepared._statements.values())


def _page_builder(
    viewer: Viewer, criteria_shape: tuple[Any, ...], counts: int, order: ArticleOrder
) -> Any:
    """Builds a page of articles from [now, criteria values…, after keys…, limit]."""

    def build(given: Sequence[Any]) -> Any:
        now, rest = given[0], list(given[1:])
        criteria = criteria_from_values(criteria_shape, rest[: len(rest) - counts - 1])
        after = tuple(rest[-counts - 1 : -1]) if counts else None
        ordering = ORDERINGS[order]
        base = apply_criteria(visible_articles(viewer, now), criteria, viewer=viewer, now=now)
        return select_page(base, PageQuery(ordering, ordering, after, None, None, rest[-1]))

    return build


@pytest.mark.parametrize("viewer", list(VIEWERS), ids=list(VIEWERS))
async def test_a_template_answers_as_its_queryset_with_other_values(
    demo: DemoSummary, viewer: str
) -> None:
    template = Template(Article)
    who = VIEWERS[viewer]
    sections = await _all_ids(Section)
    first = await Article.filter(status="published").order_by("-published_at").first()
    assert first is not None and first.published_at is not None
    cases = [
        (ArticleCriteria(section_ids=(sections[0], sections[1])), (), 5),
        (ArticleCriteria(section_ids=(sections[2], sections[3])), (), 20),
        (ArticleCriteria(section_ids=(sections[0], sections[2])), (first.published_at, 9), 7),
        (ArticleCriteria(languages=("fr",), tag_slugs=("x",)), (), 3),
        (ArticleCriteria(languages=("en",), tag_slugs=("climat",)), (), 30),
    ]
    for criteria, after, limit in cases:
        shape, values = criteria_values(criteria)
        now = datetime.now(UTC)
        build = _page_builder(who, shape, len(after), ArticleOrder.PUBLISHED_AT_DESC)
        given = [now, *values, *after, limit]
        key = (who.role, shape, len(after))
        assert template.statement(key, given, build) is not None
        assert _values(await template.fetch(key, given, build)) == _values(await build(given))


async def test_a_value_turned_into_another_is_not_prepared(demo: DemoSummary) -> None:
    """Editions dated up to an instant's day: the day is made from the instant, so no
    statement is kept (a day kept as a constant would be stale the next day); rows are
    still right."""
    template = Template(Edition)
    anonymous = Viewer()

    def build(given: Sequence[Any]) -> Any:
        return visible_editions(anonymous, given[0]).filter(id__gte=given[1])

    for days in (0, -3650):
        now = datetime.now(UTC) + timedelta(days=days)
        given = [now, 1]
        assert template.statement(("editions",), given, build) is None
        expected = await build(given)
        assert _values(await template.fetch(("editions",), given, build)) == _values(expected)
    assert today(datetime.now(UTC)) != today(datetime.now(UTC) - timedelta(days=3650))


async def test_a_builder_that_refuses_a_stand_in_is_not_prepared(demo: DemoSummary) -> None:
    """A builder that reads a value (here parses an instant from text) fails on stand-ins:
    no statement is kept, and the queryset answers."""
    template = Template(Article)

    def build(given: Sequence[Any]) -> Any:
        return Article.filter(published_at__lte=datetime.fromisoformat(given[0]), id__gte=given[1])

    given = [datetime.now(UTC).isoformat(), 1]
    assert template.statement(("parsed",), given, build) is None
    rows = await template.fetch(("parsed",), given, build)
    assert rows and _values(rows) == _values(await build(given))


FILTERED = """query($f: ArticleFilter, $after: String, $order: ArticleOrder) {
  articles(first: 2, filter: $f, after: $after, orderBy: $order) { edges { node { slug } } }
}"""


@pytest.mark.parametrize(
    "variables",
    [
        {"f": {"languages": ["x" * 13]}},
        {"f": {"tags": ["x" * 101]}},
        {"order": "TITLE_ASC", "after": encode_cursor({"k": ["x" * 501, 1]})},
    ],
    ids=["language", "tag", "title-cursor"],
)
async def test_values_too_long_for_their_column_are_refused_once_prepared(
    client: httpx.AsyncClient, variables: dict[str, Any]
) -> None:
    """The first request prepares the list's statement with fitting values; the same list
    with a value its column cannot hold is still refused, as Tortoise refuses it."""
    fitting = {
        "f": {k: ["fr"] if k == "languages" else ["x"] for k in variables.get("f", {})},
        "order": variables.get("order"),
        "after": encode_cursor({"k": ["x", 1]}) if "after" in variables else None,
    }
    assert "errors" not in await gql(client, FILTERED, fitting)
    body = await gql(client, FILTERED, {"order": None, **variables})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert "too long or out of range" in body["errors"][0]["message"]


@pytest.mark.parametrize("viewer", list(VIEWERS), ids=list(VIEWERS))
async def test_look_ups_by_slug_and_number_answer_as_their_querysets(
    demo: DemoSummary, viewer: str
) -> None:
    """Articles by slug and editions by number (the root look-ups of an article page and an
    edition page) run prebuilt statements, with the same rows as the querysets, drafts and
    future editions hidden as the viewer's rule says."""
    who, now = VIEWERS[viewer], datetime.now(UTC)
    request = loaders.Loaders(who, now)
    slugs = [str(s) for s in await Article.all().order_by("id").values_list("slug", flat=True)]
    asked = [*slugs, "no-such-article"]
    expected = {a.slug: a for a in await visible_articles(who, now).filter(slug__in=asked)}
    found = await request.article_by_slug.load_many(asked)
    assert _values([a for a in found if a]) == _values(
        [expected[s] for s in asked if s in expected]
    )
    assert [a is None for a in found] == [s not in expected for s in asked]
    assert (any(found) and not all(found)) or viewer == "editor"
    numbers = [int(n) for n in await Edition.all().order_by("id").values_list("number", flat=True)]
    visible = {e.number: e for e in await visible_editions(who, now).filter(number__in=numbers)}
    editions = await loaders.Loaders(who, now).edition_by_number.load_many([*numbers, 10**6])
    assert _values([e for e in editions if e]) == _values(
        [visible[n] for n in numbers if n in visible]
    )
    assert editions[-1] is None
    assert any(loaders._WHOLE_ARTICLES._statements.values())
    assert any(loaders._EDITIONS_BY_NUMBER._statements.values())


@pytest.mark.parametrize("model", [Section, Author, Tag], ids=["section", "author", "tag"])
async def test_catalog_look_ups_by_slug_are_prebuilt(demo: DemoSummary, model: Any) -> None:
    rows = await model.all().order_by("id")
    for row in rows[:3]:
        assert _values([await loaders.catalog_by_slug(model, row.slug)]) == _values([row])
    assert await loaders.catalog_by_slug(model, "no-such-slug") is None
    statements = loaders._BY_SLUG[model]._statements
    assert statements and all(statements.values())


@pytest.mark.parametrize("root", ["section", "author", "tag", "article", "supplement"])
async def test_a_slug_too_long_for_its_column_is_refused_once_prepared(
    client: httpx.AsyncClient, root: str
) -> None:
    field = "title" if root in ("article", "supplement") else "name"
    query = f"query($s: String!) {{ {root}(slug: $s) {{ {field} }} }}"
    assert "errors" not in await gql(client, query, {"s": "fits"})
    body = await gql(client, query, {"s": "x" * 300})
    assert body["data"] == {root: None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert "too long or out of range" in body["errors"][0]["message"]


@pytest.mark.parametrize("viewer", list(VIEWERS), ids=list(VIEWERS))
@pytest.mark.parametrize(
    "criteria",
    [
        ArticleCriteria(),
        ArticleCriteria(section_slugs=("monde", "une")),
        ArticleCriteria(tag_slugs=("maroc",), languages=("fr",)),
    ],
    ids=["none", "sections", "tag-language"],
)
async def test_searched_articles_are_prebuilt_as_their_queryset(
    demo: DemoSummary, viewer: str, criteria: ArticleCriteria
) -> None:
    """The ids a search looks among (``visible_ids``) are those of the visible articles
    meeting the criteria, built by Tortoise, at two instants: the statement prepared at the
    first is reused at the second."""
    who = VIEWERS[viewer]
    for now in (datetime.now(UTC), datetime.now(UTC) - timedelta(days=3)):
        sql, params, conn = article_lists.visible_ids(who, now, criteria)
        found = {row["id"] for row in await conn.execute_query_dict(sql, params)}
        queryset = apply_criteria(visible_articles(who, now), criteria, viewer=who, now=now)
        assert found == set(await queryset.values_list("id", flat=True))
    assert any(key[-1] == "ids" and rendered for key, rendered in _ids_statements())


def _ids_statements() -> list[tuple[Any, Any]]:
    return list(article_lists._PAGES._statements.items())


async def test_a_search_filter_too_long_for_its_column_is_refused_once_prepared(
    client: httpx.AsyncClient,
) -> None:
    query = 'query($f: ArticleFilter) { search(query: "le", filter: $f) { nodes { slug } } }'
    assert "errors" not in await gql(client, query, {"f": {"tags": ["x"]}})
    body = await gql(client, query, {"f": {"tags": ["x" * 101]}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert "too long or out of range" in body["errors"][0]["message"]


@pytest.mark.parametrize("viewer", list(VIEWERS), ids=list(VIEWERS))
@pytest.mark.parametrize("name", ["_EDITION_ARTICLES", "_EDITION_SUPPLEMENTS"])
async def test_an_edition_look_up_answers_as_its_queryset_in_order(
    demo: DemoSummary, viewer: str, name: str
) -> None:
    prepared: Prepared = getattr(loaders, name)
    editions = await _all_ids(Edition)
    now = datetime.now(UTC)
    who = VIEWERS[viewer]
    for keys in (editions[:1], editions[:3], editions, [editions[-1], 10**9]):
        expected = _values(await prepared.build(who, now, list(keys)))
        assert _values(await prepared.fetch(who, now, keys)) == expected
    assert all(statement is not None for statement in prepared._statements.values())


@pytest.mark.parametrize("viewer", list(VIEWERS), ids=list(VIEWERS))
async def test_the_newest_article_of_a_genre_is_its_querysets_first(
    demo: DemoSummary, viewer: str
) -> None:
    who = VIEWERS[viewer]
    now = datetime.now(UTC)
    found_any = False
    for genre in Genre:
        expected = (
            await visible_articles(who, now)
            .filter(genre=genre)
            .order_by("-published_at", "-id")
            .first()
        )
        found = await loaders.Loaders(who, now).newest_article(genre)
        assert _values([found] if found else []) == _values([expected] if expected else [])
        found_any = found_any or found is not None
    assert found_any
    newest = [s for key, s in loaders._WHOLE_ARTICLES._statements.items() if key[1] == "newest"]
    assert newest and all(statement is not None for statement in newest)


async def test_the_top_sections_are_their_querysets(demo: DemoSummary) -> None:
    expected = await Section.filter(parent_id__isnull=True).order_by("position", "id")
    assert _values(await loaders.top_sections()) == _values(expected)
    assert all(s is not None for s in loaders._TOP_SECTIONS._statements.values())
