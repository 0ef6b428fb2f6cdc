"""The ONE place that decides which articles a reader may see.

An anonymous reader sees an article only when all four hold: it is published, its publication
time has passed, any embargo has lifted, and it is not in the trash (soft-deleted). Every entry
point (lists, single look-ups, ``node``, search, the article lists of sections, authors, tags,
editions and supplements, edition pages, counts) starts from :func:`visible_articles`; nothing
else restates the rule.

Signed-in staff see more, through the same entry points: admins and editors see every article
in every status (embargoed ones included) except those in the trash; authors and contributors
see what the public sees plus the articles they created (their drafts), whatever their status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from gqlnews.models import Article, ArticleStatus, UserRole

SEE_EVERYTHING = frozenset({UserRole.ADMIN, UserRole.EDITOR})


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is reading: an anonymous reader (:data:`ANONYMOUS`), or a signed-in account with its
    role. Built per request from the bearer token (see :mod:`gqlnews.graphql.view`)."""

    user_id: int | None = None
    role: UserRole | None = None

    def __post_init__(self) -> None:
        if (self.user_id is None) != (self.role is None):
            raise ValueError("a viewer has both a user_id and a role, or neither")

    @property
    def is_authenticated(self) -> bool:
        """True for a signed-in account."""
        return self.user_id is not None

    @property
    def sees_unpublished(self) -> bool:
        """True when every article is visible, in any status (admins and editors)."""
        return self.role in SEE_EVERYTHING


ANONYMOUS = Viewer()


def visible_q(now: datetime) -> Q:
    """The public rule as a filter, evaluated at ``now``."""
    return Q(status=ArticleStatus.PUBLISHED, published_at__lte=now, deleted_at__isnull=True) & (
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    )


def visible_articles(viewer: Viewer = ANONYMOUS, now: datetime | None = None) -> QuerySet[Article]:
    """All articles ``viewer`` may see at ``now`` (default: the current time)."""
    if viewer.sees_unpublished:
        return Article.filter(deleted_at__isnull=True)
    public = visible_q(now or datetime.now(UTC))
    if viewer.user_id is not None:
        return Article.filter(public | Q(created_by_id=viewer.user_id, deleted_at__isnull=True))
    return Article.filter(public)
