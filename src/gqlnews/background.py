"""What the server's background loops (the scheduler, the webhook dispatcher) share."""

from __future__ import annotations

import asyncio
import contextlib


async def finish(task: asyncio.Task[None], grace: float) -> None:
    """Wait for ``task`` (told to stop) to end after the work in hand; cancel it if that takes
    longer than ``grace`` seconds."""
    try:
        await asyncio.wait_for(asyncio.shield(task), grace)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
