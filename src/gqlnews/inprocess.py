"""An in-process client: a whole gqlnews app (its lifespan, its plugins) answering GraphQL
through httpx's ASGI transport, with no server and no socket.

For tools that ask the API the way a reader's browser would (the related plugin's
``gqlnews related evaluate``) and for the test harness (:mod:`gqlnews.testing`)::

    async with in_process_client(settings) as api:
        data = await api.data("{ relatedStrategies { name } }")

The app starts on the database of ``settings`` as ``gqlnews serve`` would: one that is behind
its migrations is refused (:class:`gqlnews.migrate.PendingMigrations`). httpx is a development
dependency; without it, importing this module raises ``ModuleNotFoundError`` (name ``httpx``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette

from gqlnews.plugins import make_plugin_manager
from gqlnews.plugins.manager import PluginManager
from gqlnews.server import create_app
from gqlnews.settings import Settings


class GraphQLErrors(AssertionError):
    """A query expected to succeed answered with errors."""


@dataclass
class InProcessClient:
    """A running app (lifespan entered) with an HTTP client on it."""

    app: Starlette
    client: httpx.AsyncClient
    plugins: PluginManager

    async def query(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST a GraphQL document; the decoded body (``data`` and/or ``errors``)."""
        response = await self.client.post(
            "/graphql", json={"query": document, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Like :meth:`query` for a document that must succeed: its ``data``
        (:class:`GraphQLErrors` otherwise)."""
        body = await self.query(document, variables, headers)
        if body.get("errors"):
            raise GraphQLErrors(body["errors"])
        data: dict[str, Any] = body["data"]
        return data


@asynccontextmanager
async def in_process_client(
    settings: Settings, plugins: PluginManager | None = None
) -> AsyncIterator[InProcessClient]:
    """The app of ``settings`` (with ``plugins``, default: the plugins ``settings`` enables),
    started, and a client on it; the app stops when the block ends."""
    manager = plugins if plugins is not None else make_plugin_manager(settings)
    app = create_app(settings, manager)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield InProcessClient(app, client, manager)
