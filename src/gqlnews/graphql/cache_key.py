"""What identifies an anonymous request's answer in the response cache, read straight from
the HTTP request (before Strawberry parses it) so that a hit costs no GraphQL work at all.

The key is the SHA-256 of the document (the same whether the client sent its text, a
``documentId`` or an Apollo ``persistedQuery`` hash), the operation name and the variables
in canonical JSON (keys sorted). Nothing else changes an anonymous answer: no resolver reads
a cookie or the language of the request, and the one header a resolver reads, the draft
preview token, keeps its request out (such an answer is never shared, see
:mod:`gqlnews.previews`). A request that is not anonymous, carries a preview token, is a
batch, is malformed, or must be refused by the documents policy gets no key: it takes the
ordinary path, which answers it (and its errors) as usual.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request

from gqlnews.documents import SHA256_PREFIX, document_hash, is_sha256_hex
from gqlnews.previews import PREVIEW_HEADER


@dataclass(frozen=True, slots=True)
class RequestKey:
    cache_key: str
    """What the answer is stored under."""
    digest: str
    """The document's SHA-256 (hex)."""
    named: bool
    """The request named its document by hash (``documentId`` or APQ without text)."""


def _json(raw: str | None) -> Any:
    if raw is None or raw == "":
        return None
    return orjson.loads(raw)


def _get_fields(query_string: bytes) -> dict[str, Any]:
    params = dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))
    return {
        "query": params.get("query"),
        "operationName": params.get("operationName"),
        "variables": _json(params.get("variables")),
        "extensions": _json(params.get("extensions")),
        "documentId": params.get("documentId"),
    }


def _digest(fields: dict[str, Any]) -> tuple[str, bool] | None:
    """The document's hash and whether it was named by hash; None when the request does not
    identify one document clearly (the ordinary path then answers it)."""
    query, document_id = fields.get("query"), fields.get("documentId")
    extensions = fields.get("extensions")
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if extensions is not None and not isinstance(extensions, dict):
        return None
    if document_id is not None:
        if query is not None or persisted is not None or not isinstance(document_id, str):
            return None
        digest = document_id.removeprefix(SHA256_PREFIX)
        ok = document_id.startswith(SHA256_PREFIX) and is_sha256_hex(digest)
        return (digest, True) if ok else None
    if persisted is not None:
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            return None
        sent = persisted.get("sha256Hash")
        if not isinstance(sent, str) or not is_sha256_hex(sent.lower()):
            return None
        if query is not None and (not isinstance(query, str) or document_hash(query) != sent):
            return None
        return sent.lower(), query is None
    if isinstance(query, str):
        return document_hash(query), False
    return None


MEMO_SIZE = 4096
"""Request keys remembered by the raw request (query string or body) they were read from."""
MEMO_MAX_BYTES = 16_384
"""Longer requests are read each time (they would crowd the memo out)."""


async def request_key(request: Request, policy: str) -> RequestKey | None:
    """The key of ``request``'s answer, or None when it must take the ordinary path.

    The key is a pure function of the raw query string (GET) or body (POST) and the policy,
    so it is remembered by them: a hit then decodes nothing."""
    if "authorization" in request.headers or PREVIEW_HEADER in request.headers:
        return None
    if request.method == "GET":
        raw, is_get = bytes(request.scope.get("query_string", b"")), True
    elif request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
        raw, is_get = await request.body(), False
    else:
        return None
    if len(raw) > MEMO_MAX_BYTES:
        return _key_of(raw, is_get, policy)
    return _remembered_key(raw, is_get, policy)


@lru_cache(maxsize=MEMO_SIZE)
def _remembered_key(raw: bytes, is_get: bool, policy: str) -> RequestKey | None:
    return _key_of(raw, is_get, policy)


def _key_of(raw: bytes, is_get: bool, policy: str) -> RequestKey | None:
    try:
        fields = _get_fields(raw) if is_get else orjson.loads(raw)
    except (orjson.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(fields, dict):
        return None
    found = _digest(fields)
    if found is None:
        return None
    digest, named = found
    if policy != "any" and not named:
        return None  # registered documents only: the ordinary path refuses or checks it
    name = fields.get("operationName") or ""
    variables = fields.get("variables")
    if not isinstance(name, str) or (variables is not None and not isinstance(variables, dict)):
        return None
    try:
        canonical = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None  # nested deeper than orjson writes (254 levels): the ordinary path answers
    key = b"\0".join((digest.encode(), name.encode(), canonical))
    return RequestKey(hashlib.sha256(key).hexdigest(), digest, named)
