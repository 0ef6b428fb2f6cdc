"""A background task of the server process that runs a round every ``interval`` seconds until
stopped (the scheduler, the event relay)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from gqlnews.background import finish, wait_set

Round = Callable[[Callable[[], bool]], Awaitable[object]]
"""One round; it gets ``stopping()`` to ask between pieces of work."""


class Periodic:
    """Runs ``round`` every ``interval`` seconds (0: never) until :meth:`stop`; a round that
    raises is logged and the next one runs."""

    def __init__(self, name: str, interval: float, round: Round, log: logging.Logger) -> None:
        self.name = name
        self.interval = interval
        self._round = round
        self._log = log
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._run(), name=f"gqlnews-{self.name}")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop after the work in hand: a round is never cut inside a transaction (cancelled
        only if it takes longer than ``grace`` seconds)."""
        if self._task is None:
            return
        self._stopping.set()
        await finish(self._task, grace)
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._round(self._stopping.is_set)
            except Exception:
                self._log.exception("%s round failed; retrying", self.name)
            await wait_set(self._stopping, self.interval)
