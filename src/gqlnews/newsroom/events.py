"""Publishing events: written to an outbox table (``publish_event``) in the transaction that
caused them, then announced after the commit through ONE path, the ``gqlnews_event`` hook.

Who receives them: the plugins, the core's own consumers (the response cache's purge, the
Redis channel ``gqlnews:events`` that the other processes and machines follow), each as an
implementation of that hook. A core consumer registers itself with :func:`subscribe`.

An event is marked announced (``announced_at``) once every core consumer took it. When one
failed (Redis down) or the process died between the commit and the announce, the event relay
(:mod:`gqlnews.newsroom.relay`) announces it again: receivers may see an event more than once
and tell by its ``id``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
import pluggy

from gqlnews.models.event import Event, EventKind
from gqlnews.models.revision import PublishEvent
from gqlnews.observability import events as metrics
from gqlnews.plugins.calls import call_answers
from gqlnews.plugins.markers import hookimpl

log = logging.getLogger("gqlnews.events")
CHANNEL = "gqlnews:events"
CORE = "gqlnews."
"""The prefix of the names core consumers are registered under (``gqlnews.cache``…); what
makes one a core consumer is that :func:`subscribe` registered it."""

__all__ = ["CHANNEL", "Event", "EventKind", "announce", "deliver", "subscribe", "write"]


Receive = Callable[[Event], Awaitable[None]]


def from_row(row: PublishEvent) -> Event:
    """The event an outbox row holds."""
    return Event(int(row.id), EventKind(row.kind), int(row.article_id), dict(row.payload or {}))


def message(event: Event) -> bytes:
    """The JSON message of ``event`` on the Redis channel: ``id``, ``kind``, ``article_id``
    and the payload's keys."""
    head = {"id": event.id, "kind": event.kind.value, "article_id": event.article_id}
    return orjson.dumps({**head, **event.payload})


async def write(kind: EventKind, article_id: int, **payload: Any) -> Event:
    """Add an event to the outbox (inside the caller's transaction)."""
    row = await PublishEvent.create(kind=kind.value, article_id=article_id, payload=payload)
    return Event(int(row.id), kind, article_id, payload)


class _Receiver:
    """A core consumer, as a plugin object implementing ``gqlnews_event``."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive

    @hookimpl
    async def gqlnews_event(self, event: Event) -> None:
        await self._receive(event)


def subscribe(plugins: pluggy.PluginManager, name: str, receive: Receive) -> Callable[[], None]:
    """Have ``receive`` called with every event this process announces (after its commit, or
    by the relay), as the core implementation ``gqlnews.<name>`` of ``gqlnews_event``.

    Unlike a plugin's, a failure of ``receive`` leaves the event unannounced: the relay
    announces it again (to every receiver) a few seconds later. Returns the unsubscribe.
    """
    receiver = _Receiver(receive)
    plugins.register(receiver, name=f"{CORE}{name}")

    def unsubscribe() -> None:
        if plugins.is_registered(receiver):
            plugins.unregister(receiver)

    return unsubscribe


async def deliver(plugins: pluggy.PluginManager, event: Event) -> bool:
    """Call ``gqlnews_event`` for ``event``; whether every core consumer took it (a plugin's
    failure is logged and does not count)."""
    delivered = True
    for answer in await call_answers(plugins, "gqlnews_event", event=event):
        if answer.error is None:
            continue
        core = isinstance(plugins.get_plugin(answer.plugin), _Receiver)
        delivered = delivered and not core
        log.error(
            "%s failed on event %d (%s)%s",
            answer.plugin if core else f"plugin {answer.plugin!r}",
            event.id,
            event.kind.value,
            ": the relay will announce it again" if core else "",
            exc_info=answer.error,
            extra={"plugin": answer.plugin, "hook": "gqlnews_event", "event": event.id},
        )
    return delivered


async def mark_announced(ids: Sequence[int], now: datetime | None = None) -> None:
    """Record that the events ``ids`` were announced."""
    if ids:
        await PublishEvent.filter(id__in=list(ids), announced_at__isnull=True).update(
            announced_at=now or datetime.now(UTC)
        )


async def announce(plugins: pluggy.PluginManager | None, event: Event) -> bool:
    """Announce a committed event and mark it announced; whether it was. Without plugins (a
    write outside a server) the event waits in the outbox for a server's relay. Failures are
    logged, never raised: the write is done."""
    if plugins is None:
        return False
    try:
        if not await deliver(plugins, event):
            metrics.EVENTS_FAILED.inc()
            return False
        await mark_announced([event.id])
    except Exception:
        log.exception("event %d (%s) not announced; the relay will", event.id, event.kind.value)
        metrics.EVENTS_FAILED.inc()
        return False
    metrics.EVENTS_ANNOUNCED.labels("commit").inc()
    return True
