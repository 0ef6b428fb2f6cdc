"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, a section (its sub-sections included), an
author and a tag: parsed as readers parse them, only what an anonymous reader may see, errors
that say what is wrong, conditional GETs, and a constant number of SQL statements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import feedparser
import httpx
import pytest
import pytest_asyncio
from lxml import etree

from gqlnews.demo import DemoSummary
from gqlnews.models import Article
from gqlnews.testing import count_queries
from tests.factories import articles_removed_after
from tests.feed_support import (
    ARABIC_TITLE,
    SITE,
    TRICKY_TITLE,
    FeedWorld,
    assert_hidden_absent,
    build_world,
    check_json_feed,
    feed_app,
    feed_client,
)

FILES = ("rss.xml", "atom.xml", "feed.json")


@pytest_asyncio.fixture(scope="module")
async def world(demo: DemoSummary) -> AsyncIterator[FeedWorld]:
    async with articles_removed_after():
        yield await build_world()


@pytest_asyncio.fixture
async def http(world: FeedWorld) -> AsyncIterator[httpx.AsyncClient]:
    async with feed_client(feed_app()) as client:
        yield client


def scoped_paths(world: FeedWorld) -> list[str]:
    """The scoped feeds that list exactly the world's visible articles."""
    return [
        f"/feeds/sections/{world.parent.slug}",
        f"/feeds/authors/{world.author.slug}",
        f"/feeds/tags/{world.tag.slug}",
    ]


def article_url(world: FeedWorld, article: Article) -> str:
    section = world.child if article.primary_section_id == world.child.pk else world.parent
    path = world.parent.slug + (f"/{world.child.slug}" if section is world.child else "")
    return f"{SITE}/{path}/{article.slug}"


def parsed(body: bytes) -> Any:
    """The feed as feedparser reads it, after lxml found it well-formed."""
    etree.fromstring(body)
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("scope", [0, 1, 2])
@pytest.mark.parametrize("file", ["rss.xml", "atom.xml"])
async def test_scoped_xml_feeds_list_the_visible_articles_newest_first(
    http: httpx.AsyncClient, world: FeedWorld, scope: int, file: str
) -> None:
    answer = await http.get(f"{scoped_paths(world)[scope]}/{file}")
    assert answer.status_code == 200, answer.text
    feed = parsed(answer.content)
    links = [entry.link for entry in feed.entries]
    assert links == [article_url(world, a) for a in world.visible]
    ids = [entry.id for entry in feed.entries]
    assert ids == [f"urn:gqlnews:article:{a.pk}" for a in world.visible]
    assert_hidden_absent(world, answer.text)


@pytest.mark.parametrize("scope", [0, 1, 2])
async def test_scoped_json_feeds_follow_json_feed_1_1(
    http: httpx.AsyncClient, world: FeedWorld, scope: int
) -> None:
    answer = await http.get(f"{scoped_paths(world)[scope]}/feed.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/feed+json")
    document = check_json_feed(answer.content)
    assert [item["url"] for item in document["items"]] == [
        article_url(world, a) for a in world.visible
    ]
    assert_hidden_absent(world, answer.text)


@pytest.mark.parametrize("file", FILES)
async def test_site_feeds_hide_every_kind_of_hidden_article(
    http: httpx.AsyncClient, world: FeedWorld, file: str
) -> None:
    answer = await http.get(f"/feeds/{file}", params={"limit": 100})
    assert answer.status_code == 200
    if file == "feed.json":
        items = check_json_feed(answer.content)["items"]
        assert len(items) == 100
    else:
        assert len(parsed(answer.content).entries) == 100
    assert_hidden_absent(world, answer.text)
    assert world.french.slug in answer.text  # the newest visible article is there


async def test_a_rss_item_carries_every_field(http: httpx.AsyncClient, world: FeedWorld) -> None:
    answer = await http.get(f"/feeds/sections/{world.child.slug}/rss.xml")
    feed = parsed(answer.content)
    assert feed.feed.title == f"L'Observateur & Cie — {world.child.name}"
    assert feed.feed.language == "fr"
    [entry] = feed.entries  # the sub-section has one visible article
    assert entry.title == TRICKY_TITLE
    assert entry.link == article_url(world, world.french)
    assert entry.id == f"urn:gqlnews:article:{world.french.pk}"
    assert entry.guidislink is False
    assert entry.published_parsed[:5] == world.french.published_at.utctimetuple()[:5]
    assert "updated" in entry
    assert entry.author == "Amina Benali"
    assert [tag.term for tag in entry.tags] == ["Afrique", "Élections"]
    assert entry.summary == "Les marchés <b>réagissent</b> & attendent."
    assert "réagissent &amp; attendent la suite" in entry.content[0].value
    [enclosure] = entry.enclosures
    assert enclosure.href == "https://img.example/photo.jpg"
    assert enclosure.type == "image/jpeg"
    [media] = entry.media_content
    assert media["url"] == "https://img.example/photo.jpg"
    assert entry.media_credit[0]["content"] == "K. Idrissi / AFP"
    assert "Bureau de vote à Casablanca & environs" in answer.text.replace("&amp;", "&")
    assert entry.language == "fr"


