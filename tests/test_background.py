"""The background loops' shared waits: a loop asleep in one can always be stopped."""

from __future__ import annotations

import asyncio

import pytest

from gqlnews.background import finish, wait_set


async def _sleeper(event: asyncio.Event, rounds: list[int]) -> None:
    """A loop woken by ``event``, stopped only by ``cancel()`` (as the event feed is)."""
    while True:
        await wait_set(event, 60)
        event.clear()
        rounds.append(1)


async def test_wait_set_says_whether_the_event_was_set() -> None:
    event = asyncio.Event()
    assert await wait_set(event, 0.01) is False
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await wait_set(event, 5) is True


async def test_a_cancellation_that_comes_as_the_event_is_set_stops_the_loop() -> None:
    """``asyncio.wait_for`` on Python 3.11 drops this cancellation (it returns the event's
    result), the loop goes round again, and whoever awaits the task waits for ever: the
    server's shutdown hung that way, one time in tens under load."""
    event, rounds = asyncio.Event(), list[int]()
    task = asyncio.create_task(_sleeper(event, rounds))
    await asyncio.sleep(0)  # the task is asleep in wait_set
    event.set()
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=2)  # no second cancel on its time-out
    if not done:
        task.cancel()
    assert done == {task} and task.cancelled() and rounds == []


async def test_a_cancellation_that_comes_as_the_wait_times_out_stops_the_loop() -> None:
    event = asyncio.Event()
    task = asyncio.create_task(wait_set(event, 0.05))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 2)


async def test_finish_waits_for_the_work_in_hand_then_cancels_after_the_grace() -> None:
    ended: list[str] = []

    async def work(seconds: float) -> None:
        try:
            await asyncio.sleep(seconds)
            ended.append("done")
        except asyncio.CancelledError:
            ended.append("cancelled")
            raise

    await finish(asyncio.create_task(work(0.01)), grace=5)
    assert ended == ["done"]
    slow = asyncio.create_task(work(60))
    await finish(slow, grace=0.05)
    assert ended == ["done", "cancelled"] and slow.cancelled()
