"""Requests that name their document instead of sending it, and the ``GQLNEWS_DOCUMENTS``
policy for those that send it.

- GraphQL-over-HTTP persisted documents: ``documentId: "sha256:<hex>"`` (POST body, or GET
  ``?documentId=``) runs a document of the registry; an unknown one is HTTP 404
  ``PERSISTED_DOCUMENT_NOT_FOUND``.
- Apollo automatic persisted queries: ``extensions.persistedQuery {version: 1, sha256Hash}``.
  Without ``query``, an unknown hash is HTTP 200 ``PersistedQueryNotFound`` (the client then
  sends the text with the hash); with ``query``, the hash must be its SHA-256
  (``PERSISTED_QUERY_HASH_MISMATCH``), and the policy ``any`` remembers it in this process.
- Policy ``registered``: an anonymous request must name a registered document
  (``PERSISTED_DOCUMENT_REQUIRED``); a signed-in account may send any text.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from strawberry.http import GraphQLRequestData

from gqlnews.documents import (
    SHA256_PREFIX,
    DocumentIdError,
    DocumentStore,
    document_hash,
    is_sha256_hex,
    parse_document_id,
)

BAD_REQUEST = "BAD_REQUEST"
PERSISTED_DOCUMENT_NOT_FOUND = "PERSISTED_DOCUMENT_NOT_FOUND"
PERSISTED_DOCUMENT_REQUIRED = "PERSISTED_DOCUMENT_REQUIRED"
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"


class DocumentRequestError(Exception):
    """A request refused before execution: answered with ``status`` and one error of ``code``."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def _bad(message: str) -> DocumentRequestError:
    return DocumentRequestError(400, message, BAD_REQUEST)


def apq_hash(extensions: dict[str, Any] | None) -> str | None:
    """The SHA-256 hex of an Apollo ``persistedQuery`` extension (None without one)."""
    if not extensions or extensions.get("persistedQuery") is None:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict):
        raise _bad('extensions.persistedQuery must be an object {"version": 1, "sha256Hash": …}')
    version = persisted.get("version")
    if type(version) is not int or version != 1:
        raise _bad(f"extensions.persistedQuery.version must be 1, got {version!r}")
    digest = persisted.get("sha256Hash")
    if isinstance(digest, str):
        digest = digest.lower()
    if not is_sha256_hex(digest):
        raise _bad("extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits")
    return str(digest)


def _with_text(data: GraphQLRequestData, text: str) -> GraphQLRequestData:
    # GraphQL-over-HTTP: an empty operationName is the same as none.
    return dataclasses.replace(data, query=text, operation_name=data.operation_name or None)


def _required() -> DocumentRequestError:
    return DocumentRequestError(
        400,
        "this server runs registered documents only: send documentId (sha256:<hex>) or "
        "extensions.persistedQuery instead of query, or sign in",
        PERSISTED_DOCUMENT_REQUIRED,
    )


async def resolve_document(
    data: GraphQLRequestData,
    document_id: object,
    *,
    store: DocumentStore,
    policy: str,
    signed_in: bool,
) -> GraphQLRequestData:
    """``data`` with the text of the document it names (or as it was), once the policy
    allows it; raise :class:`DocumentRequestError` otherwise. ``document_id`` is the
    request's ``documentId`` (None when absent)."""
    digest = apq_hash(data.extensions)
    if document_id is not None:
        if data.query is not None or digest is not None:
            raise _bad("send documentId alone, without query or extensions.persistedQuery")
        try:
            registered = parse_document_id(document_id)
        except DocumentIdError as exc:
            raise _bad(str(exc)) from None
        text = await store.trusted(registered)
        if text is None:
            raise DocumentRequestError(
                404,
                f"no registered document {SHA256_PREFIX}{registered}: "
                "add it with `gqlnews documents add`",
                PERSISTED_DOCUMENT_NOT_FOUND,
            )
        return _with_text(data, text)
    if digest is not None:
        return await _automatic(data, digest, store, policy, signed_in)
    if data.query is not None and policy != "any" and not signed_in:
        raise _required()
    return data


async def _automatic(
    data: GraphQLRequestData, digest: str, store: DocumentStore, policy: str, signed_in: bool
) -> GraphQLRequestData:
    """Apollo APQ: run the hash's document, or remember the text sent with it."""
    open_policy = policy == "any"
    if data.query is None:
        text = store.automatic.get(digest) if open_policy else None
        if text is None:
            text = await store.trusted(digest)
        if text is None:
            raise DocumentRequestError(200, "PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND)
        return _with_text(data, text)
    if document_hash(data.query) != digest:
        raise DocumentRequestError(
            400,
            "extensions.persistedQuery.sha256Hash is not the SHA-256 of query "
            "(the hex digest of its UTF-8 bytes)",
            PERSISTED_QUERY_HASH_MISMATCH,
        )
    if open_policy:
        store.automatic.put(digest, data.query)
        return data
    if signed_in or await store.trusted(digest) is not None:
        return data
    raise _required()
