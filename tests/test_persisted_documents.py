"""Persisted documents over HTTP: documentId (GraphQL-over-HTTP), Apollo APQ, the
GQLNEWS_DOCUMENTS policy, the per-process cache; and checking documents against the schema."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from gqlnews.demo import DemoSummary
from gqlnews.documents import check_document, document_hash, register
from gqlnews.graphql.schema import limit_rules
from gqlnews.models import PersistedDocument, User, UserRole
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from tests.account_factories import bearer, staff_token

NOT_FOUND_BODY = {
    "errors": [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
}


def _name() -> str:
    return f"Q{uuid.uuid4().hex[:12]}"


def _front(name: str) -> str:
    """Two operations (so operationName matters), one with a variable."""
    return (
        f"query {name}($first: Int!) {{ articles(first: $first) {{ nodes {{ slug title }} }} }}\n"
        f"query {name}Other {{ __typename }}\n"
    )


@pytest_asyncio.fixture
async def add(app: Starlette, settings: Settings) -> AsyncIterator[Any]:
    """Register a document (checked like `gqlnews documents add` does) and return its hash;
    the documents go when the test ends."""
    registry: list[str] = []

    async def add(text: str) -> str:
        checked = check_document(
            text, app.state.schema._schema, limit_rules(settings), settings.max_tokens, "test"
        )
        assert checked.errors == (), checked.errors
        await register([checked])
        registry.append(checked.sha256)
        return checked.sha256

    yield add
    await PersistedDocument.filter(sha256__in=registry).delete()


async def _post(client: httpx.AsyncClient, body: dict[str, Any], **kw: Any) -> httpx.Response:
    return await client.post("/graphql", json=body, **kw)


def _code(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


async def test_post_and_get_by_document_id_answer_as_the_text(
    client: httpx.AsyncClient, add: Any
) -> None:
    name = _name()
    text = _front(name)
    digest = await add(text)
    variables = {"first": 3}
    by_text = await _post(client, {"query": text, "variables": variables, "operationName": name})
    assert by_text.status_code == 200
    assert by_text.json()["data"]["articles"]["nodes"], by_text.json()

    document_id = f"sha256:{digest}"
    by_id = await _post(
        client, {"documentId": document_id, "variables": variables, "operationName": name}
    )
    assert by_id.status_code == 200 and by_id.json() == by_text.json()

    params = {
        "documentId": document_id,
        "variables": json.dumps(variables, separators=(",", ":")),
        "operationName": name,
    }
    by_get = await client.get("/graphql", params=params)
    assert by_get.status_code == 200 and by_get.json() == by_text.json()
    # A browser's GET of a document runs it (GraphiQL is for a GET without one).
    browser = await client.get("/graphql", params=params, headers={"accept": "text/html"})
    assert browser.json() == by_text.json()
    other = await client.get(
        "/graphql", params={"documentId": document_id, "operationName": f"{name}Other"}
    )
    assert other.json() == {"data": {"__typename": "Query"}}
    # An empty operationName is none (GraphQL-over-HTTP).
    empty = await client.get("/graphql", params={**params, "operationName": ""})
    assert empty.status_code < 500 and "INTERNAL_SERVER_ERROR" not in empty.text


async def test_a_registered_document_costs_no_sql_after_the_first_request(
    client: httpx.AsyncClient, add: Any
) -> None:
    digest = await add(f"query {_name()} {{ __typename }}")
    body = {"documentId": f"sha256:{digest}"}
    with count_queries() as first:
        assert (await _post(client, body)).json() == {"data": {"__typename": "Query"}}
    with count_queries() as second:
        assert (await _post(client, body)).json() == {"data": {"__typename": "Query"}}
    with count_queries() as by_get:
        assert (await client.get("/graphql", params=body)).status_code == 200
    assert (first.count, second.count, by_get.count) == (1, 0, 0), first.statements


async def test_an_unknown_document_id_is_404(client: httpx.AsyncClient) -> None:
    unknown = f"sha256:{document_hash(_name())}"
    for response in (
        await _post(client, {"documentId": unknown}),
        await client.get("/graphql", params={"documentId": unknown}),
    ):
        assert response.status_code == 404
        assert _code(response) == "PERSISTED_DOCUMENT_NOT_FOUND"
        assert unknown in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "document_id",
    [
        "abc",
        "sha256:abc",
        "sha256:" + "g" * 64,
        "sha256:" + "A" * 64,
        "md5:" + "a" * 32,
        "a" * 64,
        "",
        123,
        ["sha256:" + "a" * 64],
    ],
)
async def test_a_malformed_document_id_is_400(client: httpx.AsyncClient, document_id: Any) -> None:
    response = await _post(client, {"documentId": document_id})
    assert response.status_code == 400
    assert _code(response) == "BAD_REQUEST"
    if isinstance(document_id, str):
        by_get = await client.get("/graphql", params={"documentId": document_id})
        assert by_get.status_code == 400 and _code(by_get) == "BAD_REQUEST"


async def test_document_id_with_a_query_is_400(client: httpx.AsyncClient, add: Any) -> None:
    text = f"query {_name()} {{ __typename }}"
    digest = await add(text)
    response = await _post(client, {"documentId": f"sha256:{digest}", "query": text})
    assert response.status_code == 400 and _code(response) == "BAD_REQUEST"


async def test_a_mutation_document_is_refused_over_get(client: httpx.AsyncClient, add: Any) -> None:
    digest = await add(f"mutation {_name()} {{ signOut {{ revoked }} }}")
    response = await client.get("/graphql", params={"documentId": f"sha256:{digest}"})
    assert response.status_code in (400, 405)
    assert _code(response) == "BAD_REQUEST"


def _apq(digest: str, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def test_apq_not_found_then_the_text_then_the_hash_alone(
    client: httpx.AsyncClient,
) -> None:
    text = f"query {_name()} {{ sections {{ slug }} }}"
    digest = document_hash(text)
    missing = await _post(client, {"extensions": _apq(digest)})
    assert (missing.status_code, missing.json()) == (200, NOT_FOUND_BODY)

    with_text = await _post(client, {"query": text, "extensions": _apq(digest)})
    assert with_text.status_code == 200 and with_text.json()["data"]["sections"]

    with count_queries() as queries:
        hash_only = await _post(client, {"extensions": _apq(digest)})
    assert hash_only.json() == with_text.json()
    assert queries.count == 1, queries.statements  # the sections, not the document
    by_get = await client.get(
        "/graphql", params={"extensions": json.dumps(_apq(digest), separators=(",", ":"))}
    )
    assert by_get.status_code == 200 and by_get.json() == with_text.json()
    # Remembered in the process, never written to the database.
    assert not await PersistedDocument.filter(sha256=digest).exists()


async def test_apq_with_a_hash_that_is_not_the_text_s_is_refused(
    client: httpx.AsyncClient,
) -> None:
    text = f"query {_name()} {{ __typename }}"
    wrong = document_hash(text + " ")
    response = await _post(client, {"query": text, "extensions": _apq(wrong)})
    assert response.status_code == 400
    assert _code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert (await _post(client, {"extensions": _apq(wrong)})).json() == NOT_FOUND_BODY


@pytest.mark.parametrize(
    "extensions",
    [
        _apq("a" * 64, version=2),
        _apq("a" * 64, version="1"),
        _apq("z" * 64),
        _apq("a" * 63),
        _apq(None),  # type: ignore[arg-type]
        {"persistedQuery": "sha256:" + "a" * 64},
        "not an object",
    ],
)
async def test_bad_persisted_query_extensions_are_400(
    client: httpx.AsyncClient, extensions: Any
) -> None:
    response = await _post(client, {"extensions": extensions})
    assert response.status_code == 400, response.text
    assert _code(response) == "BAD_REQUEST"


@pytest.mark.parametrize("extensions", ["{not json", "[1, 2]", '"text"'])
async def test_get_extensions_that_are_not_a_json_object_are_400(
    client: httpx.AsyncClient, extensions: str
) -> None:
    response = await client.get("/graphql", params={"extensions": extensions})
    assert response.status_code == 400, response.text
    assert _code(response) == "BAD_REQUEST"


async def test_get_variables_that_are_not_json_are_400(client: httpx.AsyncClient, add: Any) -> None:
    digest = await add(_front(_name()))
    response = await client.get(
        "/graphql", params={"documentId": f"sha256:{digest}", "variables": "{first: 3"}
    )
    assert response.status_code == 400 and _code(response) == "BAD_REQUEST"


@pytest.fixture(scope="module")
def registered_only(settings: Settings) -> Starlette:
    """An app of the policy `registered` (its own process cache)."""
    return create_app(dataclasses.replace(settings, documents="registered"))


@pytest_asyncio.fixture
async def strict_client(
    registered_only: Starlette, demo: DemoSummary
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=registered_only)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def test_registered_policy_refuses_arbitrary_anonymous_documents(
    strict_client: httpx.AsyncClient, add: Any
) -> None:
    text = f"query {_name()} {{ sections {{ slug }} }}"
    arbitrary = await _post(strict_client, {"query": text})
    assert arbitrary.status_code == 400
    assert _code(arbitrary) == "PERSISTED_DOCUMENT_REQUIRED"
    by_get = await strict_client.get("/graphql", params={"query": text})
    assert by_get.status_code == 400 and _code(by_get) == "PERSISTED_DOCUMENT_REQUIRED"

    # APQ registers nothing under this policy: the text is refused, the hash stays unknown.
    apq = await _post(strict_client, {"query": text, "extensions": _apq(document_hash(text))})
    assert apq.status_code == 400 and _code(apq) == "PERSISTED_DOCUMENT_REQUIRED"
    again = await _post(strict_client, {"extensions": _apq(document_hash(text))})
    assert again.json() == NOT_FOUND_BODY

    digest = await add(text)
    expected = (await _post(strict_client, {"documentId": f"sha256:{digest}"})).json()
    assert expected["data"]["sections"]
    assert (await _post(strict_client, {"extensions": _apq(digest)})).json() == expected
    with_text = await _post(strict_client, {"query": text, "extensions": _apq(digest)})
    assert with_text.json() == expected
    # The text alone is still refused: name the document.
    assert _code(await _post(strict_client, {"query": text})) == "PERSISTED_DOCUMENT_REQUIRED"


async def test_registered_policy_lets_staff_send_any_document(
    strict_client: httpx.AsyncClient,
) -> None:
    user, token = await staff_token(UserRole.AUTHOR)
    try:
        text = f"query {_name()} {{ sections {{ slug }} }}"
        response = await _post(strict_client, {"query": text}, headers=bearer(token))
        assert response.status_code == 200 and response.json()["data"]["sections"]
        bad = await _post(strict_client, {"query": text}, headers=bearer("gqln_nope"))
        assert bad.status_code == 401
    finally:
        await User.filter(id=user.pk).delete()


def test_documents_are_checked_against_the_schema_and_the_limits(app: Starlette) -> None:
    schema = app.state.schema._schema
    strict = Settings(max_depth=3, max_aliases=2, max_tokens=40)

    def errors(text: str) -> tuple[str, ...]:
        return check_document(text, schema, limit_rules(strict), strict.max_tokens).errors

    good = check_document("query A { __typename }\nquery B { sections { slug } }", schema)
    assert good.errors == () and good.operation_names == ("A", "B")
    assert "Cannot query field 'nope'" in errors("{ nope }")[0]
    assert errors("{ sections { ")[0].startswith("Syntax Error")
    assert "depth" in errors("{ sections { children { children { children { slug } } } } }")[0]
    assert "aliases" in errors("{ a: __typename b: __typename c: __typename }")[0]
    assert "token" in errors("{ " + "__typename " * 50 + "}")[0]
    assert errors("fragment F on Query { __typename }") == (
        "Fragment 'F' is never used. (line 1, column 1)",
        "the document defines no operation",
    )
