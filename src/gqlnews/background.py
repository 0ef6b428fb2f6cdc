"""What the server's background loops (the scheduler, the webhook dispatcher, the event feed)
share."""

from __future__ import annotations

import asyncio
import contextlib


async def wait_set(event: asyncio.Event, seconds: float) -> bool:
    """Wait until ``event`` is set or ``seconds`` have passed; whether it is set.

    A loop that sleeps here can be stopped by ``cancel()``. ``asyncio.wait_for`` cannot do
    that reliably on Python 3.11: a cancellation that arrives while the event is being set is
    dropped (it returns the event's result instead), and the loop goes round again, so a
    shutdown that awaits the cancelled task waits for ever. ``asyncio.timeout`` keeps it."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
    return event.is_set()


async def finish(task: asyncio.Task[None], grace: float) -> None:
    """Wait for ``task`` (told to stop) to end after the work in hand; cancel it if that takes
    longer than ``grace`` seconds."""
    try:
        async with asyncio.timeout(grace):
            await asyncio.shield(task)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
