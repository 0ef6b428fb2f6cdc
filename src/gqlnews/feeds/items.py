"""What a feed lists: its scope (the site, a section with its sub-sections, an author, a tag)
and its items, loaded in a constant number of SQL statements whatever the item count.

The articles come from :func:`gqlnews.visibility.visible_articles` for an anonymous reader,
narrowed by the same criteria as the GraphQL lists (:mod:`gqlnews.graphql.criteria`); their
relations load in one statement each (section links, bylines, tags, pictures), and the section
tree in one (paths of the URLs, the section scope).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.functions import Max

from gqlnews.graphql.criteria import ArticleCriteria, ArticleOrder, apply_criteria, order_articles
from gqlnews.models import Article, ArticleAuthor, ArticleSection, ArticleTag, Author, Section, Tag
from gqlnews.slugs import normalize_slug
from gqlnews.text import cut_excerpt, text_direction
from gqlnews.urls import SiteUrls, section_paths
from gqlnews.visibility import ANONYMOUS, visible_articles, visible_images

EXCERPT_LENGTH = 300
"""Longest excerpt of a feed item (cut at a word boundary), when the article has no
standfirst of its own it is the start of its body."""

SCOPES = ("section", "author", "tag")
"""The kinds of feed besides the whole site's."""


class UnknownScope(LookupError):
    """No section, author or tag has the slug a feed was asked for."""


@dataclass(frozen=True, slots=True)
class Link:
    """A named thing with its public URL: an author, a section or a tag."""

    name: str
    url: str
    term: str
    """Its slug (Atom ``category/@term``)."""


@dataclass(frozen=True, slots=True)
class Picture:
    """An article's main picture with what a page prints beside it."""

    url: str
    credit: str
    caption: str
    alt: str
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One article as every feed format shows it."""

    guid: str
    """Stable across edits (slug and title changes): ``urn:gqlnews:article:<id>``."""
    title: str
    url: str
    published: datetime
    updated: datetime
    authors: tuple[Link, ...]
    sections: tuple[Link, ...]
    tags: tuple[Link, ...]
    excerpt: str
    body_html: str | None
    """The whole body, when the feeds carry it (``GQLNEWS_FEED_FULL_CONTENT``)."""
    picture: Picture | None
    language: str
    direction: str
    """``ltr`` or ``rtl``."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What a feed covers: its title's subject, its page on the site and its criteria."""

    kind: str
    """``site``, ``section``, ``author`` or ``tag``."""
    slug: str
    name: str
    url: str
    criteria: ArticleCriteria | None


@dataclass(frozen=True, slots=True)
class Catalog:
    """The section tree (one statement): names, slugs and paths of every section."""

    sections: dict[int, Section]
    paths: dict[int, str]

    def article_url(
        self,
        urls: SiteUrls,
        *,
        pk: int,
        slug: str,
        section_id: int | None,
        published_at: datetime | None,
    ) -> str:
        """An article's public URL, under its primary section's path (empty without one)."""
        return urls.article(
            pk=pk,
            slug=slug,
            section_path=self.paths.get(section_id, "") if section_id is not None else "",
            published_at=aware(published_at) if published_at is not None else None,
        )

    def section_link(self, urls: SiteUrls, pk: int) -> Link:
        """The section ``pk`` as a category of an item."""
        section = self.sections[pk]
        url = urls.section(pk=pk, slug=section.slug, path=self.paths[pk])
        return Link(section.name, url, section.slug)


async def load_catalog() -> Catalog:
    """Every section, with its path (one statement)."""
    rows = await Section.all()
    sections = {int(s.pk): s for s in rows}
    paths = section_paths((int(s.pk), s.parent_id, s.slug) for s in rows)
    return Catalog(sections, paths)


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC (a database may hand back naive UTC, or another zone object)."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def load_scope(kind: str, slug: str, urls: SiteUrls, catalog: Catalog) -> Scope:
    """The scope ``kind``/``slug`` (:class:`UnknownScope` when nothing has that slug): a
    section comes from ``catalog``, an author or a tag costs one statement."""
    if kind == "site":
        return Scope("site", "", "", urls.site + "/", None)
    wanted = normalize_slug(slug)
    if kind == "section":
        found = next((s for s in catalog.sections.values() if s.slug == wanted), None)
        if found is None:
            raise UnknownScope(f"no section has the slug {slug!r}")
        link = catalog.section_link(urls, int(found.pk))
        tree = ArticleCriteria(section_tree_ids=(int(found.pk),))
        return Scope(kind, found.slug, found.name, link.url, tree)
    if kind == "author":
        author = await Author.get_or_none(slug=wanted)
        if author is None:
            raise UnknownScope(f"no author has the slug {slug!r}")
        url = urls.author(pk=author.pk, slug=author.slug)
        return Scope(kind, author.slug, author.name, url, ArticleCriteria(author_ids=(author.pk,)))
    tag = await Tag.get_or_none(slug=wanted)
    if tag is None:
        raise UnknownScope(f"no tag has the slug {slug!r}")
    url = urls.tag(pk=tag.pk, slug=tag.slug)
    return Scope(kind, tag.slug, tag.name, url, ArticleCriteria(tag_ids=(tag.pk,)))


