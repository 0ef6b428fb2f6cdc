"""CORS (Starlette's CORSMiddleware, configured by the GQLNEWS_CORS_* settings): an allowed
origin gets the headers, another gets none, a preflight for POST /graphql with content-type and
authorization is answered before the rate limits and GraphQL, credentials are off unless
configured, and by default there is no CORS at all."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from gqlnews.demo import DemoSummary
from gqlnews.server import create_app
from gqlnews.settings import Settings, SettingsError
from gqlnews.testing import count_queries

SITE = "https://site.example"
OTHER = "https://elsewhere.example"
QUERY = {"query": "{ sections { slug } }"}
PREFLIGHT = {
    "origin": SITE,
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type, authorization",
}


def _client(settings: Settings, **changes: Any) -> httpx.AsyncClient:
    app = create_app(dataclasses.replace(settings, **changes))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


@pytest_asyncio.fixture
async def cors(settings: Settings, demo: DemoSummary) -> AsyncIterator[httpx.AsyncClient]:
    """The app allowing SITE (and a second origin), with the default methods and headers."""
    async with _client(settings, cors_origins=f"{SITE}, http://127.0.0.1:8080") as client:
        yield client


async def test_an_allowed_origin_gets_the_headers(cors: httpx.AsyncClient) -> None:
    for answer in (
        await cors.post("/graphql", json=QUERY, headers={"origin": SITE}),
        await cors.get("/graphql", params=QUERY, headers={"origin": SITE}),
    ):
        assert answer.status_code == 200 and answer.json()["data"]["sections"]
        assert answer.headers["access-control-allow-origin"] == SITE
        assert "Origin" in answer.headers["vary"]
        exposed = answer.headers["access-control-expose-headers"]
        assert {"ETag", "Retry-After", "X-Request-ID"} <= set(exposed.split(", "))
        assert "access-control-allow-credentials" not in answer.headers


async def test_another_origin_gets_none(cors: httpx.AsyncClient) -> None:
    answer = await cors.post("/graphql", json=QUERY, headers={"origin": OTHER})
    assert answer.status_code == 200  # the browser, not the server, withholds the answer
    assert "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-credentials" not in answer.headers
    refused = await cors.options("/graphql", headers={**PREFLIGHT, "origin": OTHER})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


async def test_a_preflight_for_post_with_content_type_and_authorization(
    cors: httpx.AsyncClient,
) -> None:
    with count_queries() as log:
        answer = await cors.options("/graphql", headers=PREFLIGHT)
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == SITE
    assert {"GET", "POST"} <= set(answer.headers["access-control-allow-methods"].split(", "))
    allowed = {h.lower() for h in answer.headers["access-control-allow-headers"].split(", ")}
    assert {"content-type", "authorization"} <= allowed
    assert int(answer.headers["access-control-max-age"]) > 0
    assert "access-control-allow-credentials" not in answer.headers
    assert log.count == 0  # answered by the middleware: no GraphQL, no token check


async def test_a_preview_page_on_the_site_may_send_its_preview_token(
    cors: httpx.AsyncClient,
) -> None:
    """A front end's preview page (docs/previews.md) sends the token in a header of its own:
    the default headers allow it."""
    asked = {**PREFLIGHT, "access-control-request-headers": "content-type, gqlnews-preview-token"}
    answer = await cors.options("/graphql", headers=asked)
    assert answer.status_code == 200, answer.text
    allowed = {h.lower() for h in answer.headers["access-control-allow-headers"].split(", ")}
    assert "gqlnews-preview-token" in allowed


async def test_a_preflight_for_a_header_not_allowed_is_refused(cors: httpx.AsyncClient) -> None:
    answer = await cors.options(
        "/graphql", headers={**PREFLIGHT, "access-control-request-headers": "x-secret"}
    )
    assert answer.status_code == 400
    assert "Disallowed CORS headers" in answer.text


async def test_preflights_cost_no_rate_limit_token_and_429s_carry_the_headers(
    settings: Settings, demo: DemoSummary
) -> None:
    async with _client(settings, cors_origins=SITE, rate_limit_per_minute=2) as client:
        for _ in range(5):
            assert (await client.options("/graphql", headers=PREFLIGHT)).status_code == 200
        answers = [
            await client.post("/graphql", json=QUERY, headers={"origin": SITE}) for _ in range(3)
        ]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    refused = answers[-1]
    assert refused.headers["access-control-allow-origin"] == SITE  # the page can read why
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_credentials_only_when_configured(settings: Settings, demo: DemoSummary) -> None:
    async with _client(settings, cors_origins=SITE, cors_credentials=True) as client:
        answer = await client.post("/graphql", json=QUERY, headers={"origin": SITE})
        preflight = await client.options("/graphql", headers=PREFLIGHT)
    for response in (answer, preflight):
        assert response.headers["access-control-allow-credentials"] == "true"
        assert response.headers["access-control-allow-origin"] == SITE


async def test_methods_and_headers_come_from_the_settings(
    settings: Settings, demo: DemoSummary
) -> None:
    async with _client(
        settings, cors_origins="*", cors_methods="GET", cors_headers="X-A"
    ) as client:
        simple = await client.get("/graphql", params=QUERY, headers={"origin": OTHER})
        post = await client.options("/graphql", headers={**PREFLIGHT, "origin": OTHER})
        get = await client.options(
            "/graphql",
            headers={
                "origin": OTHER,
                "access-control-request-method": "GET",
                "access-control-request-headers": "x-a",
            },
        )
    assert simple.headers["access-control-allow-origin"] == "*"
    assert post.status_code == 400  # POST and authorization are not allowed here
    assert get.status_code == 200
    assert get.headers["access-control-allow-methods"] == "GET"


async def test_no_cors_by_default(settings: Settings, demo: DemoSummary) -> None:
    assert Settings().cors_origins == ""
    async with _client(settings) as client:
        answer = await client.post("/graphql", json=QUERY, headers={"origin": SITE})
        preflight = await client.options("/graphql", headers=PREFLIGHT)
    assert not [name for name in answer.headers if name.startswith("access-control-")]
    assert preflight.status_code == 405
    assert not [name for name in preflight.headers if name.startswith("access-control-")]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GQLNEWS_CORS_ORIGINS": "https://site.example/"}, "GQLNEWS_CORS_ORIGINS must be"),
        ({"GQLNEWS_CORS_ORIGINS": "site.example"}, "no path) or *, got 'site.example'"),
        ({"GQLNEWS_CORS_METHODS": "GET,DELETE"}, "GQLNEWS_CORS_METHODS must be"),
        ({"GQLNEWS_CORS_HEADERS": "Authorization,bad header"}, "got 'bad header'"),
        (
            {"GQLNEWS_CORS_ORIGINS": "*", "GQLNEWS_CORS_CREDENTIALS": "true"},
            "GQLNEWS_CORS_CREDENTIALS needs GQLNEWS_CORS_ORIGINS to list the origins",
        ),
    ],
)
def test_bad_cors_settings_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env(env)


def test_good_cors_settings_are_lists() -> None:
    settings = Settings.from_env(
        {
            "GQLNEWS_CORS_ORIGINS": "http://127.0.0.1:8080, http://localhost:8080,https://[::1]:3000",
            "GQLNEWS_CORS_METHODS": "get, post",
        }
    )
    assert settings.cors_origins_list == [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "https://[::1]:3000",
    ]
    assert settings.cors_methods_list == ["GET", "POST"]
    assert settings.cors_headers_list == ["Authorization", "Content-Type", "Gqlnews-Preview-Token"]
