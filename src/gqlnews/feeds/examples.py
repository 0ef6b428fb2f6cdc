"""The feed and sitemap URLs a newsroom serves, with real slugs: what ``gqlnews demo`` prints."""

from __future__ import annotations

from datetime import UTC, datetime

from gqlnews.models import ArticleAuthor, ArticleTag, Section
from gqlnews.visibility import ANONYMOUS, visible_articles


async def example_urls(base: str) -> list[tuple[str, str]]:
    """``(what, URL)`` pairs for each kind of feed and sitemap served at ``base``: the site,
    and the top section, the author and a tag of the newest visible article."""
    base = base.rstrip("/")
    urls = [
        ("site feed (RSS 2.0)", f"{base}/feeds/rss.xml"),
        ("site feed (Atom 1.0)", f"{base}/feeds/atom.xml"),
        ("site feed (JSON Feed 1.1)", f"{base}/feeds/feed.json"),
    ]
    newest = await visible_articles(ANONYMOUS, datetime.now(UTC)).order_by("-published_at").first()
    if newest is not None:
        section = await Section.get(pk=newest.primary_section_id)
        top = section.parent_id or section.pk  # the parent's feed holds the sub-section's
        slug = section.slug if top == section.pk else (await Section.get(pk=top)).slug
        urls.append(("section feed", f"{base}/feeds/sections/{slug}/rss.xml"))
        byline = await ArticleAuthor.filter(article_id=newest.pk).select_related("author").first()
        if byline is not None:
            urls.append(("author feed", f"{base}/feeds/authors/{byline.author.slug}/atom.xml"))
        tagged = await ArticleTag.filter(article_id=newest.pk).select_related("tag").first()
        if tagged is not None:
            urls.append(("tag feed", f"{base}/feeds/tags/{tagged.tag.slug}/feed.json"))
    urls += [
        ("sitemap index", f"{base}/sitemap.xml"),
        ("sections sitemap", f"{base}/sitemaps/sections.xml"),
        ("Google News sitemap", f"{base}/sitemaps/news.xml"),
    ]
    return urls


def describe_urls(urls: list[tuple[str, str]]) -> str:
    """The URLs as lines for a terminal."""
    width = max((len(what) for what, _ in urls), default=0)
    lines = ["feeds and sitemaps (see docs/feeds.md):"]
    lines += [f"  {what.ljust(width)}  {url}" for what, url in urls]
    return "\n".join(lines)
