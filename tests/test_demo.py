"""The demo newsroom loader: counts, invariants of the data model, determinism, refusal."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio

from gqlnews.demo import (
    ANATOMY_SLUG,
    DEMO_DRAFT_SLUGS,
    DEMO_EMBARGOED_SLUGS,
    DEMO_FUTURE_PUBLISHED_SLUGS,
    DEMO_SCHEDULED_SLUGS,
    DemoAlreadyLoaded,
    DemoSummary,
    load_demo,
)
from gqlnews.demo.slugs import _slugify
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleTag,
    Author,
    Edition,
    Genre,
    Image,
    Section,
    Supplement,
    Tag,
)
from gqlnews.visibility import visible_q
from tests.helpers import migrated_database

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
MODELS = ["gqlnews.models"]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ARABIC = re.compile(r"[\u0600-\u06FF]")
ARTICLE_FIELDS = (
    "id", "slug", "title", "excerpt", "body_html", "word_count", "genre", "language", "status",
    "published_at", "embargo_until", "created_at", "primary_section_id", "image_id",
    "edition_id", "supplement_id", "page", "print_position", "view_count",
)  # fmt: skip

Row = dict[str, Any]


@dataclass
class Snapshot:
    """Everything the demo wrote, read back as plain data (the database is gone by then)."""

    summary: DemoSummary
    articles: dict[str, Row]
    visible: set[str]
    sections: dict[int, Row]
    section_links: list[Row]
    author_links: list[Row]
    tag_links: list[Row]
    tags: dict[int, Row]
    images: dict[int, Row]
    editions: dict[int, Row]
    supplements: dict[int, Row]
    authors: list[Row]

    def article_sections(self, slug: str) -> list[str]:
        """Section slugs of an article, in position order."""
        article_id = self.articles[slug]["id"]
        links = sorted(
            (link for link in self.section_links if link["article_id"] == article_id),
            key=lambda link: link["position"],
        )
        return [self.sections[link["section_id"]]["slug"] for link in links]

    def article_tags(self, slug: str) -> set[str]:
        article_id = self.articles[slug]["id"]
        return {
            self.tags[link["tag_id"]]["slug"]
            for link in self.tag_links
            if link["article_id"] == article_id
        }

    def section_slug(self, slug: str) -> str:
        return str(self.sections[self.articles[slug]["primary_section_id"]]["slug"])


async def _snapshot(summary: DemoSummary, now: datetime) -> Snapshot:
    articles = await Article.all().values(*ARTICLE_FIELDS)
    visible = await Article.filter(visible_q(now)).values_list("slug", flat=True)
    return Snapshot(
        summary=summary,
        articles={row["slug"]: row for row in articles},
        visible={str(slug) for slug in visible},
        sections={row["id"]: row for row in await Section.all().values()},
        section_links=await ArticleSection.all().values(),
        author_links=await ArticleAuthor.all().values(),
        tag_links=await ArticleTag.all().values(),
        tags={row["id"]: row for row in await Tag.all().values()},
        images={row["id"]: row for row in await Image.all().values()},
        editions={row["id"]: row for row in await Edition.all().values()},
        supplements={row["id"]: row for row in await Supplement.all().values()},
        authors=await Author.all().values(),
    )


async def _load(now: datetime) -> Snapshot:
    async with migrated_database():
        return await _snapshot(await load_demo(now=now), now)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo_data() -> Snapshot:
    return await _load(NOW)


async def test_counts_match_the_summary(demo_data: Snapshot) -> None:
    summary = demo_data.summary
    assert 140 <= summary.articles <= 160
    assert summary.articles == len(demo_data.articles)
    assert summary.editions == len(demo_data.editions) == 14
    assert summary.supplements == len(demo_data.supplements) == 3
    assert summary.sections == len(demo_data.sections) >= 11
    assert summary.authors == len(demo_data.authors) >= 12
    assert summary.tags == len(demo_data.tags) >= 30
    assert summary.images == len(demo_data.images)
    assert summary.drafts == len(DEMO_DRAFT_SLUGS) >= 3
    assert summary.scheduled == len(DEMO_SCHEDULED_SLUGS) == 2
    assert summary.embargoed == len(DEMO_EMBARGOED_SLUGS) == 2
    assert summary.future_published == len(DEMO_FUTURE_PUBLISHED_SLUGS) == 1
    assert {row["kind"] for row in demo_data.tags.values()} == {
        "theme", "place", "organisation", "person",
    }  # fmt: skip
    assert all(author["email"] and author["bio"] and author["role"] for author in demo_data.authors)


async def test_sections_form_a_small_tree(demo_data: Snapshot) -> None:
    by_slug = {row["slug"]: row for row in demo_data.sections.values()}
    assert by_slug["une"]["name"] == "À la une"
    assert by_slug["edito"]["name"] == "Éditorial"
    monde = by_slug["monde"]["id"]
    assert by_slug["afrique"]["parent_id"] == monde
    assert by_slug["europe"]["parent_id"] == monde
    assert all(row["description"] for row in by_slug.values())


async def test_each_article_has_one_primary_section_and_une_is_never_primary(
    demo_data: Snapshot,
) -> None:
    for slug, article in demo_data.articles.items():
        links = [link for link in demo_data.section_links if link["article_id"] == article["id"]]
        assert sorted(link["position"] for link in links) == list(range(len(links)))
        primary = [link for link in links if link["position"] == 0]
        assert len(primary) == 1, slug
        assert primary[0]["section_id"] == article["primary_section_id"], slug
        assert demo_data.section_slug(slug) != "une", slug
    in_une = sum("une" in demo_data.article_sections(slug) for slug in demo_data.articles)
    assert 0.10 <= in_une / len(demo_data.articles) <= 0.20


async def test_bylines_and_tags_are_ordered(demo_data: Snapshot) -> None:
    for links in (demo_data.author_links, demo_data.tag_links):
        per_article: dict[int, list[int]] = {}
        for link in links:
            per_article.setdefault(link["article_id"], []).append(link["position"])
        assert set(per_article) == {a["id"] for a in demo_data.articles.values()}
        assert all(sorted(p) == list(range(len(p))) for p in per_article.values())


async def test_print_placement(demo_data: Snapshot) -> None:
    editions = demo_data.editions
    for slug, article in demo_data.articles.items():
        assert not (article["edition_id"] and article["supplement_id"]), slug
        if article["edition_id"] or article["supplement_id"]:
            assert article["page"] is not None and article["page"] >= 1, slug
        if article["edition_id"]:
            edition = editions[article["edition_id"]]
            assert article["page"] <= edition["page_count"]
            assert article["published_at"].date() == edition["date"], slug
            if "une" in demo_data.article_sections(slug):
                assert article["page"] == 1, slug
    visible = [demo_data.articles[slug] for slug in demo_data.visible]
    printed = sum(article["edition_id"] is not None for article in visible)
    assert 0.5 <= printed / len(visible) <= 0.7
    assert any(article["print_position"] > 0 for article in visible)
    for supplement in demo_data.supplements.values():
        inside = [a for a in visible if a["supplement_id"] == supplement["id"]]
        assert 3 <= len(inside) <= 6
        assert all(1 <= a["page"] <= supplement["page_count"] for a in inside)
        assert editions[supplement["edition_id"]]["date"] == supplement["date"]
        assert supplement["cover_id"] in demo_data.images
        assert supplement["description"] and supplement["section_id"]


async def test_editions_cover_two_weeks(demo_data: Snapshot) -> None:
    editions = sorted(demo_data.editions.values(), key=lambda row: row["number"])
    numbers = [row["number"] for row in editions]
    assert numbers == list(range(numbers[0], numbers[0] + 14))
    assert [row["date"] for row in editions] == [
        NOW.date() - timedelta(days=13 - n) for n in range(14)
    ]
    assert editions[-1]["title"] == f"L'Observateur du Matin n° {numbers[-1]} du 29 novembre 2026"
    assert {row["page_count"] for row in editions} <= {24, 32}
    assert all(row["cover_id"] in demo_data.images for row in editions)
    with_pdf = sum(row["pdf_url"] is not None for row in editions)
    assert 0 < with_pdf < 14


async def test_the_anatomy_article(demo_data: Snapshot) -> None:
    article = demo_data.articles[ANATOMY_SLUG]
    assert article["title"] == "La Libye et l'OTAN renouent le dialogue"
    assert demo_data.section_slug(ANATOMY_SLUG) == "monde"
    assert set(demo_data.article_sections(ANATOMY_SLUG)) == {"monde", "politique", "une"}
    assert demo_data.images[article["image_id"]]["credit"] == "© D.R"
    assert article["excerpt"]
    assert "la Libye" in article["body_html"] and "l'OTAN" in article["body_html"]
    assert {"libye", "otan"} <= demo_data.article_tags(ANATOMY_SLUG)
    edition = demo_data.editions[article["edition_id"]]
    assert edition["date"] == NOW.date() and article["page"] == 1
    assert article["print_position"] == 1, "the lead story opens the front page"
    assert ANATOMY_SLUG in demo_data.visible
    related = [
        slug
        for slug in demo_data.visible - {ANATOMY_SLUG}
        if demo_data.section_slug(slug) == "monde"
        and {"libye", "otan"} <= demo_data.article_tags(slug)
    ]
    assert len(related) >= 4


async def test_invisible_articles(demo_data: Snapshot) -> None:
    articles = demo_data.articles
    for slug in DEMO_DRAFT_SLUGS:
        assert articles[slug]["status"] == "draft" and articles[slug]["published_at"] is None
    for slug in DEMO_SCHEDULED_SLUGS:
        assert articles[slug]["status"] == "scheduled" and articles[slug]["published_at"] > NOW
    for slug in DEMO_EMBARGOED_SLUGS:
        assert articles[slug]["status"] == "published"
        assert articles[slug]["published_at"] <= NOW < articles[slug]["embargo_until"]
    for slug in DEMO_FUTURE_PUBLISHED_SLUGS:
        assert articles[slug]["status"] == "published" and articles[slug]["published_at"] > NOW
    hidden = {
        *DEMO_DRAFT_SLUGS, *DEMO_SCHEDULED_SLUGS, *DEMO_EMBARGOED_SLUGS,
        *DEMO_FUTURE_PUBLISHED_SLUGS,
    }  # fmt: skip
    assert demo_data.visible == set(articles) - hidden
    assert all(articles[slug]["published_at"] <= NOW for slug in demo_data.visible)


async def test_times_are_aware_distinct_and_spread(demo_data: Snapshot) -> None:
    articles = list(demo_data.articles.values())
    stamps = [a["published_at"] for a in articles if a["published_at"] is not None]
    assert len(stamps) == len(set(stamps))
    for article in articles:
        for name in ("published_at", "embargo_until", "created_at"):
            value = article[name]
            assert value is None or value.utcoffset() == timedelta(0)
    editorials = [a for a in articles if a["genre"] == "editorial"]
    assert sorted(a["published_at"].date() for a in editorials) == [
        NOW.date() - timedelta(days=13 - n) for n in range(14)
    ]
    edito = next(r["id"] for r in demo_data.sections.values() if r["slug"] == "edito")
    assert all(a["primary_section_id"] == edito for a in editorials)
    assert {a["genre"] for a in articles} == {genre.value for genre in Genre}


async def test_arabic_articles(demo_data: Snapshot) -> None:
    arabic = [a for a in demo_data.articles.values() if a["language"] == "ar"]
    assert len(arabic) >= 4
    for article in arabic:
        assert ARABIC.search(article["title"]) and ARABIC.search(article["body_html"])
        assert ARABIC.search(article["excerpt"])


async def test_bodies_excerpts_and_images(demo_data: Snapshot) -> None:
    articles = list(demo_data.articles.values())
    assert all(150 <= a["word_count"] <= 700 for a in articles)
    assert all(a["body_html"].startswith("<p>") for a in articles)
    assert sum("<h2>" in a["body_html"] for a in articles) >= 20
    assert sum("<blockquote>" in a["body_html"] for a in articles) >= 20
    without_excerpt = sum(not a["excerpt"] for a in articles)
    assert 0.05 <= without_excerpt / len(articles) <= 0.15
    with_image = [a for a in articles if a["image_id"] is not None]
    assert 0.85 <= len(with_image) / len(articles) <= 0.95
    for article in with_image:
        image = demo_data.images[article["image_id"]]
        assert image["url"].startswith("https://medias.observateur.example/")
        assert image["url"].endswith(".jpg")
        assert image["credit"] and image["caption"] and image["alt"]
        assert image["width"] and image["height"]


async def test_slugs_and_audience(demo_data: Snapshot) -> None:
    assert all(SLUG.match(slug) for slug in demo_data.articles)
    views = sorted(demo_data.articles[slug]["view_count"] for slug in demo_data.visible)
    assert views[0] > 0
    assert views[-1] > 10 * views[len(views) // 2]


async def test_stories_share_tags(demo_data: Snapshot) -> None:
    pairs = Counter(tuple(sorted(demo_data.article_tags(slug)))[:2] for slug in demo_data.articles)
    assert max(pairs.values()) >= 3
    libye_days = {
        demo_data.articles[slug]["published_at"].date()
        for slug in demo_data.visible
        if "libye" in demo_data.article_tags(slug)
    }
    assert len(libye_days) >= 3


async def test_loading_twice_is_refused() -> None:
    async with migrated_database():
        first = await load_demo(now=NOW)
        with pytest.raises(DemoAlreadyLoaded, match="already holds"):
            await load_demo(now=NOW)
        assert await Article.all().count() == first.articles
        assert await Edition.all().count() == first.editions


async def test_same_now_gives_the_same_newsroom(demo_data: Snapshot) -> None:
    again = await _load(NOW)
    assert asdict(again.summary) == asdict(demo_data.summary)
    fields = ("slug", "title", "excerpt", "body_html", "published_at", "page", "view_count")

    def rows(snapshot: Snapshot) -> list[tuple[Any, ...]]:
        return sorted(tuple(a[f] for f in fields) for a in snapshot.articles.values())

    assert rows(again) == rows(demo_data)


async def test_just_after_midnight_nothing_visible_is_in_the_future() -> None:
    early = datetime(2027, 3, 1, 0, 5, tzinfo=UTC)
    snapshot = await _load(early)
    articles = snapshot.articles
    assert all(articles[slug]["published_at"] <= early for slug in snapshot.visible)
    latest = max(snapshot.editions.values(), key=lambda row: row["number"])
    assert latest["title"].endswith("du 1er mars 2027")


async def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await load_demo(now=datetime(2026, 11, 29, 10, 0))


def test_slugify() -> None:
    assert _slugify("L'été à Fès : œuvres") == "l-ete-a-fes-oeuvres"
    assert _slugify("La Libye et l'OTAN renouent le dialogue") == ANATOMY_SLUG
    assert _slugify("ليبيا") == ""
