"""Bad input over HTTP: clear 4xx JSON errors or GraphQL errors with codes, never a 500."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.helpers import gql


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "JSON"),
        ({"content": b"query", "headers": {"content-type": "text/plain"}}, "content type"),
        ({"json": {}}, "No GraphQL query"),
        ({"json": {"query": ""}}, "No GraphQL query"),
        ({"json": {"query": 42}}, "must be a string"),
        ({"json": {"query": "{ sections { slug } }", "variables": [1]}}, "variables"),
    ],
)
async def test_malformed_requests_get_400_json(
    client: httpx.AsyncClient,
    kwargs: dict,
    message: str,  # type: ignore[type-arg]
) -> None:
    response = await client.post("/graphql", **kwargs)
    assert response.status_code == 400
    body = response.json()
    assert message in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_get_runs_queries_and_shows_graphiql_to_browsers(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ sections { slug } }"})
    assert response.status_code == 200
    assert response.json()["data"]["sections"]
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ articles { edges { node { title } ", "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
        ('{ node(id: "%%%") { id } }', "BAD_USER_INPUT"),
        ('{ node(id: "QXJ0aWNsZTphYmM") { id } }', "BAD_USER_INPUT"),
        ('{ article(slug: "x", id: "QXJ0aWNsZTox") { id } }', "BAD_USER_INPUT"),
        ("{ article { id } }", "BAD_USER_INPUT"),
        ("{ articles(first: 101) { totalCount } }", "BAD_USER_INPUT"),
        ("{ articles(last: 500) { totalCount } }", "BAD_USER_INPUT"),
        ("{ articles(first: -1) { totalCount } }", "BAD_USER_INPUT"),
        ("{ articles(first: 2, last: 2) { totalCount } }", "BAD_USER_INPUT"),
        ('{ articles(after: "garbage") { totalCount } }', "BAD_USER_INPUT"),
        ("{ articles(page: 0) { totalCount } }", "BAD_USER_INPUT"),
        ("{ articles(page: 1, perPage: 1000) { totalCount } }", "BAD_USER_INPUT"),
        ('{ search(query: "  \' ") { totalCount } }', "BAD_USER_INPUT"),
        ("{ edition { number } }", "BAD_USER_INPUT"),
        ("{ articles(first: 1) { edges { node { excerpt(maxLength: 0) } } } }", "BAD_USER_INPUT"),
    ],
)
async def test_bad_queries_have_codes(client: httpx.AsyncClient, query: str, code: str) -> None:
    body = await gql(client, query)
    assert body["errors"], body
    assert body["errors"][0]["extensions"]["code"] == code
    assert "Traceback" not in str(body)


async def test_page_cap_names_the_maximum(client: httpx.AsyncClient) -> None:
    body = await gql(client, "{ articles(first: 101) { totalCount } }")
    error = body["errors"][0]
    assert "≤ 100" in error["message"]
    assert error["extensions"]["maximum"] == 100


async def test_wrong_variable_type_is_bad_user_input(client: httpx.AsyncClient) -> None:
    body = await gql(client, "query($n: Int!) { edition(number: $n) { number } }", {"n": "douze"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_unknown_slugs_are_null_not_errors(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        '{ article(slug: "nope") { id } section(slug: "nope") { id } author(slug: "nope") { id }'
        ' tag(slug: "nope") { id } supplement(slug: "nope") { id } edition(number: 1) { id } }',
    )
    assert "errors" not in body
    assert set(body["data"].values()) == {None}


async def test_deep_and_aliased_queries_are_rejected_before_running(
    client: httpx.AsyncClient,
) -> None:
    deep = "{ sections { " + "children { " * 14 + "slug" + " }" * 14 + " } }"
    body = await gql(client, deep)
    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    aliased = "{ " + " ".join(f"a{i}: sections {{ slug }}" for i in range(40)) + " }"
    body = await gql(client, aliased)
    assert body["data"] is None
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_limits_are_configurable(demo: object) -> None:
    app: Starlette = create_app(Settings(max_depth=3, max_aliases=1))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        deep = "{ sections { children { children { children { slug } } } } }"
        assert (await gql(c, deep))["data"] is None
        assert (await gql(c, "{ a: sections { slug } b: sections { slug } }"))["data"] is None
        assert "errors" not in await gql(c, "{ a: sections { slug } }")


async def test_internal_errors_are_masked_without_debug(
    client: httpx.AsyncClient, broken_sections: str
) -> None:
    body = await gql(client, "{ sections { slug } }")
    error = body["errors"][0]
    assert error["message"] == "Unexpected error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert broken_sections not in str(body)


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
