"""Revisions: the full content of an article after every change, and restoring one.

A revision holds every field an editor can change (text, metadata, links to sections, authors
and tags, the image) plus the status and times, so an old version can be put back exactly;
restoring is itself a new revision, so nothing is ever lost.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from gqlnews.models import Article
from gqlnews.models.article_fields import REVISIONED_COLUMNS, REVISIONED_LINKS
from gqlnews.models.revision import ArticleRevision

RESTORED_FIELDS = REVISIONED_COLUMNS
"""What a restore puts back: the revisioned columns of
:data:`gqlnews.models.article_fields.EDITABLE` (never the status or the publishing times: a
restore is an edit), and the lists of :data:`~gqlnews.models.article_fields.REVISIONED_LINKS`."""


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def links_of(article_id: int) -> dict[str, list[int]]:
    """The ordered ids of each revisioned list of an article (sections, authors, tags), under
    their revision keys (``section_ids``…)."""
    found: dict[str, list[int]] = {}
    for links in REVISIONED_LINKS:
        rows = await links.model.filter(article_id=article_id).order_by("position", "id")
        found[links.revision_key] = [int(getattr(row, links.column)) for row in rows]
    return found


def _plain(value: Any) -> Any:
    """A column's value as JSON keeps it (an enum as its value)."""
    return str(value) if isinstance(value, Enum) else value


async def snapshot(article: Article) -> dict[str, Any]:
    """Everything a revision keeps of ``article`` as it is in the database now."""
    content: dict[str, Any] = {name: _plain(getattr(article, name)) for name in REVISIONED_COLUMNS}
    content.update(
        status=str(article.status),
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
