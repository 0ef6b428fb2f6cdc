"""The HTTP face of the schema: orjson, typed context, JSON errors with codes, never a 500."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult

from gqlnews.errors import BAD_USER_INPUT, INTERNAL_SERVER_ERROR
from gqlnews.graphql.context import Context
from gqlnews.observability import metrics
from gqlnews.plugins.registry import Strategies
from gqlnews.settings import Settings

log = logging.getLogger("gqlnews.graphql")

GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_REQUEST = "BAD_REQUEST"


def error_response(status: int, message: str, code: str = BAD_REQUEST) -> JSONResponse:
    """A GraphQL-shaped JSON error for requests that never reach execution."""
    metrics.GRAPHQL_ERRORS.labels(code).inc()
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )


def _code_for(error: dict[str, Any]) -> str:
    """A code for errors that carry none: parse, validation, variables, or internal."""
    message = str(error.get("message", ""))
    if message.startswith("Syntax Error"):
        return GRAPHQL_PARSE_FAILED
    if "path" in error:
        return INTERNAL_SERVER_ERROR
    if message.startswith("Variable") and any(
        words in message for words in ("invalid value", "was not provided", "non-null", "got null")
    ):
        return BAD_USER_INPUT
    return GRAPHQL_VALIDATION_FAILED


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with gqlnews's context, JSON encoding and error shapes."""

    def __init__(self, schema: Any, settings: Settings, strategies: Strategies) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql else None)
        self.settings = settings
        self.strategies = strategies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            response = error_response(exc.status_code, exc.reason)
        await response(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            settings=self.settings,
            strategies=self.strategies,
            request=request,
            response=response,
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data = process_result(result)
        errors: list[dict[str, Any]] = data.get("errors") or []  # type: ignore[assignment]
        for error in errors:
            extensions = error.setdefault("extensions", {})
            if "code" not in extensions:
                extensions["code"] = _code_for(error)
            metrics.GRAPHQL_ERRORS.labels(str(extensions["code"])).inc()
        return data
