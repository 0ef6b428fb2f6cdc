"""Setting the editors' choices: the Python API the command line and the GraphQL mutations
(:mod:`gqlnews_editorial.mutations`) call.

Every function validates all its input before writing and writes in one transaction: on an
:class:`~gqlnews.api.Refused` (see :mod:`gqlnews_editorial.rules`) nothing has changed. Times are
timezone-aware; ``now`` defaults to the current time and only serves to refuse windows that
have already ended. Once a write has committed, the cached answers showing the editors'
choices are purged (:func:`~gqlnews_editorial.caching.choices_changed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from gqlnews.api import Article, RefusalCode, refuse
from gqlnews_editorial.caching import choices_changed
from gqlnews_editorial.models import Pick, Slot
from gqlnews_editorial.rules import (
    check_pick_count,
    check_slot_name,
    check_window,
)


async def find_articles(slugs: Sequence[str]) -> list[Article]:
    """The articles with these slugs, in the order given (one query), whatever their status;
    :class:`~gqlnews.api.Refused` names every slug that matches no article."""
    found = {a.slug: a for a in await Article.filter(slug__in=list(slugs))}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise refuse(
            "articles",
            RefusalCode.NOT_FOUND,
            f"no article with slug {', '.join(repr(s) for s in unknown)}",
        )
    return [found[slug] for slug in slugs]


def _check_saved(article: Article) -> None:
    if article.pk is None:
        raise refuse(
            "articles",
            RefusalCode.INVALID,
            f"article {article.slug!r} is not saved: save it first",
        )


async def set_picks(
    articles: Sequence[Article],
    *,
    starts_at: datetime | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> list[Pick]:
    """Replace the editors' picks by ``articles``, in this order, each shown from ``starts_at``
    until ``expires_at`` (both optional). An empty list clears the picks.

    Refused: more than :data:`~gqlnews_editorial.rules.MAX_PICKS` articles, an article given
    twice or not saved, a window without time zone, ending in the past or backwards.
    """
    check_pick_count(len(articles))
    seen: set[int] = set()
    for article in articles:
        _check_saved(article)
        if article.pk in seen:
            raise refuse(
                "articles",
                RefusalCode.DUPLICATE,
                f"article {article.slug!r} is picked twice",
            )
        seen.add(article.pk)
    check_window(starts_at, expires_at, now or datetime.now(UTC))
    picks = [
        Pick(article_id=a.pk, position=n, starts_at=starts_at, expires_at=expires_at)
        for n, a in enumerate(articles)
    ]
    async with in_transaction() as conn:
        if conn.capabilities.dialect == "postgres":
            # Writers take turns (readers do not wait): otherwise two editors replacing the
            # picks at once each delete the rows they saw, then collide on position 0. The
            # DELETE after the lock sees what the previous writer committed. SQLite writes
            # one transaction at a time anyway.
            await conn.execute_script(
                f'LOCK TABLE "{Pick._meta.db_table}" IN SHARE ROW EXCLUSIVE MODE'
            )
        await Pick.all().using_db(conn).delete()
        if picks:
            await Pick.bulk_create(picks, using_db=conn)
        # Read back before committing: what this call wrote, not a later writer's list.
        stored = await Pick.all().using_db(conn).select_related("article").order_by("position")
    await choices_changed()
    return stored


async def clear_picks() -> int:
    """Remove every pick; how many there were."""
    removed = await Pick.all().delete()
    if removed:
        await choices_changed()
    return removed


async def list_picks() -> list[Pick]:
    """Every stored pick in order, expired or not, with its article (one query)."""
    return await Pick.all().select_related("article").order_by("position")


async def set_slot(
    name: str,
    article: Article,
    *,
    starts_at: datetime | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> Slot:
    """Put ``article`` in the slot ``name`` from ``starts_at`` until ``expires_at`` (both
    optional), replacing what the slot held.

    Refused: a malformed name (see :func:`~gqlnews_editorial.rules.check_slot_name`), an
    unsaved article, a window without time zone, ending in the past or backwards.
    """
    check_slot_name(name)
    _check_saved(article)
    check_window(starts_at, expires_at, now or datetime.now(UTC))
    values = {"article_id": article.pk, "starts_at": starts_at, "expires_at": expires_at}
    # update_or_create runs in its own transaction, locking the row it updates.
    slot, _created = await Slot.update_or_create(defaults=values, name=name)
    await choices_changed()
    slot.article = article
    return slot


async def clear_slot(name: str, *, missing_ok: bool = True) -> bool:
    """Empty the slot ``name``; whether it held anything. A malformed name is refused, and so
    is a slot that is not set unless ``missing_ok`` (one statement either way)."""
    check_slot_name(name)
    cleared = await Slot.filter(name=name).delete() > 0
    if cleared:
        await choices_changed()
    if not cleared and not missing_ok:
        raise refuse(
            "name",
            RefusalCode.NOT_FOUND,
            f"no slot named {name!r} is set",
        )
    return cleared


async def list_slots() -> list[Slot]:
    """Every stored slot by name, expired or not, with its article (one query)."""
    return await Slot.all().select_related("article").order_by("name")
