"""HTTP caching of /graphql answers: Cache-Control, Vary, ETag and 304 (gqlnews.graphql.http_cache);
anonymous error-free GET queries are public, everything else is private, no-store."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from gqlnews.demo import DemoSummary
from gqlnews.documents import check_document, register
from gqlnews.graphql.http_cache import entity_tag, none_match
from gqlnews.graphql.schema import limit_rules
from gqlnews.models import PersistedDocument, User, UserRole
from gqlnews.server import create_app
from gqlnews.settings import Settings, SettingsError
from tests.account_factories import bearer, staff_token

PUBLIC = "public, max-age=7, s-maxage=42"
NO_STORE = "private, no-store"
SECTIONS = "{ sections { slug } }"


@pytest.fixture(scope="module")
def cached_app(settings: Settings) -> Starlette:
    """An app with non-default lifetimes, to prove the settings are read."""
    return create_app(dataclasses.replace(settings, http_max_age=7, http_s_maxage=42))


@pytest_asyncio.fixture
async def http(cached_app: Starlette, demo: DemoSummary) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=cached_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest_asyncio.fixture
async def document_id(cached_app: Starlette, settings: Settings) -> AsyncIterator[str]:
    """A registered document (deleted when the test ends), as its ``documentId``."""
    name = f"Q{uuid.uuid4().hex[:12]}"
    text = f"query {name}($first: Int!) {{ articles(first: $first) {{ nodes {{ slug }} }} }}"
    checked = check_document(
        text, cached_app.state.schema._schema, limit_rules(settings), settings.max_tokens, "test"
    )
    assert checked.errors == (), checked.errors
    await register([checked])
    yield f"sha256:{checked.sha256}"
    await PersistedDocument.filter(sha256=checked.sha256).delete()


@pytest_asyncio.fixture
async def token() -> AsyncIterator[str]:
    """An editor's API token (the account goes when the test ends)."""
    user, text = await staff_token(UserRole.EDITOR)
    yield text
    await User.filter(id=user.pk).delete()


def _assert_public(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert "errors" not in response.json()
    assert response.headers["cache-control"] == PUBLIC
    assert response.headers["vary"] == "Authorization, Gqlnews-Preview-Token"
    etag = response.headers["etag"]
    assert etag == entity_tag(response.content) and etag.startswith('"')
    return etag


def _assert_no_store(response: httpx.Response) -> None:
    assert response.headers["cache-control"] == NO_STORE
    assert "etag" not in response.headers


async def _revalidations(http: httpx.AsyncClient, params: dict[str, str]) -> None:
    """Two identical GETs share one ETag; If-None-Match with it is a 304, another is a 200."""
    first = await http.get("/graphql", params=params)
    etag = _assert_public(first)
    second = await http.get("/graphql", params=params)
    assert _assert_public(second) == etag and second.content == first.content

    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        not_modified = await http.get("/graphql", params=params, headers={"if-none-match": header})
        assert not_modified.status_code == 304, header
        assert not_modified.content == b""
        assert not_modified.headers["etag"] == etag
        assert not_modified.headers["cache-control"] == PUBLIC
        assert not_modified.headers["vary"] == "Authorization, Gqlnews-Preview-Token"

    for header in ('"other"', 'W/"other", "another"', "not-a-tag"):
        changed = await http.get("/graphql", params=params, headers={"if-none-match": header})
        assert changed.status_code == 200 and changed.content == first.content, header
        assert changed.headers["etag"] == etag


async def test_an_anonymous_get_query_is_public_with_an_etag(http: httpx.AsyncClient) -> None:
    await _revalidations(http, {"query": SECTIONS})


async def test_an_anonymous_get_of_a_document_id_is_public_with_an_etag(
    http: httpx.AsyncClient, document_id: str
) -> None:
    params = {"documentId": document_id, "variables": json.dumps({"first": 2})}
    response = await http.get("/graphql", params=params)
    assert response.json()["data"]["articles"]["nodes"]
    await _revalidations(http, params)


async def test_the_defaults_are_a_short_shared_lifetime(client: httpx.AsyncClient) -> None:
    """`make demo` keeps the defaults: browsers revalidate, CDNs keep an answer 10 seconds."""
    response = await client.get("/graphql", params={"query": SECTIONS})
    assert response.headers["cache-control"] == "public, max-age=0, s-maxage=10"


async def test_post_answers_are_not_stored(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": SECTIONS})
    assert response.status_code == 200
    _assert_no_store(response)
    assert "vary" not in response.headers


@pytest.mark.parametrize("if_none_match", [None, "*"])
async def test_staff_answers_are_never_stored(
    http: httpx.AsyncClient, token: str, if_none_match: str | None
) -> None:
    """Even a shared cache that ignored Vary would not keep what an editor sees (drafts)."""
    anonymous = await http.get("/graphql", params={"query": SECTIONS})
    headers = bearer(token) | ({"if-none-match": if_none_match} if if_none_match else {})
    staff = await http.get("/graphql", params={"query": SECTIONS}, headers=headers)
    assert staff.status_code == 200 and staff.json()["data"]["sections"]
    _assert_no_store(staff)
    assert staff.headers["vary"] == "Authorization, Gqlnews-Preview-Token"
    assert anonymous.headers["vary"] == "Authorization, Gqlnews-Preview-Token"


async def test_any_authorization_header_makes_an_answer_private(http: httpx.AsyncClient) -> None:
    """Other schemes are ignored by the API, but a cache must not share them either."""
    response = await http.get(
        "/graphql", params={"query": SECTIONS}, headers={"Authorization": "Basic dXNlcjpwYXNz"}
    )
    assert response.status_code == 200
    _assert_no_store(response)


async def test_a_bad_token_is_401_and_not_stored(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/graphql", params={"query": SECTIONS}, headers=bearer("gqln_not_a_token")
    )
    assert response.status_code == 401
    _assert_no_store(response)
    assert response.headers["vary"] == "Authorization, Gqlnews-Preview-Token"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ('{ article(slug: "x", id: "QXJ0aWNsZTox") { id } }', 200),  # BAD_USER_INPUT
        ("{ nope }", 200),  # validation
        ("{ sections { slug }", 200),  # parse
        ("mutation { __typename }", 400),  # GET runs queries only
    ],
)
async def test_answers_with_errors_are_not_stored(
    http: httpx.AsyncClient, query: str, status: int
) -> None:
    response = await http.get("/graphql", params={"query": query}, headers={"if-none-match": "*"})
    assert response.status_code == status, response.text
    assert response.json()["errors"]
    _assert_no_store(response)


