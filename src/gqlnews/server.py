"""``create_app(settings)``: the Starlette app with its routes, health checks and lifespan."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gqlnews import db
from gqlnews.graphql.schema import build_schema
from gqlnews.graphql.view import GraphQLView, error_response
from gqlnews.lifespan import make_lifespan
from gqlnews.settings import Settings

log = logging.getLogger("gqlnews.server")


async def healthz(request: Request) -> Response:
    """The process is alive (no dependency is checked)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """The database answers; 503 while it does not."""
    try:
        await db.connection().execute_query("SELECT 1")
    except Exception as exc:  # any driver error means "not ready"
        log.warning("readiness check failed: %s", exc)
        return JSONResponse(
            {"status": "unavailable", "checks": {"database": "unreachable"}}, status_code=503
        )
    return JSONResponse({"status": "ok", "checks": {"database": "ok"}})


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(500, "Internal server error", "INTERNAL_SERVER_ERROR")


def create_app(settings: Settings | None = None) -> Starlette:
    """The ASGI app for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    view = GraphQLView(build_schema(settings), settings)
    routes = [
        Route("/graphql", view, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    app = Starlette(
        debug=settings.debug,
        routes=routes,
        lifespan=make_lifespan(settings),
        exception_handlers={500: _server_error},
    )
    app.state.settings = settings
    return app
