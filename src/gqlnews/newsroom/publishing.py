"""The one publishing path: a manual publish, a due scheduled publication and a lifting
embargo all go through :func:`go_public`.

1. In one transaction: lock the article (``SELECT … FOR UPDATE``, skipping rows another
   process holds when the scheduler asks), check it is still due, ask every
   ``gqlnews_before_publish`` hook (any reason refuses), change it, store a revision and write
   the event to the outbox.
2. After the commit: the ``gqlnews_after_publish`` hooks, then the event is announced (the
   ``gqlnews_event`` hook; see :mod:`gqlnews.newsroom.events`).

A refused manual publish writes nothing and returns the reasons as errors. A refused scheduled
publication or embargo lifting cannot be answered to anyone, so it is recorded: the article
goes back to review (scheduled) or is unpublished (embargoed), with a revision and a
``refused`` event saying why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import pluggy
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from gqlnews.models import Article, ArticleStatus
from gqlnews.newsroom import events, revisions
from gqlnews.newsroom.problems import Code, Problem, Refused, refuse
from gqlnews.newsroom.workflow import Move, target
from gqlnews.plugins import HookFailed, call_each

log = logging.getLogger("gqlnews.publishing")


class Why(StrEnum):
    MANUAL = "manual"
    SCHEDULED = "scheduled"
    EMBARGO_LIFTED = "embargo-lifted"


@dataclass(frozen=True, slots=True)
class Publisher:
    """What the path needs besides the article: the plugins whose hooks it calls."""

    plugins: pluggy.PluginManager | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    article: Article
    event: events.Event
    refused: list[str]


def due(why: Why, now: datetime) -> Q:
    """Articles the scheduler must act on at ``now`` for ``why``."""
    if why is Why.SCHEDULED:
        return Q(status=ArticleStatus.SCHEDULED, published_at__lte=now, deleted_at__isnull=True)
    return Q(
        status=ArticleStatus.PUBLISHED,
        embargo_until__lte=now,
        released_at__isnull=True,
        deleted_at__isnull=True,
    )


async def go_public(
    article_id: int,
    why: Why,
    publisher: Publisher,
    now: datetime,
    *,
    user_id: int | None = None,
    expected_version: int | None = None,
) -> Outcome | None:
    """Run the path for one article; None when there was nothing to do (not due any more, or
    another process holds it). Manual: raises :class:`Refused` (nothing written)."""
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "sqlite":
            # Take SQLite's write lock first: a transaction that reads, then writes, fails
            # with "database is locked" when another process wrote in between.
            await connection.execute_query(
                'UPDATE "article" SET "version" = "version" WHERE "id" = ?', [article_id]
            )
        query = Article.filter(id=article_id, deleted_at__isnull=True)
        if why is not Why.MANUAL:
            query = query.filter(due(why, now))
        article = await query.select_for_update(skip_locked=why is not Why.MANUAL).first()
        if article is None:
            if why is Why.MANUAL:
                raise refuse("id", Code.NOT_FOUND, "no such article")
            return None
        if expected_version is not None and article.version != expected_version:
            raise _conflict(article)
        if why is Why.MANUAL:
            target(Move.PUBLISH, article.status)
        reasons = [str(r) for r in await _before_publish(publisher, article)]
        if reasons and why is Why.MANUAL:
            raise Refused([Problem(None, Code.PUBLISH_REFUSED, r) for r in reasons])
        if reasons:
            event = await _record_refusal(article, why, reasons, now)
        else:
            event = await _apply(article, why, now, user_id)
    if not reasons and publisher.plugins is not None:
        await call_each(publisher.plugins, "gqlnews_after_publish", article=article)
    await events.announce(publisher.plugins, event)
    return Outcome(article, event, reasons)


async def _before_publish(publisher: Publisher, article: Article) -> list[object]:
    """Every plugin's reasons to refuse. A check that crashes refuses too (fail closed): an
    article must not go out because the check meant to stop it is broken."""
    if publisher.plugins is None:
        return []
    try:
        results = await call_each(
            publisher.plugins, "gqlnews_before_publish", strict=True, article=article
        )
    except HookFailed as failed:
        log.error(
            "plugin %r failed in gqlnews_before_publish; publication refused",
            failed.plugin,
            exc_info=failed.__cause__,
            extra={"plugin": failed.plugin},
        )
        return [
            f"the {failed.plugin} plugin's publishing check failed (see the server log); "
            "publication is refused until it works"
        ]
    return [reason for _plugin, reasons in results for reason in reasons or []]


def _conflict(article: Article) -> Refused:
    return refuse(
        "version",
        Code.CONFLICT,
        f"the article changed since you read it (now version {article.version}); "
        "reload it and apply your change again",
    )


async def _apply(article: Article, why: Why, now: datetime, user_id: int | None) -> events.Event:
    embargoed = article.embargo_until is not None and article.embargo_until > now
    if why is Why.EMBARGO_LIFTED:
        article.released_at = now
        kind = events.EventKind.RELEASED
    else:
        if why is Why.MANUAL and (article.published_at is None or article.published_at > now):
            article.published_at = now
        article.status = ArticleStatus.PUBLISHED
        article.released_at = None if embargoed else now
        kind = events.EventKind.PUBLISHED
    article.version += 1
    await article.save()
    action = {Why.MANUAL: "publish", Why.SCHEDULED: "publish-scheduled"}.get(why, "release")
    await revisions.record(article, user_id, action)
    return await events.write(kind, article.pk, why=why.value, embargoed=embargoed)


async def _record_refusal(
    article: Article, why: Why, reasons: list[str], now: datetime
) -> events.Event:
    article.status = ArticleStatus.REVIEW if why is Why.SCHEDULED else ArticleStatus.UNPUBLISHED
    article.version += 1
    await article.save()
    note = "; ".join(reasons)
    await revisions.record(article, None, "publish-refused", note)
    log.warning("%s publication of article %d refused: %s", why.value, article.pk, note)
    return await events.write(events.EventKind.REFUSED, article.pk, why=why.value, reasons=reasons)
