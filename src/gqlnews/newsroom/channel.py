"""The Redis side of the events: every event this process announces is published on the
``gqlnews:events`` channel (other processes and machines follow it: subscriptions, webhooks),
as a core consumer of the ``gqlnews_event`` hook (:func:`gqlnews.newsroom.events.subscribe`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from gqlnews.newsroom.events import CHANNEL, Event, message

if TYPE_CHECKING:
    import redis.asyncio as redis

log = logging.getLogger("gqlnews.events")


class RedisChannel:
    """Publishes events on Redis through one client (its own small pool) of this process."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self._client: redis.Redis = redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    async def send(self, event: Event) -> None:
        """Publish ``event``; raises when Redis does not take it (the relay retries)."""
        await self._client.publish(CHANNEL, message(event))

    async def reachable(self) -> bool:
        """Whether Redis answers a ping (the relay waits for it before announcing again)."""
        try:
            return bool(await self._client.ping())
        except Exception as exc:
            log.info("event relay: Redis unreachable (%s); events wait in the outbox", exc)
            return False

    async def aclose(self) -> None:
        await self._client.aclose()