async def test_an_atom_entry_carries_every_field(http: httpx.AsyncClient, world: FeedWorld) -> None:
    answer = await http.get(f"/feeds/authors/{world.author.slug}/atom.xml")
    feed = parsed(answer.content)
    assert feed.version == "atom10"
    entry = feed.entries[0]
    assert entry.title == TRICKY_TITLE
    assert entry.authors[0]["name"] == "Amina Benali"
    assert entry.authors[0]["href"] == f"{SITE}/authors/{world.author.slug}"
    assert {tag.label for tag in entry.tags} == {"Afrique", "Élections"}
    assert entry.published_parsed and entry.updated_parsed
    assert entry.content[0].type == "text/html"
    assert [link.href for link in entry.links if link.rel == "enclosure"] == [
        "https://img.example/photo.jpg"
    ]


async def test_an_arabic_article_keeps_its_language_and_direction(
    http: httpx.AsyncClient, world: FeedWorld
) -> None:
    """The section's feed is French; the Arabic article in it says it is Arabic and RTL, in
    every format, and every format stays valid."""
    atom = await http.get(f"/feeds/sections/{world.parent.slug}/atom.xml")
    root = etree.fromstring(atom.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    arabic = entries[1]
    assert arabic.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert arabic.findtext("{http://www.w3.org/2005/Atom}title") == ARABIC_TITLE
    assert '<div dir="rtl" lang="ar">' in arabic.findtext("{http://www.w3.org/2005/Atom}content")
    assert parsed(atom.content).entries[1].title == ARABIC_TITLE
    rss = parsed((await http.get(f"/feeds/sections/{world.parent.slug}/rss.xml")).content)
    assert rss.entries[1].title == ARABIC_TITLE
    assert rss.entries[1].language == "ar"
    document = check_json_feed(
        (await http.get(f"/feeds/sections/{world.parent.slug}/feed.json")).content
    )
    item = document["items"][1]
    assert (item["title"], item["language"]) == (ARABIC_TITLE, "ar")
    assert item["_gqlnews"]["direction"] == "rtl"
    assert item["content_html"].startswith('<div dir="rtl" lang="ar">')
    assert document["items"][0]["_gqlnews"]["image"]["credit"] == "K. Idrissi / AFP"


async def test_excerpts_only_unless_the_setting_asks_for_bodies(world: FeedWorld) -> None:
    async with feed_client(feed_app(feed_full_content=False)) as client:
        rss = await client.get(f"/feeds/tags/{world.tag.slug}/rss.xml")
        document = check_json_feed(
            (await client.get(f"/feeds/tags/{world.tag.slug}/feed.json")).content
        )
    assert parsed(rss.content).entries
    assert "content:encoded" not in rss.text and "attendent la suite" not in rss.text
    assert all("content_html" not in item for item in document["items"])
    assert document["items"][0]["content_text"] == document["items"][0]["summary"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/feeds/sections/no-such-section/rss.xml", "no section has the slug"),
        ("/feeds/authors/no-such-author/atom.xml", "no author has the slug"),
        ("/feeds/tags/no-such-tag/feed.json", "no tag has the slug"),
        ("/feeds/editions/x/rss.xml", "no such feed"),
        ("/feeds/rss.html", "no such feed"),
    ],
)
async def test_unknown_feeds_are_404s_with_a_message(
    http: httpx.AsyncClient, path: str, message: str
) -> None:
    answer = await http.get(path)
    assert answer.status_code == 404
    assert message in answer.json()["errors"][0]["message"]


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "2.5", "١٠"])
async def test_a_bad_limit_is_a_400_saying_what_is_allowed(
    http: httpx.AsyncClient, limit: str
) -> None:
    answer = await http.get("/feeds/rss.xml", params={"limit": limit})
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert "limit must be a whole number between 1 and 100" in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_limit_and_default(http: httpx.AsyncClient) -> None:
    assert len(parsed((await http.get("/feeds/rss.xml")).content).entries) == 20
    assert len(parsed((await http.get("/feeds/rss.xml?limit=3")).content).entries) == 3
    assert (
        len(check_json_feed((await http.get("/feeds/feed.json?limit=100")).content)["items"]) == 100
    )


