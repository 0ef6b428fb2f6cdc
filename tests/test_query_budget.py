"""SQL budgets: a page of articles costs the same number of queries whatever its size."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gqlnews.models import Image
from gqlnews.testing import count_queries
from tests.factories import Author, Tag, make_article, make_edition, make_section, unique
from tests.helpers import gql_data

FRONT_PAGE = """
query($first: Int!, $section: String!) {
  articles(first: $first, filter: {sections: [$section]}) {
    totalCount
    edges { node {
      slug title excerpt(maxLength: 120) readingTimeMinutes direction
      primarySection { slug language direction } sections { slug name language direction }
      authors { name language direction } tags { slug language direction }
      image { url credit language direction } edition { number language direction }
    } }
  }
}
"""
# the section's slug (looked up first: the page then reads the section's own index) +
# articles page + COUNT + section links + bylines + tag links + images + editions (every
# `language` and `direction` is read from the rows these load: no statement of its own)
FRONT_PAGE_BUDGET = 8
TEASERS = 50


@pytest.fixture
async def teaser_section(demo: object) -> AsyncIterator[str]:
    """A section of its own with 50 complete teasers (picture, edition, author, tags), so that
    what other tests add to the shared database never changes what this page shows."""
    section = await make_section()
    edition = await make_edition()
    author = await Author.create(slug=unique("t-author"), name="Auteur Budget")
    tags = (await Tag.create(slug=unique("t-tag"), name="Budget"),)
    created = []
    for n in range(TEASERS):
        image = await Image.create(
            url=f"https://img.example/{section.slug}/{n}.jpg", credit="© D.R"
        )
        created.append(
            await make_article(
                section=section, authors=(author,), tags=tags, image=image, edition=edition
            )
        )
    yield section.slug
    for article in created:
        await article.delete()
    await Image.filter(url__startswith=f"https://img.example/{section.slug}/").delete()
    for thing in (author, *tags, section, edition):
        await thing.delete()


@pytest.mark.parametrize("first", [5, TEASERS])
async def test_front_page_budget_does_not_grow_with_page_size(
    client: httpx.AsyncClient, teaser_section: str, first: int
) -> None:
    with count_queries() as log:
        data = await gql_data(client, FRONT_PAGE, {"first": first, "section": teaser_section})
    nodes = [edge["node"] for edge in data["articles"]["edges"]]
    assert len(nodes) == first
    assert all(n["image"] and n["edition"] and n["authors"] and n["tags"] for n in nodes)
    assert log.count == FRONT_PAGE_BUDGET, (log.count, log.statements)


SECTIONS_WITH_CHILDREN = "{ sections { slug children { slug children { slug } } } }"


async def test_section_tree_is_batched(client: httpx.AsyncClient) -> None:
    with count_queries() as log:
        await gql_data(client, SECTIONS_WITH_CHILDREN)
    # roots + one batched query per level of children
    assert log.count == 3, log.statements


async def test_nodes_batch_by_type(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, "{ articles(first: 20) { nodes { id primarySection { id } } } }")
    ids = [n["id"] for n in data["articles"]["nodes"]]
    ids += list({n["primarySection"]["id"] for n in data["articles"]["nodes"]})
    with count_queries() as log:
        result = await gql_data(
            client, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}
        )
    assert [n["id"] for n in result["nodes"]] == ids
    assert log.count == 2, log.statements  # one for articles, one for sections
