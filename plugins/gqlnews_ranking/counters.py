"""Where views wait between two flushes: in this process, or in Redis for every instance.

Recording a view is one dictionary increment (no await, so no lock to take) or one Redis
HINCRBY. A flush *takes* everything counted so far in one atomic step and, when the database
write fails, *gives it back*.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

import redis.asyncio as redis

from gqlnews_ranking.store import Counts

TIMEOUT_SECONDS = 2.0


class ViewCounter(Protocol):
    """Views counted since the last flush, by ``(article id, hour)``."""

    async def add(self, article_id: int, hour: int) -> None:
        """Count one view."""
        ...

    async def take(self) -> Counts:
        """Everything counted so far, removed from the counter at once."""
        ...

    async def give_back(self, counts: Counts) -> None:
        """Put back what :meth:`take` returned (the write failed)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class MemoryCounter:
    """Counts in this process: each instance flushes its own."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[int, int]] = Counter()

    async def add(self, article_id: int, hour: int) -> None:
        self._counts[(article_id, hour)] += 1

    async def take(self) -> Counts:
        counts, self._counts = self._counts, Counter()
        return dict(counts)

    async def give_back(self, counts: Counts) -> None:
        self._counts.update(counts)

    async def close(self) -> None:
        return None


class RedisCounter:
    """Counts in one Redis hash shared by every instance (field ``"article:hour"``); any
    instance's flush writes everyone's views."""

    def __init__(self, url: str, key: str) -> None:
        self.key = key
        # a Redis that stops answering fails the read's mutation quickly instead of hanging it
        self._redis = redis.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
        )

    async def add(self, article_id: int, hour: int) -> None:
        await self._redis.hincrby(self.key, f"{article_id}:{hour}", 1)

    async def take(self) -> Counts:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(self.key)
            pipe.delete(self.key)
            raw, _deleted = await pipe.execute()
        counts: Counts = {}
        for field, value in raw.items():
            article_id, _, hour = field.decode().partition(":")
            counts[(int(article_id), int(hour))] = int(value)
        return counts

    async def give_back(self, counts: Counts) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for (article_id, hour), views in counts.items():
                pipe.hincrby(self.key, f"{article_id}:{hour}", views)
            await pipe.execute()

    async def close(self) -> None:
        await self._redis.aclose()
