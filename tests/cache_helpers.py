"""What tests of the response cache share: an app whose cache is started (as its lifespan
does), a client on it, anonymous GETs, mutations, and whether an answer came from the cache."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
from starlette.applications import Starlette

from gqlnews.ids import encode_id
from gqlnews.models import Article
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from tests.account_factories import post


def cached_app(settings: Settings, **changes: Any) -> Starlette:
    """An app of ``settings`` (and ``changes``) with the cache on and started, as its lifespan
    does (the plugins' startup hooks are not run: no background indexer, no view flusher, no
    scheduler). Stop it with ``await app.state.cache.stop()``."""
    changes = {"cache": True, "scheduler_interval": 0, **changes}
    app = create_app(dataclasses.replace(settings, **changes))
    app.state.cache.start()
    return app


@asynccontextmanager
async def client_of(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on ``app``."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def get(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    """An anonymous GET (the cacheable kind), checked error-free."""
    params = {"query": query, "variables": orjson.dumps(variables).decode()}
    response = await client.get("/graphql", params=params)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    return response


async def cached(client: httpx.AsyncClient, query: str, **variables: Any) -> bool:
    """Whether the cache answered (a hit costs no SQL)."""
    with count_queries() as sql:
        await get(client, query, **variables)
    return sql.count == 0


async def act(client: httpx.AsyncClient, token: str, query: str, **variables: Any) -> None:
    """A mutation as the owner of ``token``, checked without errors."""
    response = await post(client, query, variables, token)
    payload = next(iter(response.json()["data"].values()))
    assert payload["errors"] == [], payload


def gid(article: Article) -> str:
    return encode_id("Article", article.pk)
