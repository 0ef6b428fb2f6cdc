"""Where buckets live: this process's memory, or Redis when configured (shared by every
process), falling back to this process's memory while Redis does not answer.

A failure is logged once; Redis is tried again :data:`RETRY_SECONDS` later (by one request
at a time: the others meanwhile count in this process), and a success logs that it is back.
No request ever fails because of Redis.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from gqlnews.ratelimit.buckets import DEFAULT_MAX_KEYS, LocalBuckets, Rate
from gqlnews.ratelimit.shared import SharedBuckets

if TYPE_CHECKING:
    import redis.asyncio as redis

log = logging.getLogger("gqlnews.ratelimit")

RETRY_SECONDS = 2.0
"""How long the buckets stay in this process after Redis failed, before it is tried again."""
REDIS_TIMEOUT_SECONDS = 0.5
"""A rate-limit call to Redis gives up after this long (then the local buckets answer)."""


class Limiter:
    """Takes tokens from buckets by key; ``clock`` gives seconds (wall-clock time by default,
    as Redis buckets are shared by machines)."""

    def __init__(
        self,
        redis_url: str = "",
        space: str = "",
        *,
        clock: Callable[[], float] = time.time,
        max_local_keys: int = DEFAULT_MAX_KEYS,
    ) -> None:
        self.redis_url = redis_url
        self.space = space
        self.clock = clock
        self.local = LocalBuckets(max_local_keys)
        self._client: redis.Redis | None = None
        self._shared: SharedBuckets | None = None
        self._retry_at = 0.0
        """While Redis is failing: when (``clock``) to try it again."""
        self._degraded = False
        self._probing = False

    @property
    def degraded(self) -> bool:
        """Redis is configured but was unreachable at the last try."""
        return self._degraded

    async def take(self, key: str, rate: Rate) -> float:
        """Take a token from ``key``'s bucket: 0.0 when allowed, else seconds to wait."""
        now = self.clock()
        if self.redis_url and self._may_use_redis():
            try:
                wait = await self._buckets().take(key, rate, now)
            except Exception as exc:  # refused, timed out, reset…: count here meanwhile
                self._failed(exc)
            else:
                self._succeeded()
                return wait
            finally:
                self._probing = False
        return self.local.take(key, rate, now)

    async def aclose(self) -> None:
        """Close the Redis connections (the app's lifespan calls it on shutdown)."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
            self._shared = None

    def _may_use_redis(self) -> bool:
        if not self._degraded:
            return True
        if self._probing or self.clock() < self._retry_at:
            return False
        self._probing = True
        return True

    def _buckets(self) -> SharedBuckets:
        if self._shared is None:
            import redis.asyncio as redis

            self._client = redis.from_url(
                self.redis_url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self._shared = SharedBuckets(self._client, self.space)
        return self._shared

    def _failed(self, exc: BaseException) -> None:
        self._retry_at = self.clock() + RETRY_SECONDS
        if not self._degraded:
            self._degraded = True
            log.warning(
                "Redis unreachable (%s): rate limits are counted in this process until it is back",
                exc,
            )

    def _succeeded(self) -> None:
        if self._degraded:
            self._degraded = False
            log.info("Redis is reachable: rate limits are shared again")
