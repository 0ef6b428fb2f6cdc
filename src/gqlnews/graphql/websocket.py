"""The WebSocket side of ``/graphql``: who a connection is, how many there may be, which
operations they may run, and closing them all when the server stops.

Close codes (see docs/subscriptions.md): 4403 a bad token in ``connection_init`` (Strawberry's
code for a refused connection), 1013 the process has ``subscriptions_max_connections`` open,
1008 a slow consumer (and a handshake from a page of an origin not allowed: HTTP 403), 1001
the server is stopping; the protocol's own (4400, 4401, 4408, 4409, 4429) are Strawberry's.
"""

import asyncio
import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Protocol, cast

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from gqlnews.accounts.tokens import AuthenticationFailed, authenticate, bearer_token
from gqlnews.documents import DocumentStore
from gqlnews.graphql.context import Context
from gqlnews.graphql.loaders import Loaders
from gqlnews.graphql.persisted import DocumentRequestError, resolve_document
from gqlnews.visibility import Viewer

log = logging.getLogger("gqlnews.live")

BAD_REQUEST = "BAD_REQUEST"
GOING_AWAY = 1001
TRY_AGAIN_LATER = 1013
ONLY_SUBSCRIPTIONS = "OPERATION_NOT_SUPPORTED"


class TransportHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's ``graphql-transport-ws`` handler, with gqlnews's rules for a ``subscribe``
    message: its document may be named (``documentId``, or Apollo's
    ``extensions.persistedQuery``) and ``GQLNEWS_DOCUMENTS`` applies as over HTTP; only
    subscriptions run (queries and mutations go over HTTP, where the rate limits, deadlines and
    response cache apply); a malformed message closes the connection (4400)."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        ident, payload = message.get("id"), message.get("payload")
        if not isinstance(ident, str) or not isinstance(payload, dict):
            await self.handle_invalid_message("a subscribe message has an id and a payload")
            return
        if not self.connection_acknowledged:
            await super().handle_subscribe(message)  # closes with 4401
            return
        variables, name = payload.get("variables"), payload.get("operationName")
        if not isinstance(variables, dict | None) or not isinstance(name, str | None):
            await self._refuse(ident, "variables must be an object, operationName a string")
            return
        documents = cast(_Documents, self.view)
        try:
            data = await resolve_document(
                GraphQLRequestData(
                    query=payload.get("query"),
                    variables=variables,
                    operation_name=name,
                    extensions=payload.get("extensions"),
                ),
                payload.get("documentId"),
                store=documents.documents,
                policy=self.context.settings.documents,
                signed_in=self.context.user is not None,
            )
        except DocumentRequestError as exc:
            await self._refuse(ident, exc.message, exc.code)
            return
        if not isinstance(data.query, str):
            await self._refuse(ident, "send the document's text (query) or its documentId")
            return
        kind = operation_of(data.query, data.operation_name)
        if kind is not None and kind is not OperationType.SUBSCRIPTION:
            await self._refuse(
                ident,
                f"only subscriptions run over the WebSocket; send this {kind.value} over HTTP",
                ONLY_SUBSCRIPTIONS,
            )
            return
        text = {"query": data.query, "variables": variables, "operationName": data.operation_name}
        await super().handle_subscribe({**message, "payload": text})  # type: ignore[typeddict-item]

    async def _refuse(self, ident: str, text: str, code: str = BAD_REQUEST) -> None:
        error = GraphQLError(text, extensions={"code": code})
        await self.send_message({"id": ident, "type": "error", "payload": [error.formatted]})


class _Documents(Protocol):
    documents: DocumentStore
    """The view's persisted documents (see :mod:`gqlnews.documents`)."""


def operation_of(query: str, operation_name: str | None) -> OperationType | None:
    """The kind of the operation ``query`` runs (None when it does not parse or names no
    single operation: execution then answers why)."""
    try:
        operation = get_operation_ast(parse(query), operation_name)
    except GraphQLError:
        return None
    return None if operation is None else operation.operation


def subscription_over_http(query: str | None, operation_name: str | None) -> bool:
    """Whether an HTTP request asks for a subscription (refused: they run over a
    WebSocket). Only a document that mentions ``subscription`` is parsed for it."""
    return (
        query is not None
        and "subscription" in query
        and operation_of(query, operation_name) is OperationType.SUBSCRIPTION
    )


async def sign_in(context: Context) -> None:
    """Make ``context``'s viewer the account of the token in ``connection_init``'s payload
    (``{"Authorization": "Bearer …"}``, or ``{"token": "…"}``); none: anonymous. A bad token
    refuses the connection (4403)."""
    params = context.connection_params or {}
    raw = params.get("Authorization", params.get("authorization"))
    given = params.get("token")
    if raw is None and given is None:
        return
    try:
        if isinstance(given, str):
            token: str | None = given
        elif isinstance(raw, str):
            token = bearer_token(raw)
        else:
            raise AuthenticationFailed("the token must be a string")
        if token is None:
            raise AuthenticationFailed("the Authorization value is not a Bearer token")
        credential = await authenticate(token, context.now)
    except AuthenticationFailed as exc:
        raise ConnectionRejectionError({"message": str(exc)}) from exc
    context.viewer = Viewer(user_id=credential.user.pk, role=credential.user.role)
    context.user = credential.user
    context.token_id = credential.token.pk
    context.loaders = Loaders(context.viewer, context.now)


@dataclasses.dataclass
class Sockets:
    """The process's open WebSocket connections, at most ``limit``."""

    limit: int
    open: set[WebSocket] = dataclasses.field(default_factory=set)

    @contextmanager
    def holding(self, socket: WebSocket) -> Iterator[bool]:
        """Count ``socket`` while the block runs; yields False when the limit is reached
        (the caller refuses it)."""
        if len(self.open) >= self.limit:
            yield False
            return
        self.open.add(socket)
        try:
            yield True
        finally:
            self.open.discard(socket)

    async def close_all(self, code: int = GOING_AWAY, reason: str = "server stopping") -> None:
        """Close every open connection with ``code`` (the server is stopping)."""
        sockets = list(self.open)
        if sockets:
            log.info("closing %d WebSocket connection(s) with %d", len(sockets), code)
        await asyncio.gather(*(_close(socket, code, reason) for socket in sockets))


async def refuse(socket: WebSocket, limit: int) -> None:
    """Accept, then close with 1013 at once: the client sees why (a refused handshake only
    says 403)."""
    protocols = socket.scope.get("subprotocols") or []
    chosen = GRAPHQL_TRANSPORT_WS_PROTOCOL if GRAPHQL_TRANSPORT_WS_PROTOCOL in protocols else None
    await socket.accept(subprotocol=chosen)
    await socket.close(
        TRY_AGAIN_LATER, f"this server process has {limit} WebSocket connections open"
    )


async def _close(socket: WebSocket, code: int, reason: str) -> None:
    with suppress(Exception):  # already closing, or the client went away
        await socket.close(code, reason)
