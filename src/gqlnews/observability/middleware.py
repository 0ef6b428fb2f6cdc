"""ASGI middleware: a request id for every request (logged and returned in ``X-Request-ID``),
the SQL statements it cost, and HTTP counts."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gqlnews.observability import metrics
from gqlnews.observability.requestctx import RequestState, current, new_request_id

REQUEST_ID_HEADER = "X-Request-ID"
log = logging.getLogger("gqlnews.http")
_KNOWN_ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = RequestState(new_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER)))
        token = current.set(state)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = state.request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = str(scope.get("path", ""))
            route = path if path in _KNOWN_ROUTES else "other"
            metrics.HTTP_REQUESTS.labels(route, str(status)).inc()
            if route == "/graphql":
                metrics.SQL_PER_REQUEST.observe(state.sql_queries)
            log.debug(
                "%s %s -> %s",
                scope.get("method"),
                path,
                status,
                extra={
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "sql_queries": state.sql_queries,
                },
            )
            current.reset(token)
