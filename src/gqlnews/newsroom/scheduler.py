"""The in-server scheduler: publishes due scheduled articles and lifts due embargoes.

Every server process runs one (``GQLNEWS_SCHEDULER_INTERVAL`` seconds between rounds, 2 by
default; 0 turns it off). Each round asks for the due articles and sends each through the
publishing path (:func:`gqlnews.newsroom.publishing.go_public`), which locks the row with
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL and re-checks that it is still due inside the
transaction: with several processes on one database each article is published exactly once
(on SQLite, writers are serialised and the re-check does the same).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from gqlnews.background import finish
from gqlnews.models import Article
from gqlnews.newsroom.publishing import Publisher, Why, due, go_public
from gqlnews.observability.metrics import SCHEDULER_ACTIONS

log = logging.getLogger("gqlnews.scheduler")
ROUND_SIZE = 50


async def run_once(
    publisher: Publisher,
    now: datetime | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> int:
    """One round: act on what is due at ``now``; how many articles were acted on here.
    ``stopping`` is asked between articles."""
    now = now or datetime.now(UTC)
    done = 0
    for why in (Why.SCHEDULED, Why.EMBARGO_LIFTED):
        rows = await Article.filter(due(why, now)).order_by("id").limit(ROUND_SIZE).values("id")
        for article_id in (int(row["id"]) for row in rows):
            if stopping():
                return done
            try:
                outcome = await go_public(article_id, why, publisher, now)
            except Exception:
                log.exception("scheduler: %s of article %s failed; retrying", why, article_id)
                continue
            if outcome is not None:
                done += 1
                SCHEDULER_ACTIONS.labels(outcome.event.kind.value).inc()
                log.info("scheduler: article %s %s", article_id, outcome.event.kind.value)
    return done


class Scheduler:
    """Runs :func:`run_once` every ``interval`` seconds until stopped."""

    def __init__(
        self,
        publisher: Publisher,
        interval: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.publisher = publisher
        self.interval = interval
        self.clock = clock
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._run(), name="gqlnews-scheduler")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop after the article in hand: a publication is never cut inside its
        transaction (cancelled only if it takes longer than ``grace`` seconds)."""
        if self._task is None:
            return
        self._stopping.set()
        await finish(self._task, grace)
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await run_once(self.publisher, self.clock(), self._stopping.is_set)
            except Exception:
                log.exception("scheduler round failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)
