"""The ASGI middleware that limits GraphQL requests (and the feeds and sitemaps, reads too):
one token per request from its Bearer token's bucket, or its client IP's, before anything else
runs (the response cache included, so cached answers count too). An empty bucket is answered
``429 Too Many Requests`` with ``Retry-After`` and a GraphQL-shaped error (code
``RATE_LIMITED``)."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gqlnews.accounts.tokens import AuthenticationFailed, bearer_token
from gqlnews.observability import metrics
from gqlnews.ratelimit.policy import RATE_LIMITED, RateLimits, Refusal


class RateLimitMiddleware:
    """Limits requests to ``paths`` (``/graphql``) and to paths starting with one of
    ``prefixes`` with ``limits``; others pass untouched."""

    def __init__(
        self,
        app: ASGIApp,
        limits: RateLimits,
        paths: frozenset[str] = frozenset({"/graphql"}),
        prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.limits = limits
        self.paths = paths
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or (scope["path"] not in self.paths and not scope["path"].startswith(self.prefixes))
            or not self.limits.limits_requests
        ):
            await self.app(scope, receive, send)
            return
        token = _token(scope)
        refusal = await self.limits.request(scope, token)
        if refusal is not None:
            await too_many_requests(refusal)(scope, receive, send)
        elif token is None or self.limits.per_ip is None:
            await self.app(scope, receive, send)
        else:
            await self._with_token(scope, receive, send)

    async def _with_token(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a request with a token; a 401 (the token was refused) counts against its IP."""
        refused = False

        async def watching(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start" and message["status"] == 401:
                refused = True
            await send(message)

        await self.app(scope, receive, watching)
        if refused:
            await self.limits.bad_token(scope)


def too_many_requests(refusal: Refusal) -> JSONResponse:
    """The 429 answer (shaped as :func:`gqlnews.graphql.view.error_response`'s)."""
    metrics.GRAPHQL_ERRORS.labels(RATE_LIMITED).inc()
    error = {
        "message": refusal.message,
        "extensions": {"code": RATE_LIMITED, "retryAfter": refusal.retry_after},
    }
    return JSONResponse(
        {"errors": [error]},
        status_code=429,
        headers={"Retry-After": str(refusal.retry_after)},
    )


def _token(scope: Scope) -> str | None:
    """The request's Bearer token; None without one, or when its header is malformed (the
    view answers that with a 401: it counts against the client IP meanwhile)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            try:
                return bearer_token(value.decode("latin-1"))
            except AuthenticationFailed:
                return None
    return None
