"""Outbox events → deliveries, read by id after each endpoint's stored cursor
(``webhook_endpoint.last_event_id``).

Nothing depends on an announcement arriving: every round reads the events after the
endpoints' cursors, makes a delivery for each endpoint an event concerns (at most one per
endpoint and event: a unique constraint), then moves the cursors. A new endpoint's cursor
starts at the newest event when it is registered; a disabled endpoint's stays where it was
and jumps to the newest event when it is enabled again (what happened meanwhile is not sent).

Ids are taken when an event is written but become visible when its transaction commits, so a
slower transaction can commit a *smaller* id after a larger one was read. A cursor therefore
stops before a hole in the ids until the hole is :data:`GAP_GRACE` old (a transaction that
rolled back leaves a hole forever); the events after the hole are handled meanwhile (and
skipped when read again). With PostgreSQL the endpoints' rows are locked for the round
(``FOR UPDATE SKIP LOCKED``: another process skips them); SQLite has one writer anyway.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from gqlnews.models import PublishEvent, WebhookDelivery, WebhookEndpoint
from gqlnews.webhooks.payloads import Prepared, prepare

ROUND_SIZE = 200
"""Most events read in one round."""
GAP_GRACE = timedelta(seconds=30)
"""How long a hole in the outbox ids may still be filled by a transaction committing late."""


def concerns(endpoint: WebhookEndpoint, prepared: Prepared) -> bool:
    """Whether ``endpoint`` wants this event (after its cursor, its kinds, its sections)."""
    if int(prepared.event.id) <= endpoint.last_event_id:
        return False
    if prepared.event.kind not in endpoint.events:
        return False
    return not endpoint.section_ids or bool(prepared.section_ids & set(endpoint.section_ids))


async def fan_out(now: datetime) -> int:
    """One round at ``now``: the deliveries made."""
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "sqlite":  # the write lock first (see publishing)
            await WebhookEndpoint.filter(enabled=True).update(last_event_id=F("last_event_id"))
        endpoints = list(
            await WebhookEndpoint.filter(enabled=True).select_for_update(skip_locked=True)
        )
        if not endpoints:
            return 0
        start = min(e.last_event_id for e in endpoints)
        events = list(await PublishEvent.filter(id__gt=start).order_by("id").limit(ROUND_SIZE))
        if not events:
            return 0
        made = await _deliveries(events, endpoints, now)
        for endpoint in endpoints:
            last = advance(endpoint.last_event_id, events, now)
            if last != endpoint.last_event_id:
                await WebhookEndpoint.filter(id=endpoint.pk).update(last_event_id=last)
    return made


def advance(last: int, events: list[PublishEvent], now: datetime) -> int:
    """A cursor at ``last`` moved past the ``events`` read (in id order), but not past a hole
    in the ids younger than :data:`GAP_GRACE`."""
    for event in events:
        if int(event.id) <= last:
            continue
        if int(event.id) != last + 1 and event.created_at > now - GAP_GRACE:
            return last
        last = int(event.id)
    return last


async def _deliveries(
    events: list[PublishEvent], endpoints: list[WebhookEndpoint], now: datetime
) -> int:
    made = await WebhookDelivery.filter(
        event_id__in=[int(e.id) for e in events], endpoint_id__in=[e.pk for e in endpoints]
    ).values_list("endpoint_id", "event_id")
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
