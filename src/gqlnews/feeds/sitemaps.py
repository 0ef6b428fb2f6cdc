"""Sitemaps (sitemaps.org 0.9) and the Google News sitemap, from the visible articles.

The index lists one file per month of publication (``articles-2026-01.xml``); a month with
more than ``GQLNEWS_SITEMAP_MAX_URLS`` articles (50,000 at most, the protocol's limit) is
split into ``articles-2026-01.xml``, ``articles-2026-01-2.xml``… in publication order. A file
also stays under the protocol's 50 MB: :func:`urls_per_file` lowers the number of URLs per file
when the longest article URL this site can make would take a full file past it (a file of
50,000 article URLs with ordinary templates weighs a few megabytes). Each query here is one
statement whatever the number of URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Function as PypikaFunction
from tortoise.expressions import Function
from tortoise.functions import Count, Max

from gqlnews.feeds.items import Catalog, aware
from gqlnews.feeds.xml import SITEMAP_NS, child, iso, ns, root_element, serialize
from gqlnews.slugs import MAX_LENGTH as SLUG_MAX_LENGTH
from gqlnews.urls import SiteUrls
from gqlnews.visibility import ANONYMOUS, visible_articles

NEWS_WINDOW = timedelta(hours=48)
"""How far back the Google News sitemap goes."""
NEWS_MAX_URLS = 1000
"""Most articles in the Google News sitemap (Google's limit)."""
MAX_FILE_BYTES = 50 * 1024 * 1024
"""The protocol's largest sitemap file, uncompressed (50 MiB)."""
_ENVELOPE_BYTES = 1024
"""Room for the XML declaration and the ``urlset`` element around the entries (generous)."""
_ENTRY_FRAME = "<url><loc></loc><lastmod>9999-12-31T23:59:59+00:00</lastmod></url>"
"""One entry without its URL: what each URL of a monthly file adds besides itself."""
_PART = re.compile(r"(\d{4})-(\d{2})(?:-([2-9]|[1-9]\d+))?")


class NoSuchSitemap(LookupError):
    """A monthly sitemap that does not exist (no visible article that month, or a part
    beyond the month's last)."""


@dataclass(frozen=True, slots=True)
class SitemapFile:
    """One file of the index: its name (``articles-2026-01-2``) and its last change."""

    name: str
    lastmod: datetime


@dataclass(frozen=True, slots=True)
class Month:
    """A part of a month's sitemap: the month's bounds and the part's number (from 1)."""

    start: datetime
    end: datetime
    part: int


def parse_part(text: str) -> Month:
    """The month and part a file name names (``2026-01``, ``2026-01-2``); NoSuchSitemap
    when it names none."""
    found = _PART.fullmatch(text)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise NoSuchSitemap(f"no sitemap is named articles-{text}.xml")
    year, month = int(found.group(1)), int(found.group(2))
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return Month(start, end, int(found.group(3) or 1))


def part_name(year: int, month: int, part: int) -> str:
    """The file name (without ``.xml``) of part ``part`` of a month."""
    suffix = f"-{part}" if part > 1 else ""
    return f"articles-{year:04d}-{month:02d}{suffix}"


class _YearMonthSql(PypikaFunction):
    """``YYYY-MM`` of a UTC timestamp column, in each database's words."""

    def __init__(self, term: Any, **kwargs: Any) -> None:
        super().__init__("YEAR_MONTH", term, **kwargs)

    def get_function_sql(self, ctx: SqlContext) -> str:
        column = self.get_arg_sql(self.args[0], ctx)
        if ctx.dialect.value == "postgresql":
            return f"to_char({column} AT TIME ZONE 'UTC','YYYY-MM')"
        return f"strftime('%Y-%m',{column})"


class YearMonth(Function):
    """The year and month (``YYYY-MM``, UTC) of a date-time field, for grouping."""

    database_func = _YearMonthSql


def longest_article_url(urls: SiteUrls, catalog: Catalog) -> int:
    """The most bytes an article URL of this site can take in a sitemap: under the longest
    section path, with the largest id and date, and a slug of the longest length the slug rule
    allows, counted at four bytes a character (UTF-8's most), after XML escaping."""
    moment = datetime(9999, 12, 31, tzinfo=UTC)
    longest = 0
    for path in [*catalog.paths.values(), ""]:
        url = urls.article(pk=2**63 - 1, slug="", section_path=path, published_at=moment)
        longest = max(longest, len(escape(url).encode("utf-8")))
    return longest + 4 * SLUG_MAX_LENGTH


def urls_per_file(urls: SiteUrls, catalog: Catalog, max_urls: int) -> int:
    """How many article URLs one monthly file holds: ``max_urls`` (the setting), or fewer
    when that many of the longest URL this site can make (:func:`longest_article_url`) would
    take the file past :data:`MAX_FILE_BYTES`."""
    entry = len(_ENTRY_FRAME) + longest_article_url(urls, catalog)
    return max(1, min(max_urls, (MAX_FILE_BYTES - _ENVELOPE_BYTES) // entry))


async def index_files(now: datetime, max_urls: int) -> tuple[list[SitemapFile], list[Any]]:
    """The monthly files the index lists, oldest first, and the latest moments an article
    became visible (for ``Last-Modified``). One statement: the visible articles grouped by
    month (count, latest update, latest publication and embargo end), not one row each.

    The parts of a split month share the month's ``lastmod`` (its latest update): never
    earlier than the part's own."""
    rows = await (
        visible_articles(ANONYMOUS, now)
        .annotate(
            month=YearMonth("published_at"),
            count=Count("id"),
            updated=Max("updated_at"),
            published=Max("published_at"),
            lifted=Max("embargo_until"),
        )
        .group_by("month")
        .order_by("month")
        .values_list("month", "count", "updated", "published", "lifted")
    )
    files: list[SitemapFile] = []
    moments: list[Any] = []
    for month, count, updated, published, lifted in rows:
        year, number = (int(part) for part in str(month).split("-"))
        lastmod = aware(updated)
        for part in range(1, -(-int(count) // max_urls) + 1):
            files.append(SitemapFile(part_name(year, number, part), lastmod))
        moments.extend((published, lifted))
    return files, moments


def index_document(urls: SiteUrls, base: str, files: list[SitemapFile]) -> bytes:
    """The sitemap index: the sections' file, then the monthly files. ``base`` is the origin
    the sitemaps are served from."""
    root = root_element("sitemapindex", SITEMAP_NS)
    entry = child(root, "sitemap")
    child(entry, "loc", f"{base}/sitemaps/sections.xml")
    for found in files:
        entry = child(root, "sitemap")
        child(entry, "loc", f"{base}/sitemaps/{found.name}.xml")
        child(entry, "lastmod", iso(found.lastmod))
    return serialize(root)


async def month_rows(month: Month, now: datetime, max_urls: int) -> list[Any]:
    """The visible articles of one part of a month, in publication order (one statement);
    NoSuchSitemap when there are none."""
    rows = await (
        visible_articles(ANONYMOUS, now)
        .filter(published_at__gte=month.start, published_at__lt=month.end)
        .order_by("published_at", "id")
        .offset((month.part - 1) * max_urls)
        .limit(max_urls)
        .values_list(
            "id", "slug", "primary_section_id", "published_at", "updated_at", "embargo_until"
        )
    )
    if not rows:
        raise NoSuchSitemap("no sitemap for that month")
    return list(rows)


def _article_url(urls: SiteUrls, catalog: Catalog, row: Any) -> str:
    pk, slug, section_id, published = row[0], row[1], row[2], row[3]
    return catalog.article_url(
        urls, pk=pk, slug=slug, section_id=section_id, published_at=published
    )


def urlset_document(urls: SiteUrls, catalog: Catalog, rows: list[Any]) -> bytes:
    """A monthly sitemap: each article's URL with ``lastmod`` its last update."""
    root = root_element("urlset", SITEMAP_NS)
    for row in rows:
        entry = child(root, "url")
        child(entry, "loc", _article_url(urls, catalog, row))
        child(entry, "lastmod", iso(aware(row[4])))
    return serialize(root)


def sections_document(urls: SiteUrls, catalog: Catalog) -> bytes:
    """The sections' sitemap: every section front."""
    root = root_element("urlset", SITEMAP_NS)
    ordered = sorted(catalog.sections.values(), key=lambda s: (catalog.paths[s.pk], s.pk))
    for section in ordered:
        entry = child(root, "url")
        loc = urls.section(pk=section.pk, slug=section.slug, path=catalog.paths[section.pk])
        child(entry, "loc", loc)
    return serialize(root)


async def news_rows(now: datetime) -> list[Any]:
    """The visible articles published in the last 48 hours, newest first, at most 1,000 (one
    statement)."""
    rows = await (
        visible_articles(ANONYMOUS, now)
        .filter(published_at__gte=now - NEWS_WINDOW)
        .order_by("-published_at", "-id")
        .limit(NEWS_MAX_URLS)
        .values_list(
            "id",
            "slug",
            "primary_section_id",
            "published_at",
            "updated_at",
            "embargo_until",
            "title",
            "language",
        )
    )
    return list(rows)


def news_document(urls: SiteUrls, catalog: Catalog, rows: list[Any], publication: str) -> bytes:
    """The Google News sitemap: each article with ``news:publication`` (``publication``, the
    article's language), ``news:publication_date`` and ``news:title``."""
    root = root_element("urlset", SITEMAP_NS)
    for row in rows:
        entry = child(root, "url")
        child(entry, "loc", _article_url(urls, catalog, row))
        child(entry, "lastmod", iso(aware(row[4])))
        news = child(entry, ns("news", "news"))
        source = child(news, ns("news", "publication"))
        child(source, ns("news", "name"), publication)
        child(source, ns("news", "language"), row[7])
        child(news, ns("news", "publication_date"), iso(aware(row[3])))
        child(news, ns("news", "title"), row[6])
    return serialize(root)