async def newest_articles(scope: Scope, now: datetime, limit: int) -> list[Article]:
    """The ``limit`` newest articles of ``scope`` an anonymous reader may see at ``now``."""
    criteria = scope.criteria or ArticleCriteria()
    rows = apply_criteria(visible_articles(ANONYMOUS, now), criteria, viewer=ANONYMOUS, now=now)
    ordered, ordering = order_articles(
        rows, ArticleOrder.PUBLISHED_AT_DESC, viewer=ANONYMOUS, now=now, criteria=criteria
    )
    return await ordered.order_by(*(key.expression for key in ordering.keys)).limit(limit)


async def last_change(now: datetime, moments: Iterable[datetime | None]) -> datetime:
    """When what a feed or sitemap shows last changed, for ``Last-Modified``: the latest edit
    of any article (an article unpublished or trashed leaves the lists: that is an edit too),
    or the latest of ``moments`` (publication times and embargo ends of what is shown: a
    scheduled publication or a lifted embargo makes an article appear without an edit) that
    has passed at ``now``. One statement."""
    found: list[Any] = await Article.all().annotate(m=Max("updated_at")).values_list("m", flat=True)
    passed = [aware(found[0])] if found and found[0] is not None else []
    passed.extend(aware(m) for m in moments if m is not None and aware(m) <= now)
    return max(passed, default=datetime(2000, 1, 1, tzinfo=UTC)).replace(microsecond=0)


async def feed_items(
    articles: list[Article], urls: SiteUrls, catalog: Catalog, now: datetime, full: bool
) -> list[FeedItem]:
    """``articles`` as feed items: bylines, tags and pictures in one statement each."""
    ids = [int(a.pk) for a in articles]
    section_links = await ArticleSection.filter(article_id__in=ids).order_by(
        "article_id", "position", "id"
    )
    bylines = await (
        ArticleAuthor.filter(article_id__in=ids)
        .select_related("author")
        .order_by("article_id", "position", "id")
    )
    tag_links = await (
        ArticleTag.filter(article_id__in=ids)
        .select_related("tag")
        .order_by("article_id", "position", "id")
    )
    image_ids = {a.image_id for a in articles if a.image_id is not None}
    images = {int(i.pk): i for i in await visible_images(ANONYMOUS, now, among=image_ids)}
    sections_of: dict[int, list[Link]] = defaultdict(list)
    for link in section_links:
        if link.section_id in catalog.sections:
            sections_of[link.article_id].append(catalog.section_link(urls, link.section_id))
    authors_of: dict[int, list[Link]] = defaultdict(list)
    for byline in bylines:
        author = byline.author
        url = urls.author(pk=author.pk, slug=author.slug)
        authors_of[byline.article_id].append(Link(author.name, url, author.slug))
    tags_of: dict[int, list[Link]] = defaultdict(list)
    for tag_link in tag_links:
        tag = tag_link.tag
        tags_of[tag_link.article_id].append(
            Link(tag.name, urls.tag(pk=tag.pk, slug=tag.slug), tag.slug)
        )
    items = []
    for article in articles:
        pk = int(article.pk)
        image = images.get(article.image_id) if article.image_id is not None else None
        picture = None
        if image is not None:
            picture = Picture(
                image.url, image.credit, image.caption, image.alt, image.width, image.height
            )
        published = aware(article.published_at or article.created_at)
        items.append(
            FeedItem(
                guid=f"urn:gqlnews:article:{pk}",
                title=article.title,
                url=catalog.article_url(
                    urls,
                    pk=pk,
                    slug=article.slug,
                    section_id=article.primary_section_id,
                    published_at=article.published_at,
                ),
                published=published,
                updated=max(aware(article.updated_at), published),
                authors=tuple(authors_of[pk]),
                sections=tuple(sections_of[pk]),
                tags=tuple(tags_of[pk]),
                excerpt=cut_excerpt(article.excerpt or article.body_text, EXCERPT_LENGTH, "…"),
                body_html=article.body_html if full else None,
                picture=picture,
                language=article.language,
                direction=text_direction(article.language).lower(),
            )
        )
    return items
