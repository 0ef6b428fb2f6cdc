"""Small, explicit test data (the demo newsroom covers the realistic case)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleStatus,
    ArticleTag,
    Author,
    Edition,
    Section,
    Supplement,
    Tag,
)

_seq = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_seq)}"


def now() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def articles_removed_after() -> AsyncIterator[None]:
    """The articles created inside the block go when it ends (their links, revisions and index
    rows cascade): tests share the demo database and run in any order."""
    last = await Article.all().order_by("-id").first().values_list("id", flat=True)
    try:
        yield
    finally:
        await Article.filter(id__gt=last or 0).delete()


async def make_section(**kw: Any) -> Section:
    slug = kw.pop("slug", unique("t-section"))
    return await Section.create(slug=slug, name=kw.pop("name", slug.title()), **kw)


async def make_edition(**kw: Any) -> Edition:
    number = kw.pop("number", 900000 + next(_seq))
    day = kw.pop("date", date(1990, 1, 1) + timedelta(days=number % 5000))
    return await Edition.create(number=number, date=day, title=f"N° {number}", page_count=24, **kw)


async def make_article(
    *,
    section: Section,
    status: ArticleStatus = ArticleStatus.PUBLISHED,
    published_at: datetime | None = None,
    embargo_until: datetime | None = None,
    authors: tuple[Author, ...] = (),
    tags: tuple[Tag, ...] = (),
    extra_sections: tuple[Section, ...] = (),
    **kw: Any,
) -> Article:
    slug = kw.pop("slug", unique("t-article"))
    if published_at is None and status == ArticleStatus.PUBLISHED:
        published_at = now() - timedelta(hours=1)
    article = await Article.create(
        slug=slug,
        title=kw.pop("title", f"Titre {slug}"),
        status=status,
        published_at=published_at,
        embargo_until=embargo_until,
        primary_section=section,
        **kw,
    )
    for position, sec in enumerate((section, *extra_sections)):
        await ArticleSection.create(article=article, section=sec, position=position)
    for position, author in enumerate(authors):
        await ArticleAuthor.create(article=article, author=author, position=position)
    for position, tag in enumerate(tags):
        await ArticleTag.create(article=article, tag=tag, position=position)
    return article


__all__ = [
    "Author",
    "Supplement",
    "Tag",
    "articles_removed_after",
    "make_article",
    "make_edition",
    "make_section",
    "now",
    "unique",
]
