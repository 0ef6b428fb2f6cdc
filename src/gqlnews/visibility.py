"""The ONE place that decides what a reader may see: articles, editions, supplements, images.

**Articles.** An anonymous reader sees an article only when all four hold: it is published, its
publication time has passed, any embargo has lifted, and it is not in the trash (soft-deleted).
Every entry point (lists, single look-ups, ``node``, search, the article lists of sections,
authors, tags, editions and supplements, edition pages, counts, rankings, related articles)
starts from :func:`visible_articles`; nothing else restates the rule.

**Editions and supplements** are public from their date on (dated today or earlier, in UTC):
a future edition or supplement is invisible by every path (``edition(number)``,
``edition(date)``, ``latestEdition``, ``supplement(slug)``, ``node``, an article's ``edition``
and ``supplement``, an edition's ``supplements``) until its day comes
(:func:`visible_editions`, :func:`visible_supplements`).

**Images** have no visibility of their own: an image is visible when something visible uses
it — a visible article (its main picture), a visible edition or supplement (its cover), or an
author (a portrait: bylines are public) (:func:`visible_images`). A picture of a draft or of an
embargoed article, or a cover of tomorrow's edition, is thus hidden, and appears when what uses
it does. Every path to an image (``node``, ``nodes``, ``Article.image``, the covers,
``Author.avatar``) goes through it.

Signed-in staff see more, through the same entry points: admins and editors
(:data:`SEE_EVERYTHING`: the roles that also manage editions and supplements) see every
article in every status (embargoed ones included) except those in the trash, every edition and
supplement, future ones included, and every image; authors and contributors see what the public
sees plus the articles they created (their drafts), whatever their status, and the images those
use.

A reader who may not see something cannot tell it from something that does not exist: reads
answer null (or leave it out of lists), and writes answer as for an unknown id (see
:mod:`gqlnews.graphql.mutations.articles`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from gqlnews.models import Article, ArticleStatus, Author, Edition, Image, Supplement, UserRole

SEE_EVERYTHING = frozenset({UserRole.ADMIN, UserRole.EDITOR})
"""Roles that see every article (trash aside), edition, supplement and image."""


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
        """True when everything is visible: every article in any status, every edition and
        supplement (future ones too), every image (admins and editors)."""
        return self.role in SEE_EVERYTHING


ANONYMOUS = Viewer()


def visible_q(now: datetime) -> Q:
    """The public rule as a filter, evaluated at ``now``."""
    return Q(status=ArticleStatus.PUBLISHED, published_at__lte=now, deleted_at__isnull=True) & (
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    )


def latest_visible(viewer: Viewer, now: datetime) -> datetime | None:
    """The latest publication time an article ``viewer`` may see at ``now`` can have, when
    the rule bounds it: ``now`` for an anonymous reader (only articles whose time has come),
    None for a signed-in account (drafts, which have none, and scheduled articles may be
    theirs). A statement may add the bound to a copy of ``published_at`` that an index
    holds (see :class:`gqlnews.models.SectionArticle`)."""
    return None if viewer.is_authenticated else now


def visible_articles(viewer: Viewer = ANONYMOUS, now: datetime | None = None) -> QuerySet[Article]:
    """All articles ``viewer`` may see at ``now`` (default: the current time)."""
    if viewer.sees_unpublished:
        return Article.filter(deleted_at__isnull=True)
    public = visible_q(now or datetime.now(UTC))
    if viewer.user_id is not None:
        return Article.filter(public | Q(created_by_id=viewer.user_id, deleted_at__isnull=True))
    return Article.filter(public)


def today(now: datetime) -> date:
    """The day ``now`` falls on, in UTC: what an edition's or a supplement's date is compared
    with."""
    return now.astimezone(UTC).date() if now.tzinfo else now.date()


def dated_q(now: datetime) -> Q:
    """The public rule of editions and supplements as a filter: dated on ``now``'s day or
    earlier."""
    return dated_by_q(today(now))


def dated_by_q(day: date) -> Q:
    """:func:`dated_q` for the day ``day`` (a prebuilt statement takes the day as its value:
    see :class:`gqlnews.graphql.prepared.Template`)."""
    return Q(date__lte=day)


def visible_editions(viewer: Viewer = ANONYMOUS, now: datetime | None = None) -> QuerySet[Edition]:
    """All editions ``viewer`` may see at ``now`` (default: the current time)."""
    if viewer.sees_unpublished:
        return Edition.all()
    return Edition.filter(dated_q(now or datetime.now(UTC)))


def visible_supplements(
    viewer: Viewer = ANONYMOUS, now: datetime | None = None
) -> QuerySet[Supplement]:
    """All supplements ``viewer`` may see at ``now`` (default: the current time)."""
    if viewer.sees_unpublished:
        return Supplement.all()
    return Supplement.filter(dated_q(now or datetime.now(UTC)))


def visible_images(
    viewer: Viewer = ANONYMOUS,
    now: datetime | None = None,
    among: Collection[int] | None = None,
) -> QuerySet[Image]:
    """All images ``viewer`` may see at ``now``; only those of ids ``among`` when given (every
    use narrowed to those ids too). One statement either way."""
    images = Image.all() if among is None else Image.filter(id__in=list(among))
    if viewer.sees_unpublished:
        return images
    moment = now or datetime.now(UTC)
    uses: list[tuple[QuerySet[Any], str]] = [
        (visible_articles(viewer, moment), "image_id"),
        (visible_editions(viewer, moment), "cover_id"),
        (visible_supplements(viewer, moment), "cover_id"),
        (Author.all(), "avatar_id"),
    ]
    used: list[Q] = []
    for rows, column in uses:
        if among is not None:
            rows = rows.filter(**{f"{column}__in": list(among)})
        used.append(Q(id__in=Subquery(rows.values(column))))
    return images.filter(Q(*used, join_type=Q.OR))
