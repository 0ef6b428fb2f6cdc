"""Bounded counts: ``totalCount`` counts up to GQLNEWS_COUNT_CAP and says whether it is exact,
with the page count of numbered pages, in one bounded statement asked only when needed."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest

from gqlnews.graphql.counting import Count, bounded_count
from gqlnews.models import Section, UserRole
from gqlnews.server import create_app
from gqlnews.settings import Settings, SettingsError
from gqlnews.testing import count_queries
from tests.account_factories import staff_token
from tests.helpers import gql_data
from tests.test_newsroom_workflow import call

CAP = 5

ARTICLES = """query($page: Int, $perPage: Int, $first: Int) {
  articles(page: $page, perPage: $perPage, first: $first) {
    totalCount totalCountIsExact pageCount nodes { slug } }
}"""
SEARCH = """query($q: String!) {
  search(query: $q, first: 1) { totalCount totalCountIsExact pageInfo { hasNextPage } }
}"""


@pytest.fixture
async def capped(settings: Settings, demo: object) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app that counts up to 5 (its response cache off, so that every request
    runs its statements)."""
    app = create_app(dataclasses.replace(settings, count_cap=CAP, cache=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


ARABIC = """query($page: Int, $perPage: Int, $first: Int) {
  articles(page: $page, perPage: $perPage, first: $first, filter: {languages: ["ar"]}) {
    totalCount totalCountIsExact pageCount nodes { slug } }
}"""


async def test_a_list_under_the_cap_is_counted_exactly(
    client: httpx.AsyncClient, capped: httpx.AsyncClient
) -> None:
    exact = (await gql_data(client, ARABIC, {"first": 100}))["articles"]
    size = len(exact["nodes"])
    assert 0 < size <= CAP and exact["totalCount"] == size, "the demo's Arabic articles"
    data = (await gql_data(capped, ARABIC, {"page": 1, "perPage": 2}))["articles"]
    assert data["totalCount"] == size
    assert data["totalCountIsExact"] is True
    assert data["pageCount"] == -(-size // 2)


async def test_a_list_over_the_cap_answers_the_cap_and_says_so(
    client: httpx.AsyncClient, capped: httpx.AsyncClient
) -> None:
    exact = (await gql_data(client, ARTICLES, {"first": 1}))["articles"]
    assert exact["totalCount"] > CAP and exact["totalCountIsExact"] is True
    data = (await gql_data(capped, ARTICLES, {"page": 1, "perPage": 2}))["articles"]
    assert (data["totalCount"], data["totalCountIsExact"], data["pageCount"]) == (CAP, False, 3)


async def test_the_count_stops_one_row_past_the_cap(demo: object) -> None:
    """At the edge: a list of exactly ``cap`` rows is exact, one more row is not."""
    rows = Section.filter(parent_id=None)
    size = await rows.count()
    assert size > 2
    assert await bounded_count(rows, size) == size
    assert await bounded_count(rows, size + 1) == size
    assert await bounded_count(rows, size - 1) == size
    assert await bounded_count(rows, size - 2) == size - 1
    assert Count.of(await bounded_count(rows, size - 1), size - 1) == Count(size - 1, False)


async def test_page_count_is_null_outside_page_mode(capped: httpx.AsyncClient) -> None:
    data = (await gql_data(capped, ARTICLES, {"first": 2}))["articles"]
    assert data["pageCount"] is None
    assert data["totalCount"] == CAP


async def test_other_connections_are_capped_too(
    client: httpx.AsyncClient, capped: httpx.AsyncClient
) -> None:
    query = "{ editions(first: 1) { totalCount totalCountIsExact } }"
    exact = (await gql_data(client, query))["editions"]
    assert exact["totalCount"] > CAP and exact["totalCountIsExact"] is True
    capped_editions = (await gql_data(capped, query))["editions"]
    assert capped_editions == {"totalCount": CAP, "totalCountIsExact": False}


async def test_search_counts_are_capped(
    client: httpx.AsyncClient, capped: httpx.AsyncClient
) -> None:
    exact = (await gql_data(client, SEARCH, {"q": "Maroc"}))["search"]
    assert exact["totalCount"] > CAP and exact["totalCountIsExact"] is True
    data = (await gql_data(capped, SEARCH, {"q": "Maroc"}))["search"]
    assert (data["totalCount"], data["totalCountIsExact"]) == (CAP, False)
    assert data["pageInfo"]["hasNextPage"] is True


async def test_one_bounded_statement_counts_for_all_three_fields(
    client: httpx.AsyncClient, capped: httpx.AsyncClient
) -> None:
    """Asking for the count costs one statement more than not asking, whichever of its three
    fields are asked for, on both apps, and that statement stops at cap + 1 rows."""
    bare = "query { articles(page: 2, perPage: 3) { nodes { slug } } }"
    with count_queries() as without:
        await gql_data(capped, bare)
    for fields in ("totalCount", "totalCountIsExact pageCount", "totalCount totalCountIsExact"):
        query = f"query {{ articles(page: 2, perPage: 3) {{ {fields} nodes {{ slug }} }} }}"
        for http in (capped, client):
            with count_queries() as log:
                await gql_data(http, query)
            assert log.count == without.count + 1, (fields, log.statements)
    with count_queries() as log:
        await gql_data(capped, "{ articles(first: 1) { totalCount } }")
    counting = [s for s in log.statements if "COUNT(" in s.upper()]
    assert len(counting) == 1, log.statements
    # the limit is in the text, not a parameter: PostgreSQL's generic plan for an unknown
    # limit walks the whole archive (see gqlnews.graphql.counting.count_statement)
    assert f"LIMIT {CAP + 1}) AS bounded" in counting[0], counting
    assert counting[0].upper().count("LIMIT") == 1, counting


async def test_a_page_is_not_counted_as_a_list(demo: object) -> None:
    with pytest.raises(ValueError, match="whole list"):
        await bounded_count(Section.all().limit(2), 10)
    with pytest.raises(ValueError, match="whole list"):
        await bounded_count(Section.all().offset(1), 10)


def test_count_arithmetic() -> None:
    assert Count.of(4, 5) == Count(4, True)
    assert Count.of(5, 5) == Count(5, True)
    assert Count.of(6, 5) == Count(5, False)
    assert (Count(0, True).pages(10), Count(10, True).pages(10), Count(11, True).pages(10)) == (
        1,
        1,
        2,
    )


def test_the_cap_is_a_validated_setting() -> None:
    assert Settings().count_cap == 10_000
    assert Settings.from_env({"GQLNEWS_COUNT_CAP": "5"}).count_cap == 5
    with pytest.raises(SettingsError, match="GQLNEWS_COUNT_CAP must be at least 1"):
        Settings.from_env({"GQLNEWS_COUNT_CAP": "0"})


async def test_staff_lists_with_drafts_are_counted_the_same_way(
    client: httpx.AsyncClient, capped: httpx.AsyncClient
) -> None:
    """A staff list orders undated drafts with an annotation: the bounded count still runs."""
    _, token = await staff_token(UserRole.EDITOR)
    query = (
        "{ articles(first: 2, filter: {statuses: [DRAFT, PUBLISHED]}) "
        "{ totalCount totalCountIsExact } }"
    )
    exact = (await call(client, token, query, {}))["data"]["articles"]
    assert exact["totalCount"] > CAP and exact["totalCountIsExact"] is True
    capped_body = await call(capped, token, query, {})
    assert capped_body["data"]["articles"] == {"totalCount": CAP, "totalCountIsExact": False}
