"""The event relay: the outbox's guarantee that no committed event goes unannounced.

A write announces its event right after its commit (:func:`gqlnews.newsroom.events.announce`)
and marks it announced. That can fail (Redis down) or never happen (the process killed between
the commit and the announce). Every server process runs a relay: every
``GQLNEWS_EVENT_RELAY_INTERVAL`` seconds it announces the events older than
``GQLNEWS_EVENT_RELAY_GRACE`` seconds (the normal announce has had its chance) and still not
announced, oldest first, then deletes the announced events older than
``GQLNEWS_EVENT_RETENTION_DAYS``.

With several processes on PostgreSQL, each round claims its events with ``SELECT … FOR UPDATE
SKIP LOCKED``, held while it announces them: an event is re-announced by one process. On SQLite
(one process, in practice) the rows are not locked. A round is skipped while the consumers'
``ready`` check says no (Redis still unreachable), so that plugins are not told the same event
at every round of an outage.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pluggy
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from gqlnews.db import connection, connection_dialect
from gqlnews.models.revision import PublishEvent
from gqlnews.newsroom import events
from gqlnews.newsroom.periodic import Periodic
from gqlnews.observability import events as metrics

log = logging.getLogger("gqlnews.events")
BATCH = 100
"""Events announced per round at most (the rest wait for the next round)."""
PRUNE_BATCH = 1000
"""Old events deleted per round at most."""

Ready = Callable[[], Awaitable[bool]]


def _pending(now: datetime, grace: float) -> QuerySet[PublishEvent]:
    return (
        PublishEvent.filter(
            announced_at__isnull=True, created_at__lte=now - timedelta(seconds=grace)
        )
        .order_by("id")
        .limit(BATCH)
    )


async def _announce(plugins: pluggy.PluginManager, rows: list[PublishEvent]) -> list[int]:
    """Deliver each row's event; the ids every core consumer took."""
    done = []
    for row in rows:
        if await events.deliver(plugins, events.from_row(row)):
            done.append(int(row.id))
    return done


async def _claimed_round(plugins: pluggy.PluginManager, now: datetime, grace: float) -> list[int]:
    """PostgreSQL: lock the pending rows (skipping those another process holds), announce them
    outside that transaction, then mark them in it. The lock is held by a task of its own, so
    that the consumers' queries do not run inside the relay's transaction."""
    loop = asyncio.get_running_loop()
    claimed: asyncio.Future[list[PublishEvent]] = loop.create_future()
    announced: asyncio.Future[list[int]] = loop.create_future()

    async def hold() -> None:
        try:
            async with in_transaction():
                claimed.set_result(await _pending(now, grace).select_for_update(skip_locked=True))
                await events.mark_announced(await announced, now)
        except Exception as exc:
            if not claimed.done():
                claimed.set_exception(exc)
            raise
        finally:
            claimed.cancel()  # no-op once it has its rows

    holder = asyncio.create_task(hold(), name="gqlnews-relay-claim")
    try:
        rows = await claimed
    except BaseException:
        holder.cancel()
        await asyncio.gather(holder, return_exceptions=True)
        raise
    done: list[int] = []
    try:
        done = await _announce(plugins, rows)
    finally:
        announced.set_result(done)
        await holder
    return done


async def relay_once(
    plugins: pluggy.PluginManager,
    grace: float,
    retention_days: int = 0,
    now: datetime | None = None,
    ready: Ready | None = None,
) -> int:
    """One round: announce the events unannounced for ``grace`` seconds, delete the announced
    ones older than ``retention_days`` (0: keep them); how many events it announced."""
    now = now or datetime.now(UTC)
    done: list[int] = []
    if ready is None or await ready():
        if connection_dialect(connection()) == "postgres":
            done = await _claimed_round(plugins, now, grace)
        else:
            done = await _announce(plugins, await _pending(now, grace))
            await events.mark_announced(done, now)
    if done:
        metrics.EVENTS_ANNOUNCED.labels("relay").inc(len(done))
        log.warning(
            "event relay: announced %d event(s) that were not (ids %d to %d)",
            len(done),
            min(done),
            max(done),
            extra={"events": len(done)},
        )
    left = await PublishEvent.filter(announced_at__isnull=True).count()
    metrics.EVENTS_PENDING.set(left)
    if retention_days > 0:
        await _prune(now - timedelta(days=retention_days))
    return len(done)


async def _prune(before: datetime) -> None:
    ids = (
        await PublishEvent.filter(announced_at__lt=before)
        .order_by("id")
        .limit(PRUNE_BATCH)
        .values_list("id", flat=True)
    )
    if ids:
        deleted = await PublishEvent.filter(id__in=list(ids)).delete()
        metrics.EVENTS_PRUNED.inc(deleted)
        log.info("event relay: deleted %d event(s) announced before %s", deleted, before)


class Relay(Periodic):
    """The relay of one server process (started and stopped by the lifespan)."""

    def __init__(
        self,
        plugins: pluggy.PluginManager,
        interval: float,
        grace: float,
        retention_days: int,
        ready: Ready | None = None,
    ) -> None:
        self.plugins = plugins
        self.grace = grace
        self.retention_days = retention_days
        self.ready = ready
        super().__init__("event relay", interval, self._once, log)

    async def _once(self, stopping: Callable[[], bool]) -> None:
        await relay_once(self.plugins, self.grace, self.retention_days, ready=self.ready)
