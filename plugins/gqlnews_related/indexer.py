"""Keeps the text index up to date while the server runs: a background task per process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

log = logging.getLogger("gqlnews.plugins.related")

INTERVAL_ENV = "GQLNEWS_RELATED_INDEX_INTERVAL"
DEFAULT_INTERVAL = 5.0
ROUND_LIMIT = 1000
"""Articles indexed per round at most, so one round never holds the database for long."""


def interval_from_env() -> float:
    """Seconds between rounds (``GQLNEWS_RELATED_INDEX_INTERVAL``, default 5; 0 turns the
    background task off). A value that is not a number is refused when the server starts."""
    raw = os.environ.get(INTERVAL_ENV, "").strip()
    if not raw:
        return DEFAULT_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{INTERVAL_ENV} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"{INTERVAL_ENV} must be 0 (off) or a positive number of seconds")
    return value


class BackgroundIndexer:
    """Indexes new and changed articles every ``interval`` seconds until stopped."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name="gqlnews-related-indexer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        # Imported here: the plugin module imports this one, and the text index loads Tortoise.
        from gqlnews_related.text_index import index_stale

        while True:
            try:
                done = await index_stale(limit=ROUND_LIMIT)
            except Exception:
                log.exception("text index round failed; retrying in %.0f s", self.interval)
                done = 0
            if done:
                log.info("text index: %d article(s) indexed", done)
            if done < ROUND_LIMIT:
                await asyncio.sleep(self.interval)
