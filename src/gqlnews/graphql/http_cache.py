"""HTTP caching headers of ``/graphql`` answers: the one place that decides them.

An anonymous ``GET`` whose query ran without errors is public (browsers and CDNs may keep it for
``GQLNEWS_HTTP_MAX_AGE`` / ``GQLNEWS_HTTP_S_MAXAGE`` seconds), carries a strong ``ETag`` of its
exact bytes and is answered ``304 Not Modified`` when ``If-None-Match`` matches it. Everything
else — POST, any ``Authorization`` or ``Gqlnews-Preview-Token`` header, errors, GraphiQL,
4xx — is ``private, no-store``.
See docs/http-caching.md.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from gqlnews.previews import PREVIEW_HEADER
from gqlnews.settings import Settings

PRIVATE_HEADERS = "Authorization, Gqlnews-Preview-Token"
"""The request headers that make an answer someone's own (``Vary`` names them)."""

NO_STORE = "private, no-store"
"""Cache-Control of every answer that is not an anonymous, error-free GET query."""

_ENTITY_TAG = re.compile(r'[\s,]*(?:W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')

# Answers a ``304`` repeats from the ``200`` it stands for (RFC 9110, section 15.4.5).
_KEPT_BY_304 = (
    "cache-control",
    "etag",
    "vary",
    "content-location",
    "expires",
    "date",
    "surrogate-key",
    "cache-tag",
)


@dataclass(frozen=True, slots=True)
class CachePolicy:
    """The freshness lifetimes of a public answer, in seconds."""

    max_age: int
    s_maxage: int

    @classmethod
    def from_settings(cls, settings: Settings) -> CachePolicy:
        return cls(max_age=settings.http_max_age, s_maxage=settings.http_s_maxage)

    @property
    def public(self) -> str:
        """Cache-Control of a cacheable answer."""
        return f"public, max-age={self.max_age}, s-maxage={self.s_maxage}"


def entity_tag(body: bytes) -> str:
    """A strong, quoted ETag of the exact response bytes (128 bits of their SHA-256)."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def none_match(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match: header`` fails for ``etag`` (so the answer is a 304).

    RFC 9110, section 13.1.2: ``*`` matches any current answer; otherwise the header is a list
    of entity tags compared weakly (``W/"x"`` matches ``"x"``). A header that is not a valid
    list matches nothing.
    """
    if header is None:
        return False
    header = header.strip()
    if header == "*":
        return True
    opaque = etag.removeprefix("W/")
    position = 0
    while position < len(header):
        found = _ENTITY_TAG.match(header, position)
        if found is None or found.end() == position:
            return False
        if f'"{found.group(1)}"' == opaque:
            return True
        position = found.end()
    return False


def _vary(request: Request, graphiql: bool, ran_query: bool) -> str | None:
    """Vary of a GET answer: always Authorization and Gqlnews-Preview-Token (a shared cache
    must not give an anonymous answer to a signed-in account or to a draft preview, or the
    reverse); Accept too when the view chose between
    GraphiQL's HTML and JSON by it (a GET without query, documentId or extensions). Queries'
    JSON does not depend on Accept, and the server does not compress (no Accept-Encoding)."""
    if request.method != "GET":
        return None
    if ran_query:  # it had a document: the answer is JSON whatever Accept says
        return PRIVATE_HEADERS
    params = request.query_params
    by_accept = graphiql and not any(
        name in params for name in ("query", "documentId", "extensions")
    )
    return f"Accept, {PRIVATE_HEADERS}" if by_accept else PRIVATE_HEADERS


MAX_SURROGATE_BYTES = 8000
"""Longest ``Surrogate-Key`` / ``Cache-Tag`` value sent (Fastly and Cloudflare take 16 KB)."""


@lru_cache(maxsize=4096)
def surrogate_headers(keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``Surrogate-Key`` (space-separated, Fastly and Varnish) and ``Cache-Tag``
    (comma-separated, Cloudflare) for an answer's surrogate keys, as (name, value) pairs
    (remembered: a cache hit reuses them).

    Lists and look-ups come first and entities after, cut at :data:`MAX_SURROGATE_BYTES`:
    an article reached through a list that is cut off still goes with that list's key, which
    every change to the article purges too.
    """
    ordered = sorted(
        (header_safe(key) for key in keys),
        key=lambda key: (key.count(":") == 1 and key[-1].isdigit(), key),
    )
    kept: list[str] = []
    length = 0
    for key in ordered:
        length += len(key) + 1
        if length > MAX_SURROGATE_BYTES:
            break
        kept.append(key)
    return (("surrogate-key", " ".join(kept)), ("cache-tag", ",".join(kept)))


def header_safe(key: str) -> str:
    """``key`` as it can travel in a header: the core's keys already are (their slugs are
    percent-encoded); a plugin's key with other characters is percent-encoded here."""
    if key.isascii() and key.isprintable() and " " not in key and "," not in key:
        return key
    return quote(key, safe=":*")


def is_whole_answer(response: Response) -> bool:
    """A 200 answer with its body in hand and no cookie: what a cache may keep (the HTTP
    headers here, the response cache in :mod:`gqlnews.graphql.view`)."""
    return (
        response.status_code == 200
        and "set-cookie" not in response.headers
        and not isinstance(response, StreamingResponse)
    )


def is_cacheable(request: Request, response: Response, clean_query: bool) -> bool:
    """An anonymous GET whose single query ran without errors and was answered 200 with a body
    (``clean_query`` says the view executed one query and it had no ``errors``); never one
    that carried a draft preview token."""
    return (
        clean_query
        and request.method == "GET"
        and "authorization" not in request.headers
        and PREVIEW_HEADER not in request.headers
        and is_whole_answer(response)
    )


def apply(
    request: Request,
    response: Response,
    *,
    clean_query: bool,
    policy: CachePolicy,
    graphiql: bool,
    etag: str | None = None,
) -> Response:
    """Set Cache-Control, Vary and ETag on ``response`` (whatever Strawberry set before), and
    turn it into a ``304 Not Modified`` when the request's ``If-None-Match`` matches.
    ``etag`` is the body's, when already known (a response-cache hit)."""
    vary = _vary(request, graphiql, clean_query)
    if vary is not None:
        existing = response.headers.get("vary")
        response.headers["vary"] = f"{existing}, {vary}" if existing else vary
    if not is_cacheable(request, response, clean_query):
        response.headers["cache-control"] = NO_STORE
        if "etag" in response.headers:
            del response.headers["etag"]
        return response
    response.headers["cache-control"] = policy.public
    etag = etag or entity_tag(bytes(response.body))
    response.headers["etag"] = etag
    if not none_match(request.headers.get("if-none-match"), etag):
        return response
    kept = {name: value for name, value in response.headers.items() if name in _KEPT_BY_304}
    return Response(status_code=304, headers=kept)
