"""The sitemap index, the monthly and sections sitemaps, and the Google News sitemap: the
visible articles exactly (checked against the test's own visibility oracle), split past the
URL limit, conditional GETs, constant SQL statements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import pytest_asyncio
from lxml import etree

from gqlnews.demo import DemoSummary
from gqlnews.feeds.items import Catalog
from gqlnews.feeds.sitemaps import MAX_FILE_BYTES, urls_per_file, urlset_document
from gqlnews.models import Article
from gqlnews.slugs import MAX_LENGTH as SLUG_MAX_LENGTH
from gqlnews.testing import count_queries
from gqlnews.urls import SiteUrls
from tests.factories import articles_removed_after, make_article
from tests.feed_support import (
    ARABIC_TITLE,
    SITE,
    FeedWorld,
    assert_hidden_absent,
    build_world,
    feed_app,
    feed_client,
    visible_now,
)

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest_asyncio.fixture(scope="module")
async def world(demo: DemoSummary) -> AsyncIterator[FeedWorld]:
    async with articles_removed_after():
        yield await build_world()


@pytest_asyncio.fixture
async def http(world: FeedWorld) -> AsyncIterator[httpx.AsyncClient]:
    async with feed_client(feed_app()) as client:
        yield client


def xml(answer: httpx.Response) -> etree._Element:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/xml; charset=utf-8"
    return etree.fromstring(answer.content)


def locs(root: etree._Element, tag: str = "url") -> list[str]:
    return [str(e.findtext(f"{SM}loc")) for e in root.iter(f"{SM}{tag}")]


async def visible_slugs_by_month() -> dict[str, set[str]]:
    """The oracle: every visible article's slug by ``YYYY-MM`` of publication (UTC)."""
    moment = datetime.now(UTC)
    months: dict[str, set[str]] = {}
    for article in await Article.all():
        if visible_now(article, moment):
            assert article.published_at is not None
            key = article.published_at.astimezone(UTC).strftime("%Y-%m")
            months.setdefault(key, set()).add(article.slug)
    return months


async def all_monthly_urls(http: httpx.AsyncClient) -> dict[str, list[str]]:
    index = xml(await http.get("/sitemap.xml"))
    files = locs(index, "sitemap")
    assert files[0] == "http://api.test/sitemaps/sections.xml"
    found: dict[str, list[str]] = {}
    for url in files[1:]:
        path = url.removeprefix("http://api.test")
        found[path] = locs(xml(await http.get(path)))
    return found


async def test_monthly_sitemaps_hold_exactly_the_visible_articles(
    http: httpx.AsyncClient, world: FeedWorld
) -> None:
    expected = await visible_slugs_by_month()
    files = await all_monthly_urls(http)
    assert sorted(files) == [f"/sitemaps/articles-{month}.xml" for month in sorted(expected)]
    for path, urls in files.items():
        month = path.removeprefix("/sitemaps/articles-").removesuffix(".xml")
        assert len(urls) == len(set(urls)) == len(expected[month])
        assert {url.rsplit("/", 1)[1] for url in urls} == expected[month]
        assert all(url.startswith(SITE + "/") for url in urls)
    everything = "".join(url for urls in files.values() for url in urls)
    assert_hidden_absent(world, everything)
    assert f"{SITE}/{world.parent.slug}/{world.child.slug}/{world.french.slug}" in everything


async def test_lastmod_is_the_update_time(http: httpx.AsyncClient, world: FeedWorld) -> None:
    month = world.french.published_at.astimezone(UTC).strftime("%Y-%m")
    root = xml(await http.get(f"/sitemaps/articles-{month}.xml"))
    for entry in root.iter(f"{SM}url"):
        if str(entry.findtext(f"{SM}loc")).endswith("/" + world.french.slug):
            lastmod = datetime.fromisoformat(str(entry.findtext(f"{SM}lastmod")))
            assert lastmod == world.french.updated_at.replace(microsecond=0)
            return
    raise AssertionError("the article is not in its month's sitemap")


