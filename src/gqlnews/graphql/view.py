"""The HTTP face of the schema: orjson, typed context, JSON errors with codes, never a 500."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, datetime
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.base import BaseRequestProtocol
from strawberry.types import ExecutionResult, SubscriptionExecutionResult

from gqlnews.accounts.tokens import AuthenticationFailed, authenticate, bearer_token
from gqlnews.documents import DocumentStore
from gqlnews.errors import BAD_USER_INPUT, INTERNAL_SERVER_ERROR
from gqlnews.graphql import http_cache
from gqlnews.graphql.context import Context
from gqlnews.graphql.persisted import DocumentRequestError, resolve_document
from gqlnews.newsroom.publishing import Publisher
from gqlnews.observability import metrics
from gqlnews.permissions import UNAUTHENTICATED
from gqlnews.plugins.registry import Strategies
from gqlnews.settings import Settings
from gqlnews.visibility import Viewer

log = logging.getLogger("gqlnews.graphql")

GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_REQUEST = "BAD_REQUEST"


def error_response(
    status: int, message: str, code: str = BAD_REQUEST, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A GraphQL-shaped JSON error for requests that never reach execution."""
    metrics.GRAPHQL_ERRORS.labels(code).inc()
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers=headers,
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

    def __init__(
        self,
        schema: Any,
        settings: Settings,
        strategies: Strategies,
        publisher: Publisher | None = None,
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql else None)
        self.settings = settings
        self.strategies = strategies
        self.publisher = publisher or Publisher()
        self.documents = DocumentStore()
        """This process's cache of persisted documents (see :mod:`gqlnews.documents`)."""
        self.cache_policy = http_cache.CachePolicy.from_settings(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            response = error_response(exc.status_code, exc.reason)
        except AuthenticationFailed as exc:
            # RFC 6750: a bad token is refused before execution, whatever the query.
            challenge = 'Bearer error="invalid_token"'
            response = error_response(
                401, str(exc), UNAUTHENTICATED, {"WWW-Authenticate": challenge}
            )
        except DocumentRequestError as exc:
            response = error_response(exc.status, exc.message, exc.code)
        response = http_cache.apply(
            request,
            response,
            clean_query=getattr(request.state, "clean_query", False),
            policy=self.cache_policy,
            graphiql=self.graphql_ide is not None,
        )
        await response(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        """The request's context; a Bearer token is checked here (one SQL query), and a bad one
        raises :class:`AuthenticationFailed` (answered with HTTP 401)."""
        now = datetime.now(UTC)
        token = bearer_token(request.headers.get("authorization"))
        context = Context(
            settings=self.settings,
            strategies=self.strategies,
            publisher=self.publisher,
            request=request,
            response=response,
            now=now,
        )
        if token is None or not isinstance(request, Request):
            return context
        credential = await authenticate(token, now)
        return dataclasses.replace(
            context,
            viewer=Viewer(user_id=credential.user.pk, role=credential.user.role),
            user=credential.user,
            token_id=credential.token.pk,
        )

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """GraphiQL for a browser's plain GET, not for a GET that names a document."""
        params = request.query_params
        return (
            "documentId" not in params
            and "extensions" not in params
            and super().should_render_graphql_ide(request)
        )

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> ExecutionResult | list[ExecutionResult] | SubscriptionExecutionResult:
        """Put in the text of a document the request names (``documentId`` or Apollo's
        ``persistedQuery``), and apply ``GQLNEWS_DOCUMENTS`` (see
        :mod:`gqlnews.graphql.persisted`)."""
        if isinstance(request_data, GraphQLRequestData):
            request_data = await resolve_document(
                request_data,
                await self._document_id(request_adapter),
                store=self.documents,
                policy=self.settings.documents,
                signed_in=context.user is not None,
            )
        result = await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )
        # One query ran to the end without errors: the answer may be cached (see http_cache).
        request.state.clean_query = isinstance(result, ExecutionResult) and not result.errors
        return result

    async def _document_id(self, request: AsyncHTTPRequestAdapter) -> object:
        """The request's ``documentId`` (None when absent); Strawberry's parsing drops it.

        A POST body is read again from Starlette's cache, and decoded again only when it
        mentions ``documentId``."""
        if request.method == "GET":
            return request.query_params.get("documentId")
        body = await request.get_body()
        if b'"documentId"' not in body:
            return None
        data = self.parse_json(body)
        return data.get("documentId") if isinstance(data, dict) else None

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
