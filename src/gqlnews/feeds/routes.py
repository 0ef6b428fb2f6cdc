"""The HTTP side of the feeds and sitemaps: routes, ``?limit``, 404s, conditional GETs.

Every answer is for an anonymous reader (a Bearer token changes nothing here), so it may be
cached by anyone: ``Cache-Control: public, max-age=GQLNEWS_FEED_MAX_AGE``, a strong ``ETag``
of the bytes and a ``Last-Modified``; a conditional GET that matches is a ``304``
(``If-None-Match`` first; ``If-Modified-Since`` only without it, as RFC 9110 says).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from gqlnews.feeds import formats, sitemaps
from gqlnews.feeds.items import (
    UnknownScope,
    feed_items,
    last_change,
    load_catalog,
    load_scope,
    newest_articles,
)
from gqlnews.graphql.http_cache import entity_tag, none_match
from gqlnews.graphql.view import error_response
from gqlnews.settings import Settings
from gqlnews.urls import SiteUrls, site_urls

DEFAULT_LIMIT = 20
"""Items in a feed without ``?limit``."""
MAX_LIMIT = 100
"""Most items a feed gives (``?limit`` above is a 400)."""
FORMATS = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}
"""Feed file names and their formats."""
KINDS = {"sections": "section", "authors": "author", "tags": "tag"}
"""The path segment of each kind of scoped feed."""
XML = "application/xml; charset=utf-8"
_RENDER = {"rss": formats.rss, "atom": formats.atom, "json": formats.json_feed}

Handler = Callable[[Request], Awaitable[Response]]


class BadFeedRequest(Exception):
    """A request a client can fix: its status and message."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _urls(request: Request) -> tuple[SiteUrls, str]:
    """The URL builder (on the request's origin when no site URL is set) and the origin the
    feeds are served from."""
    urls = site_urls(_settings(request))
    base = str(request.base_url).rstrip("/")
    return (urls if urls.site else urls.with_site(base)), base


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadFeedRequest(
            400, f"limit must be a whole number between 1 and {MAX_LIMIT}, got {raw!r}",
            "BAD_USER_INPUT",
        )  # fmt: skip
    return int(raw)


