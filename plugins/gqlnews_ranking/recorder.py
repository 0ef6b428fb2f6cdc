"""Counting views cheaply and writing them to the buckets every few seconds.

``record`` touches only the counter (memory or Redis), never the database, so readers never
wait on a lock or a write. A background task flushes the counter every
``GQLNEWS_RANKING_FLUSH_SECONDS``: it takes the counts in one atomic step and adds them to the
buckets in one statement per 1,000 buckets. The price: a view shows in rankings after the next
flush, and a crash loses at most the views of one interval (the in-memory ones; with Redis,
only those taken by a flush that died before writing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime

from starlette.applications import Starlette

from gqlnews.api import Settings
from gqlnews_ranking.config import RankingConfig
from gqlnews_ranking.counters import MemoryCounter, RedisCounter, ViewCounter
from gqlnews_ranking.hours import hour_of
from gqlnews_ranking.store import add_live

STATE = "ranking"
"""The recorder lives at ``app.state.ranking``."""

log = logging.getLogger("gqlnews.plugins.ranking")


class ViewRecorder:
    """Counts views and writes them to the database on :meth:`flush`."""

    def __init__(self, counter: ViewCounter, flush_seconds: float) -> None:
        self.counter = counter
        self.flush_seconds = flush_seconds
        self._flushing = asyncio.Lock()  # flushes only: recording never takes it
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def record(self, article_id: int, moment: datetime) -> int:
        """Count a view of ``article_id`` at ``moment``; the hour bucket it counts in."""
        hour = hour_of(moment)
        await self.counter.add(article_id, hour)
        return hour

    async def flush(self) -> int:
        """Write every view counted so far (by any instance, with Redis); how many. On failure
        the views go back to the counter for the next flush, and the error is raised."""
        async with self._flushing:
            counts = await self.counter.take()
            if not counts:
                return 0
            try:
                await add_live(counts)
            except BaseException:
                await self.counter.give_back(counts)
                raise
            return sum(counts.values())

    def start(self) -> None:
        """Flush every ``flush_seconds`` in the background until :meth:`close`."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="gqlnews-ranking-flusher")

    async def _run(self) -> None:
        while True:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can drop a cancellation.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.flush_seconds):
                    await self._stopping.wait()
            if self._stopping.is_set():
                return
            try:
                await self.flush()
            except Exception:
                log.exception("writing views failed; they are kept for the next flush")

    async def close(self) -> None:
        """Stop the background task, write what is left, release the counter."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None
        try:
            await self.flush()
        except Exception:
            log.exception("writing the last views failed; they are lost")
        finally:
            await self.counter.close()


def make_recorder(settings: Settings, config: RankingConfig | None = None) -> ViewRecorder:
    """A recorder counting in Redis when ``settings.redis_url`` is set, else in memory."""
    config = config or RankingConfig.from_env()
    counter: ViewCounter = (
        RedisCounter(settings.redis_url, config.redis_key)
        if settings.redis_url
        else MemoryCounter()
    )
    return ViewRecorder(counter, config.flush_seconds)


def recorder_for(app: Starlette) -> ViewRecorder:
    """The app's recorder. The startup hook makes it; an app whose lifespan never ran (one
    embedded without it, some tests) gets one here, without the background flusher: call
    ``flush()`` yourself."""
    recorder: ViewRecorder | None = getattr(app.state, STATE, None)
    if recorder is None:
        log.warning("the ranking plugin did not start with the app: views wait for flush()")
        recorder = make_recorder(app.state.settings)
        setattr(app.state, STATE, recorder)
    return recorder
