"""What a GraphQL HTTP request asks for, decoded strictly: a client's malformed request is an
HTTP 400 ``BAD_REQUEST`` that says what was wrong, never a crash further down.

JSON is decoded by orjson, which refuses what would break later: bytes that are not UTF-8,
lone surrogates (``"\\ud800"``; they cannot be encoded again nor stored), nesting deeper than
1024 levels and numbers beyond a double. The request must be one JSON object whose
``query`` and ``operationName`` are strings (or null) and whose ``variables`` and
``extensions`` are objects (or null); batches (a JSON array) are not supported. Text must not
hold U+0000, which PostgreSQL cannot store or compare. No list in ``variables`` may hold more
than :data:`MAX_LIST_ITEMS` items (GraphQL would coerce each one before any resolver could
refuse the list: 100,000 slugs took 150 ms of blocking work). A body larger than
:func:`max_request_bytes` is refused with HTTP 413 ``TOO_LARGE`` before it is decoded.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from cross_web import HTTPException
from strawberry.http import GraphQLRequestData, GraphQLRequestProtocol

TOO_LARGE = "TOO_LARGE"
MAX_LIST_ITEMS = 1000
"""Most items a list in a request's variables may hold (no argument of the API takes more
than 100)."""
LONG_BODY = 65_536
"""Bodies up to this size cannot hold a list too long to coerce quickly: not walked."""
NUL = "\x00"
_NUL_ESCAPE = re.compile(r"\\u(?:0000|\{0+\})")
"""U+0000 written as a GraphQL string escape in a document's text."""


def max_request_bytes(max_body_bytes: int) -> int:
    """The largest request body: room for an article body of ``max_body_bytes``
    (``GQLNEWS_MAX_BODY_BYTES``) escaped in JSON (up to twice as long), plus 1 MB for the
    rest of the request."""
    return 2 * max_body_bytes + 1_000_000


def decode_json(raw: str | bytes, what: str = "request body") -> Any:
    """``raw`` decoded, or HTTP 400 saying why it is not acceptable JSON."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise HTTPException(
            400,
            f"Unable to parse {what} as JSON ({exc}): send UTF-8 JSON without lone surrogates, "
            "nested at most 1024 levels, with numbers a double can hold",
        ) from None


def _has_nul(value: object) -> bool:
    """Whether a string inside ``value`` (decoded JSON, up to 1024 levels deep: walked
    without recursion) holds U+0000."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _longest_list(value: object) -> int:
    """The length of the longest list inside ``value`` (decoded JSON), walked without
    recursion."""
    longest, pending = 0, [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            longest = max(longest, len(item))
            pending.extend(item)
    return longest


def _check_field(data: dict[str, Any], name: str, kind: type, shape: str) -> Any:
    value = data.get(name)
    if value is not None and not isinstance(value, kind):
        raise HTTPException(
            400, f"The GraphQL operation's `{name}` must be {shape} or null, if provided."
        )
    return value


def request_data(
    data: object,
    protocol: GraphQLRequestProtocol,
    *,
    check_nul: bool = True,
    check_lists: bool = True,
) -> GraphQLRequestData:
    """The operation ``data`` (a decoded request) asks for; HTTP 400 when it is not one.

    ``check_nul`` may be False when the raw request cannot hold U+0000 (a JSON body without
    the escape ``\\u0000``); otherwise every string of it is looked at. ``check_lists`` may
    be False when the request is too short to hold a list longer than
    :data:`MAX_LIST_ITEMS`."""
    if isinstance(data, list):
        raise HTTPException(
            400, "Batching is not enabled: send one operation as a JSON object per request"
        )
    if not isinstance(data, dict):
        raise HTTPException(
            400,
            'The request body must be a JSON object ({"query": …, "variables": {…}}), '
            f"not {type(data).__name__ if data is not None else 'null'}",
        )
    query = _check_field(data, "query", str, "a string")
    operation_name = _check_field(data, "operationName", str, "a string")
    variables = _check_field(data, "variables", dict, "an object")
    extensions = _check_field(data, "extensions", dict, "an object")
    if (check_nul and _has_nul([query, operation_name, variables, extensions])) or (
        query is not None and _NUL_ESCAPE.search(query)
    ):
        raise HTTPException(400, "The request holds the character U+0000, which no text may")
    if check_lists and variables and _longest_list(variables) > MAX_LIST_ITEMS:
        raise HTTPException(
            400,
            f"A list in `variables` holds more than {MAX_LIST_ITEMS} items; "
            "no argument takes so many",
        )
    return GraphQLRequestData(
        query=query,
        variables=variables,
        operation_name=operation_name,
        extensions=extensions,
        protocol=protocol,
    )