async def test_a_resolver_error_with_partial_data_is_not_stored(
    http: httpx.AsyncClient, broken_sections: str
) -> None:
    response = await http.get("/graphql", params={"query": "{ __typename sections { slug } }"})
    assert response.status_code == 200 and response.json()["errors"]
    _assert_no_store(response)


async def test_http_errors_of_the_view_are_not_stored(http: httpx.AsyncClient) -> None:
    unknown = await http.get("/graphql", params={"documentId": "sha256:" + "0" * 64})
    assert unknown.status_code == 404
    malformed = await http.get("/graphql", params={"query": SECTIONS, "variables": "{"})
    assert malformed.status_code == 400
    # Apollo's "retry with the text" answer is a 200: a CDN must not keep it either.
    apq = {"persistedQuery": {"version": 1, "sha256Hash": uuid.uuid4().hex * 2}}
    not_found = await http.get("/graphql", params={"extensions": json.dumps(apq)})
    assert not_found.status_code == 200
    assert not_found.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    for response in (unknown, malformed, not_found):
        _assert_no_store(response)


async def test_graphiql_depends_on_accept(http: httpx.AsyncClient) -> None:
    """A GET without a query is GraphiQL's HTML or a JSON 400 depending on Accept."""
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    json_error = await http.get("/graphql", headers={"accept": "application/json"})
    assert json_error.status_code == 400
    for response in (page, json_error):
        _assert_no_store(response)
        assert response.headers["vary"] == "Accept, Authorization, Gqlnews-Preview-Token"


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ("*", True),
        (' "abc" ', True),
        ('W/"abc"', True),
        ('"x", W/"abc"', True),
        ('"x",,  "abc"', True),
        ('"a,b", "abc"', True),
        ('"abcd"', False),
        ('"x", "y"', False),
        ("abc", False),
        ('"x" "abc"', False),
        ("", False),
    ],
)
def test_if_none_match_follows_rfc_9110(header: str | None, matches: bool) -> None:
    assert none_match(header, '"abc"') is matches


@pytest.mark.parametrize("variable", ["GQLNEWS_HTTP_MAX_AGE", "GQLNEWS_HTTP_S_MAXAGE"])
def test_negative_lifetimes_are_refused(variable: str) -> None:
    with pytest.raises(SettingsError, match=f"{variable} must be 0 or more seconds"):
        Settings.from_env({variable: "-1"})
    assert Settings.from_env({variable: "0"}).to_env()[variable] == "0"


def test_lifetimes_must_be_whole_seconds() -> None:
    with pytest.raises(SettingsError, match="GQLNEWS_HTTP_S_MAXAGE must be a whole number"):
        Settings.from_env({"GQLNEWS_HTTP_S_MAXAGE": "1.5"})
