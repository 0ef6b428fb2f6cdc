"""The HTTP face of the schema: orjson, typed context, JSON errors with codes, never a 500."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.parse_content_type import parse_content_type
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult, SubscriptionExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from gqlnews.accounts.tokens import AuthenticationFailed, authenticate, bearer_token
from gqlnews.cache import keys as cache_keys
from gqlnews.cache.deps import Dependencies, collecting
from gqlnews.cache.entry import Entry
from gqlnews.cache.service import ResponseCache, Ticket
from gqlnews.documents import DocumentStore
from gqlnews.errors import BAD_USER_INPUT, INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE, TIMEOUT
from gqlnews.graphql import http_cache
from gqlnews.graphql.cache_key import RequestKey, request_key
from gqlnews.graphql.context import Context
from gqlnews.graphql.ide import graphiql_html
from gqlnews.graphql.persisted import DocumentRequestError, resolve_document
from gqlnews.graphql.plans import PlanStore
from gqlnews.graphql.request_body import (
    LONG_BODY,
    TOO_LARGE,
    decode_json,
    max_request_bytes,
    request_data,
)
from gqlnews.graphql.websocket import (
    ONLY_SUBSCRIPTIONS,
    Sockets,
    TransportHandler,
    refuse,
    sign_in,
    subscription_over_http,
)
from gqlnews.live.feed import EventFeed
from gqlnews.newsroom.publishing import Publisher
from gqlnews.observability import metrics
from gqlnews.permissions import UNAUTHENTICATED
from gqlnews.plugins.registry import Strategies
from gqlnews.previews import open_preview, preview_token
from gqlnews.settings import Settings
from gqlnews.visibility import Viewer

log = logging.getLogger("gqlnews.graphql")

GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_REQUEST = "BAD_REQUEST"
CONNECTION_INIT_WAIT = timedelta(seconds=10)
"""How long a new WebSocket may take to send ``connection_init`` (then: 4408)."""


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
        cache: ResponseCache | None = None,
        feed: EventFeed | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=CONNECTION_INIT_WAIT,
            max_subscriptions_per_connection=settings.subscriptions_per_connection,
            # A page of another origin may open a socket only if CORS allows that origin.
            allowed_origins=settings.cors_origins_list,
        )
        self.settings = settings
        self.strategies = strategies
        self.publisher = publisher or Publisher()
        self.documents = DocumentStore()
        """This process's cache of persisted documents (see :mod:`gqlnews.documents`)."""
        self.plans = PlanStore() if settings.plans else None
        """Which operations run as plans (see :mod:`..plans`)."""
        self.cache_policy = http_cache.CachePolicy.from_settings(settings)
        self.max_request_bytes = max_request_bytes(settings.max_body_bytes)
        """Larger request bodies are refused (413) before they are read or decoded."""
        self.cache = cache
        """The response cache (None when ``GQLNEWS_CACHE`` is off); used once the app's
        lifespan started it, as only then do purges reach it."""
        if cache is not None:
            cache.forget_document = self.documents.forget
        self.feed = feed
        """The process's event feed (subscriptions), started by the app's lifespan."""
        self.sockets = Sockets(settings.subscriptions_max_connections)
        """The open WebSocket connections (closed with 1001 when the server stops)."""
        limit = settings.max_concurrent_requests
        self.turns = asyncio.Semaphore(limit) if limit > 0 else None
        """Turns to execute (``max_concurrent_requests``; None: no limit): under load each
        request runs in turn, instead of all of them slowing down together past their
        deadline (see :meth:`_answer`)."""

    graphql_transport_ws_handler_class = TransportHandler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            socket = WebSocket(scope, receive=receive, send=send)
            with self.sockets.holding(socket) as admitted:
                if admitted:
                    await self.run(socket)
                else:
                    await refuse(socket, self.sockets.limit)
            return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_request_bytes:
            refused = self._too_large(int(length))
            await error_response(refused.status, refused.message, refused.code)(
                scope, receive, send
            )
            return
        key, ticket, land = None, None, None
        if self.cache is not None and self.cache.started:
            key = await request_key(request, self.settings.documents)
            if key is None:
                metrics.CACHE_REQUESTS.labels("bypass", "").inc()
            else:
                entry, tier, ticket, land = await self.cache.lookup(key.cache_key)
                if entry is not None:
                    metrics.CACHE_REQUESTS.labels("hit", tier).inc()
                    response = self._cached(request, entry, tier)
                    await response(scope, receive, send)
                    return
                metrics.CACHE_REQUESTS.labels("miss", "").inc()
        try:
            response = await self._fresh(request, key, ticket)
        finally:
            if land is not None:
                land()  # requests waiting for this answer look again
        await response(scope, receive, send)

    def _too_large(self, size: int) -> DocumentRequestError:
        return DocumentRequestError(
            413,
            f"the request body is {size} bytes; at most {self.max_request_bytes} are accepted "
            "(twice GQLNEWS_MAX_BODY_BYTES plus 1 MB)",
            TOO_LARGE,
        )

    async def _fresh(
        self, request: Request, key: RequestKey | None, ticket: Ticket | None
    ) -> Response:
        """Run the request; store its answer when ``key`` says it may be."""
        with collecting() as collected:
            response = await self._answer(request)
        clean = getattr(request.state, "clean_query", False)
        etag: str | None = None
        if key is not None and ticket is not None:
            stored = await self._store(response, clean, key, ticket, collected)
            if stored is not None:
                etag = stored.etag
                response.headers.update(dict(http_cache.surrogate_headers(stored.keys)))
            if self.settings.debug and clean:
                self._debug_extension(response, hit=None, keys=sorted(collected.keys))
                etag = None
        return self._http_headers(request, response, clean, etag)

    async def _answer(self, request: Request) -> Response:
        """:meth:`_execute`'s answer, in turn when turns are limited (``max_concurrent_requests``):
        a request that waited ``request_timeout_ms`` without a turn is answered 503
        ``SERVICE_UNAVAILABLE`` (retryable) without running. Its deadline starts with its
        turn: a request that waited long still has all of it, rather than being cancelled
        half-way, its work lost."""
        if self.turns is None:
            return await self._execute(request)
        limit_ms = self.settings.request_timeout_ms
        try:
            async with asyncio.timeout(limit_ms / 1000 if limit_ms > 0 else None):
                await self.turns.acquire()
        except TimeoutError:
            log.warning("request refused: no turn to execute within %d ms", limit_ms)
            return error_response(
                503,
                f"the server is busy: the request waited {limit_ms} ms for its turn and was not "
                "run; try again later",
                SERVICE_UNAVAILABLE,
                {"Retry-After": "1"},
            )
        try:
            return await self._execute(request)
        finally:
            self.turns.release()

    async def _execute(self, request: Request) -> Response:
        """Strawberry's answer to ``request``, or the JSON error it was refused with; a request
        still running after ``request_timeout_ms`` is cancelled (its awaiting SQL with it, a
        mutation's transaction rolled back) and answered 503 ``TIMEOUT``."""
        limit_ms = self.settings.request_timeout_ms
        deadline = asyncio.timeout(limit_ms / 1000 if limit_ms > 0 else None)
        try:
            async with deadline:
                return await self.run(request)
        except TimeoutError:
            if not deadline.expired():
                raise  # a timeout of something inside, not the request's deadline
            log.warning("request cancelled after its deadline of %d ms", limit_ms)
            request.state.clean_query = False
            return error_response(
                503,
                f"the request ran longer than its deadline of {limit_ms} ms and was cancelled; "
                "ask for less (smaller pages, fewer nested lists) or try again later",
                TIMEOUT,
            )
        except HTTPException as exc:
            return error_response(exc.status_code, exc.reason)
        except AuthenticationFailed as exc:
            # RFC 6750: a bad token is refused before execution, whatever the query.
            challenge = 'Bearer error="invalid_token"'
            return error_response(401, str(exc), UNAUTHENTICATED, {"WWW-Authenticate": challenge})
        except DocumentRequestError as exc:
            return error_response(exc.status, exc.message, exc.code)

    async def _store(
        self,
        response: Response,
        clean: bool,
        key: RequestKey,
        ticket: Ticket,
        collected: Dependencies,
    ) -> Entry | None:
        """Keep an anonymous query's error-free answer, with its keys (and its document's)."""
        if (
            self.cache is None
            or not clean
            or not collected.cacheable
            or collected.operation != "query"
            or not http_cache.is_whole_answer(response)
        ):
            return None
        collected.keys.add(cache_keys.document(key.digest))
        body = bytes(response.body)
        return await self.cache.put(ticket, body, http_cache.entity_tag(body), collected)

    def _cached(self, request: Request, entry: Entry, tier: str) -> Response:
        """A stored answer, with the headers a fresh one would have."""
        response = Response(entry.body, media_type="application/json")
        response.headers.update(dict(http_cache.surrogate_headers(entry.keys)))
        etag: str | None = entry.etag
        if self.settings.debug:
            self._debug_extension(response, hit=tier, keys=list(entry.keys))
            etag = None
        return self._http_headers(request, response, True, etag)

    def _http_headers(
        self, request: Request, response: Response, clean: bool, etag: str | None
    ) -> Response:
        """Cache-Control, Vary and ETag (or a 304) for a fresh or a stored answer."""
        return http_cache.apply(
            request,
            response,
            clean_query=clean,
            policy=self.cache_policy,
            graphiql=self.graphql_ide is not None,
            etag=etag,
        )

    @staticmethod
    def _debug_extension(response: Response, hit: str | None, keys: list[str]) -> None:
        """With debug on: ``extensions.cache`` says whether the answer came from the cache
        (and which tier) and lists its keys."""
        data = orjson.loads(bytes(response.body))
        if not isinstance(data, dict):
            return
        extensions = data.setdefault("extensions", {})
        extensions["cache"] = {"hit": hit is not None, "tier": hit, "keys": keys}
        response.body = orjson.dumps(data)
        response.headers["content-length"] = str(len(response.body))

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        """The request's context; a Bearer token is checked here (one SQL query), and a bad one
        raises :class:`AuthenticationFailed` (answered with HTTP 401). A draft preview token is
        looked up here too (one SQL query; see :mod:`gqlnews.previews`)."""
        now = datetime.now(UTC)
        # A WebSocket signs in with its connection_init payload (on_ws_connect), not headers.
        socket = isinstance(request, WebSocket)
        token = None if socket else bearer_token(request.headers.get("authorization"))
        shown = None if socket else preview_token(request.headers)
        context = Context(
            settings=self.settings,
            strategies=self.strategies,
            publisher=self.publisher,
            request=request,
            response=response,
            now=now,
            preview=None if shown is None else await open_preview(shown, now),
            feed=self.feed,
        )
        if token is None:
            return context
        credential = await authenticate(token, now)
        return dataclasses.replace(
            context,
            viewer=Viewer(user_id=credential.user.pk, role=credential.user.role),
            user=credential.user,
            token_id=credential.token.pk,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """``connection_init``: sign the connection in with the token of its payload, if any
        (a bad one closes it with 4403)."""
        await sign_in(context)
        unset: UnsetType = UNSET
        return unset

    @property
    def graphql_ide_html(self) -> str:
        """gqlnews's GraphiQL page, whose files this server serves (Strawberry's own page loads
        them from a CDN, and stays on "Loading..." without internet access)."""
        return graphiql_html()

    async def render_graphql_ide(self, request: Request) -> Response:
        """The GraphiQL page (see :mod:`gqlnews.graphql.ide`)."""
        return HTMLResponse(self.graphql_ide_html)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """GraphiQL for a browser's plain GET, not for a GET that names a document; with
        GraphiQL off, that GET is answered as any GET without a query (a JSON 400)."""
        params = request.query_params
        return (
            self.graphql_ide is not None
            and "documentId" not in params
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
            document_id = await self._document_id(request_adapter)
            persisted = document_id is not None or bool(
                (request_data.extensions or {}).get("persistedQuery")
            )
            request_data = await resolve_document(
                request_data,
                document_id,
                store=self.documents,
                policy=self.settings.documents,
                signed_in=context.user is not None,
            )
            if subscription_over_http(request_data.query, request_data.operation_name):
                raise DocumentRequestError(
                    400,
                    "subscriptions run over a WebSocket on this path (graphql-transport-ws); "
                    "see docs/subscriptions.md",
                    ONLY_SUBSCRIPTIONS,
                )
            planned = persisted or self.settings.plans_for_text
            if planned and self.plans is not None:
                request.state.plans = self.plans  # the executor runs it as a plan
        try:
            result = await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            )
        finally:
            context.loaders.release()
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

    def decode_json(self, data: str | bytes) -> object:
        """orjson, strict: see :mod:`gqlnews.graphql.request_body`."""
        return decode_json(data)

    def parse_json(self, data: str | bytes) -> Any:
        return decode_json(data)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The one operation a GET or JSON POST asks for, checked strictly (HTTP 400 for
        anything else: not an object, wrong field types, U+0000, invalid JSON)."""
        content_type, _ = parse_content_type(request.content_type or "")
        if request.method == "GET":
            data: object = self.parse_query_params(request.query_params)
            check_nul = check_lists = True
        elif "application/json" in content_type:
            body = await request.get_body()
            if len(body) > self.max_request_bytes:
                raise self._too_large(len(body))
            data = self.parse_json(body)
            check_nul, check_lists = b"u0000" in body, len(body) > LONG_BODY
        else:
            return await super().parse_http_body(request)
        return request_data(data, "http", check_nul=check_nul, check_lists=check_lists)

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
