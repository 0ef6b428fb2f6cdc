"""Outbox events → deliveries, read by id after a stored cursor (``webhook_cursor``).

Nothing depends on an announcement arriving: every round reads the events after the cursor,
makes a delivery for each endpoint an event concerns (at most one per endpoint and event: a
unique constraint, and the ones already made are skipped), then moves the cursor.

Ids are taken when an event is written but become visible when its transaction commits, so a
slower transaction can commit a *smaller* id after a larger one was read. The cursor therefore
stops before a hole in the ids until the hole is :data:`GAP_GRACE` old (a transaction that
rolled back leaves a hole forever); the events after the hole are handled meanwhile (and
skipped when read again). With PostgreSQL one process at a time runs a round (the cursor row
is locked, ``SKIP LOCKED``: the others skip it); SQLite has one writer anyway.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from gqlnews.models import PublishEvent, WebhookCursor, WebhookDelivery, WebhookEndpoint
from gqlnews.webhooks.payloads import Prepared, prepare

CURSOR_ID = 1
ROUND_SIZE = 200
"""Most events read in one round."""
GAP_GRACE = timedelta(seconds=30)
"""How long a hole in the outbox ids may still be filled by a transaction committing late."""


def concerns(endpoint: WebhookEndpoint, prepared: Prepared) -> bool:
    """Whether ``endpoint`` wants this event (its kinds, its sections, registered before)."""
    if int(prepared.event.id) <= endpoint.after_event_id:
        return False
    if prepared.event.kind not in endpoint.events:
        return False
    return not endpoint.section_ids or bool(prepared.section_ids & set(endpoint.section_ids))


async def _cursor() -> None:
    """Make the cursor row once (two processes may race to: one wins)."""
    if not await WebhookCursor.exists(id=CURSOR_ID):
        with contextlib.suppress(IntegrityError):
            await WebhookCursor.create(id=CURSOR_ID, last_event_id=0)


async def fan_out(now: datetime) -> int:
    """One round at ``now``: the deliveries made (0 when another process holds the cursor)."""
    await _cursor()
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "sqlite":  # the write lock first (see publishing)
            await WebhookCursor.filter(id=CURSOR_ID).update(last_event_id=F("last_event_id"))
        cursor = (
            await WebhookCursor.filter(id=CURSOR_ID).select_for_update(skip_locked=True).first()
        )
        if cursor is None:
            return 0
        endpoints = list(await WebhookEndpoint.filter(enabled=True))
        if not endpoints:
            return 0
        # Events up to the oldest endpoint's registration concern none of them.
        start = max(cursor.last_event_id, min(e.after_event_id for e in endpoints))
        events = list(await PublishEvent.filter(id__gt=start).order_by("id").limit(ROUND_SIZE))
        made = await _deliveries(events, endpoints, now) if events else 0
        last = _advance(start, events, now)
        if last != cursor.last_event_id:
            await WebhookCursor.filter(id=CURSOR_ID).update(last_event_id=last)
    return made


def _advance(last: int, events: list[PublishEvent], now: datetime) -> int:
    """The new cursor: past every event read, but not past a hole younger than the grace."""
    for event in events:
        if int(event.id) != last + 1 and event.created_at > now - GAP_GRACE:
            return last
        last = int(event.id)
    return last


async def _deliveries(
    events: list[PublishEvent], endpoints: list[WebhookEndpoint], now: datetime
) -> int:
    made = await WebhookDelivery.filter(event_id__in=[int(e.id) for e in events]).values_list(
        "endpoint_id", "event_id"
    )
    done = {(int(endpoint), int(event)) for endpoint, event in made}
    rows = [
        WebhookDelivery(
            endpoint_id=endpoint.pk,
            event_id=int(p.event.id),
            event_kind=p.event.kind,
            article_id=int(p.event.article_id),
            body=p.body,
            created_at=now,
            next_attempt_at=now,
        )
        for p in await prepare(events, now)
        for endpoint in endpoints
        if (endpoint.pk, int(p.event.id)) not in done and concerns(endpoint, p)
    ]
    if rows:
        await WebhookDelivery.bulk_create(rows)
    return len(rows)