async def test_a_month_over_the_limit_is_split(world: FeedWorld) -> None:
    expected = await visible_slugs_by_month()
    async with feed_client(feed_app(sitemap_max_urls=7)) as client:
        files = await all_monthly_urls(client)
        beyond = await client.get("/sitemaps/articles-2026-01-99.xml")
    for month, slugs in expected.items():
        parts = [p for p in files if p.startswith(f"/sitemaps/articles-{month}")]
        assert len(parts) == -(-len(slugs) // 7)
        assert all(len(files[p]) <= 7 for p in parts)
        joined = [url.rsplit("/", 1)[1] for p in parts for url in files[p]]
        assert len(joined) == len(slugs) and set(joined) == slugs
    assert any(p.endswith("-2.xml") for p in files)
    assert beyond.status_code == 404


@pytest.mark.parametrize(
    "name", ["1999-01", "2026-13", "2026-1", "2026-01-1", "2026-01-0", "x", "2026-01-2-3"]
)
async def test_unknown_monthly_sitemaps_are_404s(http: httpx.AsyncClient, name: str) -> None:
    answer = await http.get(f"/sitemaps/articles-{name}.xml")
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_the_sections_sitemap_lists_every_section_front(
    http: httpx.AsyncClient, world: FeedWorld
) -> None:
    urls = locs(xml(await http.get("/sitemaps/sections.xml")))
    assert f"{SITE}/{world.parent.slug}" in urls
    assert f"{SITE}/{world.parent.slug}/{world.child.slug}" in urls


async def test_the_news_sitemap(http: httpx.AsyncClient, world: FeedWorld) -> None:
    answer = await http.get("/sitemaps/news.xml")
    root = xml(answer)
    entries = {str(e.findtext(f"{SM}loc")).rsplit("/", 1)[1]: e for e in root.iter(f"{SM}url")}
    assert world.french.slug in entries and world.arabic.slug in entries
    assert world.old.slug not in entries  # three days old
    assert_hidden_absent(world, answer.text)
    moment = datetime.now(UTC)
    recent = [
        a.slug
        for a in await Article.filter(published_at__gte=moment - timedelta(hours=47, minutes=59))
        if visible_now(a, moment)
    ]
    assert set(recent) <= set(entries)
    arabic = entries[world.arabic.slug].find(f"{NEWS}news")
    assert arabic is not None
    assert arabic.findtext(f"{NEWS}publication/{NEWS}name") == "L'Observateur & Cie"
    assert arabic.findtext(f"{NEWS}publication/{NEWS}language") == "ar"
    assert arabic.findtext(f"{NEWS}title") == ARABIC_TITLE
    published = datetime.fromisoformat(str(arabic.findtext(f"{NEWS}publication_date")))
    assert published == world.arabic.published_at.replace(microsecond=0)


async def test_the_news_sitemap_is_capped(
    world: FeedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most NEWS_MAX_URLS (Google's 1,000) articles, the newest: checked with a cap of 2."""
    from gqlnews.feeds import sitemaps

    assert sitemaps.NEWS_MAX_URLS == 1000
    monkeypatch.setattr(sitemaps, "NEWS_MAX_URLS", 2)
    before = datetime.now(UTC)
    async with feed_client(feed_app()) as client:
        root = xml(await client.get("/sitemaps/news.xml"))
    listed = [url.rsplit("/", 1)[1] for url in locs(root)]
    assert len(listed) == 2
    rows = {a.slug: a for a in await Article.all()}
    keys = [(rows[slug].published_at, rows[slug].pk) for slug in listed]
    assert keys[0] > keys[1]  # newest first
    for article in rows.values():  # nothing visible left out was newer
        if article.slug not in listed and visible_now(article, before):
            assert (article.published_at, article.pk) < keys[1], article.slug


async def test_sitemaps_answer_conditional_gets(http: httpx.AsyncClient, world: FeedWorld) -> None:
    for path in ("/sitemap.xml", "/sitemaps/news.xml", "/sitemaps/sections.xml"):
        first = await http.get(path)
        assert first.headers["cache-control"] == "public, max-age=120"
        again = await http.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, path
        since = await http.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
        assert since.status_code == 304, path


async def test_a_newly_visible_article_changes_the_news_sitemap(
    http: httpx.AsyncClient, world: FeedWorld
) -> None:
    first = await http.get("/sitemaps/news.xml")
    async with articles_removed_after():
        fresh = await make_article(section=world.parent, published_at=datetime.now(UTC))
        second = await http.get(
            "/sitemaps/news.xml", headers={"If-None-Match": first.headers["etag"]}
        )
    assert second.status_code == 200 and fresh.slug in second.text


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemaps/news.xml", "/sitemaps/sections.xml"])
async def test_sitemap_statements_are_constant(
    http: httpx.AsyncClient, world: FeedWorld, path: str
) -> None:
    with count_queries() as before:
        assert (await http.get(path)).status_code == 200
    async with articles_removed_after():
        for _ in range(5):
            await make_article(section=world.parent)
        with count_queries() as after:
            assert (await http.get(path)).status_code == 200
    assert before.count == after.count <= 3, (before.statements, after.statements)


async def test_monthly_sitemap_statements_are_constant(
    http: httpx.AsyncClient, world: FeedWorld
) -> None:
    month = datetime.now(UTC).strftime("%Y-%m")
    with count_queries() as before:
        assert (await http.get(f"/sitemaps/articles-{month}.xml")).status_code == 200
    async with articles_removed_after():
        for _ in range(5):
            await make_article(section=world.parent)
        with count_queries() as after:
            assert (await http.get(f"/sitemaps/articles-{month}.xml")).status_code == 200
    assert before.count == after.count == 3


def _catalog_with_path(path: str) -> Catalog:
    return Catalog(sections={}, paths={1: path})


def test_a_file_of_the_longest_urls_stays_under_50_mb() -> None:
    """However long the site URL and the section paths, a monthly file of ``urls_per_file``
    URLs of the longest length this site can make stays within the protocol's 50 MB; with
    ordinary URLs the setting alone decides."""
    ordinary = SiteUrls(
        "https://www.example.ma", "{site}/{section}/{slug}", "{site}/{section}", "", ""
    )
    catalog = _catalog_with_path("monde/afrique")
    assert urls_per_file(ordinary, catalog, 50_000) == 50_000
    assert urls_per_file(ordinary, catalog, 10) == 10

    huge = ordinary.with_site("https://www.example.ma/" + "tres-long/" * 200)
    deep = _catalog_with_path("/".join(["rubrique"] * 60))
    per_file = urls_per_file(huge, deep, 50_000)
    assert per_file < 50_000
    slug = "\U00010348" * SLUG_MAX_LENGTH  # four UTF-8 bytes a character, the worst
    moment = datetime(2026, 12, 31, tzinfo=UTC)
    row = (2**63 - 1, slug, 1, moment, moment, None)
    document = urlset_document(huge, deep, [row] * per_file)
    assert len(document) <= MAX_FILE_BYTES
    assert len(urlset_document(huge, deep, [row] * (per_file + 2_000))) > MAX_FILE_BYTES * 0.9
