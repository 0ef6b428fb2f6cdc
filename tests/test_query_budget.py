"""SQL budgets: a page of articles costs the same number of queries whatever its size."""

from __future__ import annotations

import httpx
import pytest

from gqlnews.testing import count_queries
from tests.helpers import gql_data

FRONT_PAGE = """
query($first: Int!) {
  articles(first: $first) {
    totalCount
    edges { node {
      slug title excerpt(maxLength: 120) readingTimeMinutes direction
      primarySection { slug } sections { slug name } authors { name } tags { slug }
      image { url credit } edition { number }
    } }
  }
}
"""
# articles page + COUNT + section links + bylines + tag links + images + editions
FRONT_PAGE_BUDGET = 7


@pytest.mark.parametrize("first", [5, 50])
async def test_front_page_budget_does_not_grow_with_page_size(
    client: httpx.AsyncClient, first: int
) -> None:
    with count_queries() as log:
        data = await gql_data(client, FRONT_PAGE, {"first": first})
    nodes = [edge["node"] for edge in data["articles"]["edges"]]
    assert len(nodes) == first
    # Images and editions are only looked up when a teaser has one; other tests may have put
    # articles without them on top of the list, so the exact number follows what is shown.
    shown = [any(n["image"] for n in nodes), any(n["edition"] for n in nodes)]
    assert log.count == FRONT_PAGE_BUDGET - shown.count(False), (log.count, log.statements)
    if first == 50:
        assert all(shown), "the demo's 50 latest include pictures and print editions"


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
