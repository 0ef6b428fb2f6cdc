"""Revisions: the full content of an article after every change, and restoring one.

A revision holds every field an editor can change (text, metadata, links to sections, authors
and tags, the image) plus the status and times, so an old version can be put back exactly;
restoring is itself a new revision, so nothing is ever lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gqlnews.models import Article, ArticleAuthor, ArticleSection, ArticleTag
from gqlnews.models.revision import ArticleRevision

TEXT_FIELDS = ("title", "subtitle", "excerpt", "body_html", "dateline", "language", "slug")
"""Fields copied as they are."""
RESTORED_FIELDS = (*TEXT_FIELDS, "genre", "primary_section_id", "image_id")
"""What a restore puts back (never the status or the publishing times: a restore is an edit)."""


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def links_of(article_id: int) -> dict[str, list[int]]:
    """The ordered section, author and tag ids of an article."""
    found: dict[str, list[int]] = {}
    for key, model, column in (
        ("section_ids", ArticleSection, "section_id"),
        ("author_ids", ArticleAuthor, "author_id"),
        ("tag_ids", ArticleTag, "tag_id"),
    ):
        rows = await model.filter(article_id=article_id).order_by("position", "id")
        found[key] = [int(getattr(row, column)) for row in rows]
    return found


async def snapshot(article: Article) -> dict[str, Any]:
    """Everything a revision keeps of ``article`` as it is in the database now."""
    content: dict[str, Any] = {name: getattr(article, name) for name in TEXT_FIELDS}
    content.update(
        genre=str(article.genre),
        status=str(article.status),
        primary_section_id=article.primary_section_id,
        image_id=article.image_id,
        published_at=_time(article.published_at),
        embargo_until=_time(article.embargo_until),
        version=article.version,
        **await links_of(article.pk),
    )
    return content


async def record(article: Article, user_id: int | None, action: str, note: str = "") -> int:
    """Store a revision of ``article`` (call it inside the change's transaction); its number."""
    latest = await ArticleRevision.filter(article_id=article.pk).order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    await ArticleRevision.create(
        article_id=article.pk,
        number=number,
        user_id=user_id,
        action=action,
        note=note,
        content=await snapshot(article),
    )
    return number
