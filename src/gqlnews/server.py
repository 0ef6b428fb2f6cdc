"""``create_app(settings)``: the Starlette app with its routes, health checks and lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pluggy
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from gqlnews import health
from gqlnews.cache.service import ResponseCache
from gqlnews.feeds import routes as feeds
from gqlnews.feeds.routes import feed_routes
from gqlnews.graphql.ide import assets_route
from gqlnews.graphql.schema import build_schema
from gqlnews.graphql.view import GraphQLView, error_response
from gqlnews.lifespan import make_lifespan
from gqlnews.live.feed import EventFeed
from gqlnews.newsroom.publishing import Publisher
from gqlnews.observability.endpoint import metrics_endpoint
from gqlnews.observability.logs import setup_logging
from gqlnews.observability.middleware import RequestContextMiddleware
from gqlnews.plugins import call_list_sync, make_plugin_manager
from gqlnews.plugins.registry import collect_strategies
from gqlnews.ratelimit import RateLimits
from gqlnews.ratelimit.middleware import RateLimitMiddleware
from gqlnews.settings import Settings

log = logging.getLogger("gqlnews.server")


async def healthz(request: Request) -> Response:
    """The process is alive (no dependency is checked)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """200 while the database answers, 503 while it does not. Redis (when configured) being
    away only degrades the process (``"redis": "degraded"``, still 200): the response cache
    and the rate limits fall back to this process, reads keep working, and taking every
    instance out of the load balancer at once would turn a Redis outage into a site outage.

    Each check opens nothing new: a dependency that comes back is seen at the next call.
    """
    settings: Settings = request.app.state.settings
    found = await health.readiness(settings.redis_url)
    return JSONResponse(
        {"status": found.status, "checks": found.checks},
        status_code=200 if found.ready else 503,
    )


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(500, "Internal server error", "INTERNAL_SERVER_ERROR")


def _closing(
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]], limits: RateLimits
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """``lifespan``, then the rate limiter's Redis connections closed."""

    @asynccontextmanager
    async def closing(app: Starlette) -> AsyncIterator[None]:
        try:
            async with lifespan(app):
                yield
        finally:
            await limits.aclose()

    return closing


def cors_middleware(settings: Settings) -> list[Middleware]:
    """Starlette's CORS middleware for the origins ``settings`` allow (none: no middleware, no
    CORS headers). It goes in front of the rate limits and the GraphQL view: it answers a
    preflight (``OPTIONS`` with ``Access-Control-Request-Method``) itself, so a preflight
    costs no token and never reaches GraphQL, and it adds its headers to every answer for an
    allowed origin, 429s and cached answers included (with ``Vary: Origin`` unless any origin
    is allowed)."""
    if not settings.cors_origins_list:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins_list,
            allow_methods=settings.cors_methods_list,
            allow_headers=settings.cors_headers_list,
            allow_credentials=settings.cors_credentials,
            # What a page's script may read of an answer besides the simple headers.
            expose_headers=["ETag", "Retry-After", "X-Request-ID"],
        )
    ]


def create_app(
    settings: Settings | None = None, plugins: pluggy.PluginManager | None = None
) -> Starlette:
    """The ASGI app for ``settings`` (default: from the environment), with the plugins of
    ``plugins`` (default: the manager ``settings`` describes)."""
    settings = settings or Settings.from_env()
    plugins = plugins or make_plugin_manager(settings)
    schema = build_schema(settings, plugins)
    cache = ResponseCache(settings, plugins) if settings.cache else None
    feed = EventFeed(settings, plugins)
    view = GraphQLView(
        schema, settings, collect_strategies(plugins), Publisher(plugins), cache=cache, feed=feed
    )
    limits = RateLimits(settings)
    setup_logging(settings.log_level, settings.log_format)
    routes: list[BaseRoute] = [
        Route("/graphql", view, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", view),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        *feed_routes(),
        *call_list_sync(plugins, "gqlnews_routes", settings=settings),
    ]
    if settings.graphiql:
        routes.append(assets_route())
    app = Starlette(
        debug=settings.debug,
        routes=routes,
        middleware=[
            Middleware(RequestContextMiddleware),
            *cors_middleware(settings),
            Middleware(
                RateLimitMiddleware,
                limits=limits,
                paths=frozenset({"/graphql", *feeds.PATHS}),
                prefixes=feeds.PREFIXES,
            ),
        ],
        lifespan=_closing(make_lifespan(settings, plugins, cache, feed), limits),
        exception_handlers={500: _server_error},
    )
    app.state.settings = settings
    app.state.plugins = plugins
    app.state.schema = schema
    app.state.cache = cache
    app.state.feed = feed
    app.state.sockets = view.sockets  # closed with 1001 before the server stops (cli serve)
    app.state.rate_limits = limits  # signIn asks it before it verifies a password
    return app
