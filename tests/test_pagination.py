"""Relay pagination over the demo newsroom: cursors both ways, page numbers, stability."""

from __future__ import annotations

import httpx
import pytest
from tortoise.queryset import QuerySet

from gqlnews.graphql import pagination
from gqlnews.graphql.types import article_lists
from gqlnews.models import Article, UserRole
from tests.account_factories import post, staff_token
from tests.helpers import gql_data

PAGE = """query($first: Int, $after: String, $last: Int, $before: String, $order: ArticleOrder) {
  articles(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug publishedAt } }
  }
}"""


async def _all_slugs(client: httpx.AsyncClient, order: str) -> list[str]:
    data = await gql_data(client, PAGE, {"first": 100, "order": order})
    return [e["node"]["slug"] for e in data["articles"]["edges"]]


async def _walk(client: httpx.AsyncClient, order: str, size: int) -> list[str]:
    slugs: list[str] = []
    after = None
    while True:
        data = await gql_data(client, PAGE, {"first": size, "after": after, "order": order})
        conn = data["articles"]
        slugs += [e["node"]["slug"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            return slugs
        after = conn["pageInfo"]["endCursor"]


async def test_forward_walk_visits_everything_once(client: httpx.AsyncClient) -> None:
    for order in ("PUBLISHED_AT_DESC", "TITLE_ASC", "MOST_VIEWED", "PRINT_ORDER"):
        total = (await gql_data(client, PAGE, {"first": 1, "order": order}))["articles"][
            "totalCount"
        ]
        walked = await _walk(client, order, 7)
        assert len(walked) == total == len(set(walked)), order


async def test_backward_pages_mirror_forward_pages(client: httpx.AsyncClient) -> None:
    first = (await gql_data(client, PAGE, {"first": 10}))["articles"]
    before = first["edges"][6]["cursor"]
    back = (await gql_data(client, PAGE, {"last": 3, "before": before}))["articles"]
    assert [e["node"]["slug"] for e in back["edges"]] == [
        e["node"]["slug"] for e in first["edges"][3:6]
    ]
    assert back["pageInfo"]["hasPreviousPage"] is True
    assert back["pageInfo"]["hasNextPage"] is True


async def test_newest_first_by_default(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, PAGE, {"first": 30})
    dates = [e["node"]["publishedAt"] for e in data["articles"]["edges"]]
    assert dates == sorted(dates, reverse=True)
    assert len(data["articles"]["edges"]) == 30


async def test_default_page_size_is_20(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, "{ articles { edges { cursor } pageInfo { hasNextPage } } }")
    assert len(data["articles"]["edges"]) == 20
    assert data["articles"]["pageInfo"]["hasNextPage"] is True


async def test_page_numbers_and_offsets_agree_with_cursors(client: httpx.AsyncClient) -> None:
    data = await gql_data(
        client,
        "{ a: articles(page: 3, perPage: 5) { page nodes { slug } }"
        " b: articles(offset: 10, first: 5) { page nodes { slug } }"
        " c: articles(first: 15) { nodes { slug } } }",
    )
    expected = [n["slug"] for n in data["c"]["nodes"][10:15]]
    assert [n["slug"] for n in data["a"]["nodes"]] == expected
    assert [n["slug"] for n in data["b"]["nodes"]] == expected
    assert data["a"]["page"] == 3
    assert data["b"]["page"] is None


async def test_keyset_cursor_is_stable_when_news_arrives(client: httpx.AsyncClient) -> None:
    from tests.factories import make_article, make_section, now

    before = (await gql_data(client, PAGE, {"first": 10}))["articles"]["edges"]
    first = (await gql_data(client, PAGE, {"first": 5}))["articles"]
    await make_article(section=await make_section(), published_at=now())  # lands on top
    second = await gql_data(client, PAGE, {"first": 5, "after": first["pageInfo"]["endCursor"]})
    assert [e["node"]["slug"] for e in second["articles"]["edges"]] == [
        e["node"]["slug"] for e in before[5:10]
    ]  # offsets would have shifted by one; the cursor does not


async def test_editions_connection(client: httpx.AsyncClient) -> None:
    data = await gql_data(
        client, "{ editions(first: 3) { totalCount nodes { number date } pageInfo { endCursor } } }"
    )
    dates = [n["date"] for n in data["editions"]["nodes"]]
    assert dates == sorted(dates, reverse=True)
    assert data["editions"]["totalCount"] >= 14


async def test_cursors_are_made_only_when_asked_for(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[dict[str, object]] = []
    real = pagination.encode_cursor

    def counted(payload: dict[str, object]) -> str:
        made.append(payload)
        return real(payload)

    monkeypatch.setattr(pagination, "encode_cursor", counted)
    asked = {
        "nodes { slug }": 0,
        "pageInfo { hasNextPage } nodes { slug }": 0,
        "pageInfo { endCursor } nodes { slug }": 1,
        "pageInfo { startCursor endCursor } edges { cursor }": 7,
    }
    for selection, cursors in asked.items():
        for order in ("PUBLISHED_AT_DESC", "PRINT_ORDER"):  # keyset and offset cursors
            made.clear()
            query = f"{{ articles(first: 5, orderBy: {order}) {{ {selection} }} }}"
            data = await gql_data(client, query)
            assert len(made) == cursors, (selection, order)
            if "edges" in selection:
                edges = data["articles"]["edges"]
                info = data["articles"]["pageInfo"]
                assert [info["startCursor"], info["endCursor"]] == [
                    edges[0]["cursor"],
                    edges[-1]["cursor"],
                ]


async def test_a_list_builds_its_queryset_only_when_a_prebuilt_statement_cannot_answer(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages and counts of article lists are prebuilt statements: the list's queryset is
    built only for a staff list's last page without a cursor (counted by Tortoise)."""
    built: list[object] = []
    real = article_lists._ListStatements.queryset

    def counted(self: object) -> object:
        built.append(self)
        return real(self)  # type: ignore[arg-type]

    monkeypatch.setattr(article_lists._ListStatements, "queryset", counted)
    for query in (
        "{ articles(first: 3) { totalCount nodes { slug } } }",
        '{ section(slug: "monde") { articles(page: 2, perPage: 2) { pageCount nodes { slug } } } }',
        "{ articles(last: 2, orderBy: TITLE_ASC) { nodes { slug } } }",
    ):
        await gql_data(client, query)
    assert built == []
    _, token = await staff_token(UserRole.EDITOR)
    query = "{ articles(last: 2, filter: {statuses: [DRAFT, PUBLISHED]}) { nodes { slug } } }"
    staff = (await post(client, query, token=token)).json()
    reader = await gql_data(client, "{ articles(last: 2) { nodes { slug } } }")
    assert "errors" not in staff and len(built) == 1
    assert len(staff["data"]["articles"]["nodes"]) == len(reader["articles"]["nodes"]) == 2


async def test_a_list_query_is_built_once_and_only_when_asked_for() -> None:
    made: list[int] = []

    def build() -> QuerySet[Article]:
        made.append(1)
        return Article.all()

    query = pagination.ListQuery(Article, build)
    assert made == [] and query.model is Article
    assert query.get() is query.get() and made == [1]
    ready = Article.filter(id=1)
    assert pagination.ListQuery.of(ready).get() is ready
