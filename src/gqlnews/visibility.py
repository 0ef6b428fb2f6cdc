"""The ONE place that decides which articles a reader may see.

An anonymous reader sees an article only when all three hold: it is published, its publication
time has passed, and any embargo has lifted. Every entry point (lists, single look-ups, ``node``,
search, the article lists of sections, authors, tags, editions and supplements, edition pages,
counts) starts from :func:`visible_articles`; nothing else restates the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from gqlnews.models import Article, ArticleStatus


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is reading. Anonymous readers get the public rule; staff access comes later."""

    sees_unpublished: bool = False


ANONYMOUS = Viewer()


def visible_q(now: datetime) -> Q:
    """The public rule as a filter, evaluated at ``now``."""
    return Q(status=ArticleStatus.PUBLISHED, published_at__lte=now) & (
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    )


def visible_articles(viewer: Viewer = ANONYMOUS, now: datetime | None = None) -> QuerySet[Article]:
    """All articles ``viewer`` may see at ``now`` (default: the current time)."""
    if viewer.sees_unpublished:
        return Article.all()
    return Article.filter(visible_q(now or datetime.now(UTC)))