def conditional(
    request: Request, body: bytes, media_type: str, last_modified: datetime
) -> Response:
    """``body`` with its validators and caching headers, or a 304 when the client's copy is
    current."""
    etag = entity_tag(body)
    max_age = _settings(request).feed_max_age
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(last_modified.astimezone(UTC), usegmt=True),
        "Cache-Control": f"public, max-age={max_age}" if max_age else "public, no-cache",
    }
    match = request.headers.get("if-none-match")
    if match is not None:
        if none_match(match, etag):
            return Response(status_code=304, headers=headers)
    elif _not_modified_since(request.headers.get("if-modified-since"), last_modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _not_modified_since(header: str | None, last_modified: datetime) -> bool:
    if header is None:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False  # an unreadable date is ignored (RFC 9110, section 13.1.3)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since


def _answering(handler: Handler) -> Handler:
    """``handler`` with its client errors answered as JSON errors (a message and a code)."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except BadFeedRequest as exc:
            return error_response(exc.status, exc.message, exc.code)
        except (UnknownScope, sitemaps.NoSuchSitemap) as exc:
            return error_response(404, str(exc.args[0]), "NOT_FOUND")

    return endpoint


async def feed(request: Request) -> Response:
    """A feed: ``/feeds/<file>`` (the site) or ``/feeds/<kind>/<slug>/<file>``."""
    name = request.path_params["file"]
    kind = KINDS.get(request.path_params.get("kind", ""), "site")
    if name not in FORMATS or ("kind" in request.path_params and kind == "site"):
        raise BadFeedRequest(
            404, "no such feed: see docs/feeds.md for the feed routes", "NOT_FOUND"
        )
    limit = _limit(request)
    settings = _settings(request)
    urls, _ = _urls(request)
    now = datetime.now(UTC)
    catalog = await load_catalog()
    scope = await load_scope(kind, request.path_params.get("slug", ""), urls, catalog)
    articles = await newest_articles(scope, now, limit)
    items = await feed_items(articles, urls, catalog, now, settings.feed_full_content)
    moments = [m for a in articles for m in (a.published_at, a.embargo_until)]
    updated = await last_change(now, moments)
    meta = formats.FeedMeta(
        title=f"{settings.site_name} — {scope.name}" if scope.name else settings.site_name,
        description=(
            f"The latest articles of {settings.site_name}"
            + (f": {scope.name}" if scope.name else "")
        ),
        home_url=scope.url,
        self_url=str(request.url),
        language=settings.site_language,
        updated=updated,
        publisher=settings.site_name,
    )
    fmt = FORMATS[name]
    return conditional(request, _RENDER[fmt](meta, items), formats.MEDIA_TYPES[fmt], updated)


async def sitemap_index(request: Request) -> Response:
    """``/sitemap.xml``: the sections' sitemap and one per month (split past the limit)."""
    settings = _settings(request)
    urls, base = _urls(request)
    now = datetime.now(UTC)
    catalog = await load_catalog()
    per_file = sitemaps.urls_per_file(urls, catalog, settings.sitemap_max_urls)
    files, moments = await sitemaps.index_files(now, per_file)
    updated = await last_change(now, moments)
    return conditional(request, sitemaps.index_document(urls, base, files), XML, updated)


async def sitemap_month(request: Request) -> Response:
    """``/sitemaps/articles-YYYY-MM[-N].xml``: the visible articles of a month (its N-th
    part)."""
    settings = _settings(request)
    month = sitemaps.parse_part(request.path_params["part"])
    urls, _ = _urls(request)
    now = datetime.now(UTC)
    catalog = await load_catalog()
    per_file = sitemaps.urls_per_file(urls, catalog, settings.sitemap_max_urls)
    rows = await sitemaps.month_rows(month, now, per_file)
    updated = await last_change(now, [m for row in rows for m in (row[3], row[5])])
    return conditional(request, sitemaps.urlset_document(urls, catalog, rows), XML, updated)


async def sitemap_sections(request: Request) -> Response:
    """``/sitemaps/sections.xml``: every section front."""
    urls, _ = _urls(request)
    catalog = await load_catalog()
    updated = await last_change(datetime.now(UTC), [])
    return conditional(request, sitemaps.sections_document(urls, catalog), XML, updated)


async def sitemap_news(request: Request) -> Response:
    """``/sitemaps/news.xml``: the Google News sitemap (the last 48 hours)."""
    settings = _settings(request)
    urls, _ = _urls(request)
    now = datetime.now(UTC)
    rows = await sitemaps.news_rows(now)
    catalog = await load_catalog()
    updated = await last_change(now, [m for row in rows for m in (row[3], row[5])])
    body = sitemaps.news_document(urls, catalog, rows, settings.site_name)
    return conditional(request, body, XML, updated)


PREFIXES = ("/feeds/", "/sitemaps/")
"""Path prefixes of the routes below (the rate limiter counts them as reads)."""
PATHS = frozenset({"/sitemap.xml"})
"""Other paths of the routes below."""


def feed_routes() -> list[BaseRoute]:
    """The routes of every feed and sitemap (see docs/feeds.md)."""
    return [
        Route("/feeds/{file}", _answering(feed), methods=["GET"]),
        Route("/feeds/{kind}/{slug}/{file}", _answering(feed), methods=["GET"]),
        Route("/sitemap.xml", _answering(sitemap_index), methods=["GET"]),
        Route("/sitemaps/sections.xml", _answering(sitemap_sections), methods=["GET"]),
        Route("/sitemaps/news.xml", _answering(sitemap_news), methods=["GET"]),
        Route("/sitemaps/articles-{part}.xml", _answering(sitemap_month), methods=["GET"]),
    ]