async def test_conditional_gets_answer_304(http: httpx.AsyncClient, world: FeedWorld) -> None:
    path = f"/feeds/tags/{world.tag.slug}/rss.xml"
    first = await http.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "public, max-age=120"
    assert parsedate_to_datetime(modified) >= world.french.updated_at.replace(microsecond=0)
    again = await http.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    since = await http.get(path, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    earlier = parsedate_to_datetime(modified) - timedelta(seconds=1)
    older = await http.get(path, headers={"If-Modified-Since": format_datetime(earlier, True)})
    assert older.status_code == 200
    other = await http.get(
        path, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}
    )
    assert other.status_code == 200  # If-None-Match decides when both are sent


async def test_an_edit_changes_the_validators(http: httpx.AsyncClient, world: FeedWorld) -> None:
    path = f"/feeds/authors/{world.author.slug}/feed.json"
    first = await http.get(path)
    article = await Article.get(pk=world.old.pk)
    article.title = "Archives, corrigées"
    await article.save()
    try:
        second = await http.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert second.status_code == 200
        assert second.headers["etag"] != first.headers["etag"]
        assert "Archives, corrigées" in second.text
    finally:
        article.title = "Archives"
        await article.save()


async def test_unpublishing_invalidates_if_modified_since(
    http: httpx.AsyncClient, world: FeedWorld
) -> None:
    """An article that leaves a feed moves Last-Modified on, although every article still
    listed is older."""
    path = f"/feeds/sections/{world.parent.slug}/atom.xml"
    async with articles_removed_after():
        from tests.factories import make_article

        leaving = await make_article(section=world.parent)
        first = await http.get(path)
        assert leaving.slug in first.text
        later = datetime.now(UTC) + timedelta(seconds=2)
        await Article.filter(pk=leaving.pk).update(deleted_at=later, updated_at=later)
        second = await http.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
        assert second.status_code == 200
        assert leaving.slug not in second.text


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize("scope", ["", "sections", "authors", "tags"])
async def test_statements_do_not_grow_with_the_items(
    http: httpx.AsyncClient, world: FeedWorld, file: str, scope: str
) -> None:
    slugs = {"sections": world.parent.slug, "authors": world.author.slug, "tags": world.tag.slug}
    path = f"/feeds/{scope}/{slugs[scope]}/{file}" if scope else f"/feeds/{file}"
    counts = []
    for limit in (1, 3, 100):
        with count_queries() as log:
            answer = await http.get(path, params={"limit": limit})
        assert answer.status_code == 200
        counts.append(log.count)
    # catalog, articles, section links, bylines, tags, pictures, last change (+ author/tag)
    expected = 8 if scope in ("authors", "tags") else 7
    assert counts == [expected] * 3, counts


async def test_feeds_without_a_site_url_link_to_the_origin_they_are_served_from(
    world: FeedWorld,
) -> None:
    async with feed_client(feed_app(site_url="")) as client:
        feed = parsed((await client.get(f"/feeds/tags/{world.tag.slug}/rss.xml")).content)
    assert feed.entries[0].link.startswith("http://api.test/")
    assert feed.feed.link == f"http://api.test/tags/{world.tag.slug}"


async def test_feeds_are_rate_limited_like_graphql(world: FeedWorld) -> None:
    async with feed_client(feed_app(rate_limit_per_minute=2)) as client:
        codes = [(await client.get("/feeds/rss.xml?limit=1")).status_code for _ in range(3)]
        sitemap = await client.get("/sitemap.xml")
    assert codes == [200, 200, 429]
    assert sitemap.status_code == 429 and "retry-after" in sitemap.headers


async def test_every_url_the_demo_prints_answers(http: httpx.AsyncClient) -> None:
    from gqlnews.feeds.examples import example_urls

    urls = await example_urls("http://api.test/")
    assert len(urls) == 9  # three site feeds, a section's, an author's, a tag's, three sitemaps
    for what, url in urls:
        answer = await http.get(url)
        assert answer.status_code == 200, (what, url, answer.text)
        if url.endswith(".json"):
            assert check_json_feed(answer.content)["items"], what
        elif "/feeds/" in url:
            assert parsed(answer.content).entries, what
        else:
            etree.fromstring(answer.content)


async def test_cache_control_comes_from_the_setting(world: FeedWorld) -> None:
    async with feed_client(feed_app(feed_max_age=0)) as client:
        feed = await client.get("/feeds/rss.xml?limit=1")
        sitemap = await client.get("/sitemaps/sections.xml")
    assert feed.headers["cache-control"] == sitemap.headers["cache-control"] == "public, no-cache"
