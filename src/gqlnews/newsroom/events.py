"""Publishing events: written to an outbox table in the transaction that caused them, then
announced after the commit to in-process listeners and, when Redis is configured, on the
``gqlnews:events`` channel (cache purges, webhooks and subscriptions listen there)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson

from gqlnews.models.revision import PublishEvent

log = logging.getLogger("gqlnews.events")
CHANNEL = "gqlnews:events"


class EventKind(StrEnum):
    PUBLISHED = "published"
    RELEASED = "released"
    """An embargo lifted: the article is public from now on."""
    UNPUBLISHED = "unpublished"
    DELETED = "deleted"
    """Moved to the trash: whatever showed it must forget it."""
    RESTORED = "restored"
    """Taken out of the trash (public again if it was published)."""
    REFUSED = "refused"
    """A scheduled publication or an embargo lifting was refused by a before_publish hook."""
    UPDATED = "updated"
    """An article that was public, or is public now, changed (a correction, an embargo set…);
    the payload's ``was`` holds its section, tag and author ids before the change."""


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    kind: EventKind
    article_id: int
    payload: dict[str, Any]


Listener = Callable[[Event], Awaitable[None]]
_listeners: list[Listener] = []
_redis_url = ""


def configure(redis_url: str) -> None:
    """Announce events on Redis too (the server calls this at startup when Redis is set)."""
    global _redis_url
    _redis_url = redis_url


def listen(listener: Listener) -> Callable[[], None]:
    """Call ``listener`` after each committed event of this process; returns an unsubscribe."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


async def write(kind: EventKind, article_id: int, **payload: Any) -> Event:
    """Add an event to the outbox (inside the caller's transaction)."""
    row = await PublishEvent.create(kind=kind.value, article_id=article_id, payload=payload)
    return Event(int(row.id), kind, article_id, payload)


async def announce(event: Event) -> None:
    """Tell listeners and Redis about a committed event; failures are logged, never raised
    (the event stays in the outbox)."""
    for listener in list(_listeners):
        try:
            await listener(event)
        except Exception:
            log.exception("event listener failed on %s", event.kind)
    if _redis_url:
        try:
            import redis.asyncio as redis

            client = redis.from_url(_redis_url)
            try:
                message = {"id": event.id, "kind": event.kind.value, "article_id": event.article_id}
                await client.publish(CHANNEL, orjson.dumps({**message, **event.payload}))
            finally:
                await client.aclose()
        except Exception:
            log.exception("could not announce event %d on Redis", event.id)
