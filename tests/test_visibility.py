"""The rule that must never break: drafts, scheduled and embargoed articles stay hidden at
every entry point, and counts agree."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
import pytest_asyncio

from gqlnews.demo import DemoSummary
from gqlnews.ids import encode_id
from gqlnews.models import Article, ArticleStatus, Author, Supplement, Tag
from tests.factories import (
    articles_removed_after,
    make_article,
    make_edition,
    make_section,
    now,
    unique,
)
from tests.helpers import gql_data

WORD = "zorglubienne"


@dataclass
class World:
    section: str
    author: str
    tag: str
    edition: int
    supplement: str
    visible: Article
    hidden: dict[str, Article]


@pytest_asyncio.fixture(scope="module")
async def world(demo: DemoSummary) -> AsyncIterator[World]:
    async with articles_removed_after():
        section = await make_section()
        author = await Author.create(slug=unique("t-author"), name="Nadia Test")
        tag = await Tag.create(slug=unique("t-tag"), name="Test")
        edition = await make_edition()
        supplement = await Supplement.create(
            slug=unique("t-supp"), title="Spécial test", date=edition.date, edition=edition
        )
        body = f"<p>Une histoire {WORD} racontée.</p>"
        common = {"section": section, "authors": (author,), "tags": (tag,), "body_html": body}
        visible = await make_article(edition=edition, page=2, **common)
        in_supplement = {"supplement": supplement, "page": 1}
        hidden = {
            "draft": await make_article(
                status=ArticleStatus.DRAFT, edition=edition, page=2, **common
            ),
            "scheduled": await make_article(
                status=ArticleStatus.SCHEDULED,
                published_at=now() + timedelta(days=1),
                **in_supplement,
                **common,
            ),
            "future": await make_article(
                published_at=now() + timedelta(hours=3), edition=edition, page=3, **common
            ),
            "embargoed": await make_article(
                embargo_until=now() + timedelta(days=2), edition=edition, page=3, **common
            ),
            "unpublished": await make_article(
                status=ArticleStatus.UNPUBLISHED, **in_supplement, **common
            ),
        }
        yield World(
            section.slug, author.slug, tag.slug, edition.number, supplement.slug, visible, hidden
        )


LIST = "totalCount edges { node { slug } }"


def _slugs(connection: dict) -> set[str]:  # type: ignore[type-arg]
    return {edge["node"]["slug"] for edge in connection["edges"]}


@pytest.mark.parametrize(
    "field",
    [
        "articles(first: 100, filter: {sections: [$section]})",
        "articles(first: 100, filter: {authors: [$author]})",
        "articles(first: 100, filter: {tags: [$tag]})",
        "articles(first: 100, filter: {edition: $edition})",
        "search(query: $word, first: 100)",
        "section(slug: $section) { articles(first: 100)",
        "author(slug: $author) { articles(first: 100)",
        "tag(slug: $tag) { articles(first: 100)",
        "edition(number: $edition) { articles(first: 100)",
        "articles(page: 1, perPage: 100, filter: {sections: [$section]})",
        "articles(last: 100, filter: {sections: [$section]})",
    ],
)
async def test_lists_and_counts_show_only_visible_articles(
    client: httpx.AsyncClient, world: World, field: str
) -> None:
    nested = field.count("{") - field.count("}")
    values = {
        "section": world.section,
        "author": world.author,
        "tag": world.tag,
        "edition": world.edition,
        "word": WORD,
    }
    used = [name for name in values if f"${name}" in field]
    declared = ", ".join(f"${n}: {'Int!' if n == 'edition' else 'String!'}" for n in used)
    query = f"query({declared}) {{ result: {field} {{ {LIST} }} {'}' * nested} }}"
    data = await gql_data(client, query, {name: values[name] for name in used})
    result = data["result"]
    if nested:
        result = next(iter(result.values()))
    assert _slugs(result) == {world.visible.slug}
    assert result["totalCount"] == 1


async def test_supplement_lists_hide_invisible_articles(
    client: httpx.AsyncClient, world: World
) -> None:
    data = await gql_data(
        client,
        "query($s: String!) { supplement(slug: $s) { articles { "
        "totalCount edges { node { slug } } } } "
        "articles(filter: {supplement: $s}) { totalCount } }",
        {"s": world.supplement},
    )
    assert data["supplement"]["articles"]["totalCount"] == 0
    assert data["supplement"]["articles"]["edges"] == []
    assert data["articles"]["totalCount"] == 0


async def test_edition_pages_hide_invisible_articles(
    client: httpx.AsyncClient, world: World
) -> None:
    data = await gql_data(
        client,
        "query($n: Int!) { edition(number: $n) { pages { number articles { slug } } } }",
        {"n": world.edition},
    )
    pages = data["edition"]["pages"]
    assert pages == [{"number": 2, "articles": [{"slug": world.visible.slug}]}]


@pytest.mark.parametrize("kind", ["draft", "scheduled", "future", "embargoed", "unpublished"])
async def test_single_lookups_return_null_for_invisible(
    client: httpx.AsyncClient, world: World, kind: str
) -> None:
    article = world.hidden[kind]
    gid = encode_id("Article", article.pk)
    data = await gql_data(
        client,
        "query($slug: String!, $id: ID!) { bySlug: article(slug: $slug) { slug } "
        "byId: article(id: $id) { slug } node(id: $id) { id } nodes(ids: [$id]) { id } }",
        {"slug": article.slug, "id": gid},
    )
    assert data == {"bySlug": None, "byId": None, "node": None, "nodes": [None]}


async def test_single_lookups_find_the_visible_article(
    client: httpx.AsyncClient, world: World
) -> None:
    gid = encode_id("Article", world.visible.pk)
    data = await gql_data(
        client,
        "query($slug: String!, $id: ID!) { bySlug: article(slug: $slug) { id } "
        "byId: article(id: $id) { slug } node(id: $id) { ... on Article { slug } } "
        "nodes(ids: [$id]) { id } }",
        {"slug": world.visible.slug, "id": gid},
    )
    assert data["bySlug"]["id"] == gid
    assert data["byId"]["slug"] == world.visible.slug
    assert data["node"]["slug"] == world.visible.slug
    assert data["nodes"] == [{"id": gid}]


async def test_embargo_lifts_and_schedule_arrives(world: World) -> None:
    """The rule is evaluated at the reader's instant: later, the same rows become visible."""
    from gqlnews.visibility import visible_articles

    ids = [a.pk for a in world.hidden.values()]
    later = now() + timedelta(days=3)
    found = set(await visible_articles(now=later).filter(id__in=ids).values_list("slug", flat=True))
    assert found == {world.hidden["future"].slug, world.hidden["embargoed"].slug}
