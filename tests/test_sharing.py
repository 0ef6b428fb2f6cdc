"""A result several fields wait for survives the cancellation of one of them, and stops
when all of them are cancelled (:mod:`gqlnews.graphql.sharing`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import httpx
import pytest
from strawberry.exceptions import WrongNumberOfResultsReturned

from gqlnews.demo import ANATOMY_SLUG
from gqlnews.graphql.sharing import SharedLoader, SharedResult

T = TypeVar("T")


class _Keys:
    """A batch function that records its calls and answers when told to."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []
        self.release = asyncio.Event()
        self.started = asyncio.Event()
        self.failure: Exception | None = None

    async def load(self, keys: list[int]) -> list[str]:
        self.calls.append(keys)
        self.started.set()
        await self.release.wait()
        if self.failure is not None:
            raise self.failure
        return [f"row {key}" for key in keys]


async def _turns(count: int = 3) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


async def _waiting(awaitable: Awaitable[T]) -> T:
    return await awaitable


async def _loading(loader: SharedLoader[int, str], key: int) -> str:
    return await loader.load(key)


async def test_a_cancelled_waiter_leaves_the_others_their_answer() -> None:
    keys = _Keys()
    loader = SharedLoader[int, str](load_fn=keys.load)
    first = asyncio.ensure_future(_waiting(loader.load(1)))
    second = asyncio.ensure_future(_waiting(loader.load(1)))
    await keys.started.wait()
    first.cancel()
    await _turns()
    assert first.cancelled()  # at once, not when the result comes
    keys.release.set()
    assert await second == "row 1"
    assert keys.calls == [[1]]


async def test_load_many_cancelled_leaves_a_single_load_its_answer() -> None:
    keys = _Keys()
    loader = SharedLoader[int, str](load_fn=keys.load)
    many = asyncio.ensure_future(loader.load_many([1, 2]))
    one = asyncio.ensure_future(_waiting(loader.load(2)))
    await keys.started.wait()
    many.cancel()
    await _turns()
    keys.release.set()
    assert await one == "row 2"
    assert keys.calls == [[1, 2]]


async def test_when_every_waiter_is_cancelled_the_batch_is_not_run() -> None:
    keys = _Keys()
    loader = SharedLoader[int, str](load_fn=keys.load)
    waiters = [asyncio.ensure_future(_loading(loader, key)) for key in (1, 1, 2)]
    await asyncio.sleep(0)  # each has asked; the batch is scheduled, not run
    for waiter in waiters:
        waiter.cancel()
    await _turns(5)
    assert all(waiter.cancelled() for waiter in waiters)
    assert keys.calls == []
    # the key is asked again from scratch afterwards (not in the batch whose run was
    # cancelled: it would never answer)
    keys.release.set()
    assert await asyncio.wait_for(loader.load(1), 5) == "row 1"
    assert keys.calls == [[1]]


async def test_when_every_waiter_is_cancelled_a_running_batch_is_cancelled() -> None:
    keys = _Keys()
    loader = SharedLoader[int, str](load_fn=keys.load)
    waiters = [asyncio.ensure_future(_waiting(loader.load(1))) for _ in range(2)]
    await keys.started.wait()
    for waiter in waiters:
        waiter.cancel()
    await _turns()
    assert all(waiter.cancelled() for waiter in waiters)
    batch = loader.cache_map.get(1)
    assert batch is not None and batch.cancelled()


async def test_an_error_reaches_every_waiter() -> None:
    keys = _Keys()
    keys.failure = LookupError("gone")
    loader = SharedLoader[int, str](load_fn=keys.load)
    waiters = [asyncio.ensure_future(_waiting(loader.load(1))) for _ in range(2)]
    keys.release.set()
    for waiter in waiters:
        with pytest.raises(LookupError, match="gone"):
            await waiter


async def test_a_loaded_key_is_handed_as_it_is() -> None:
    keys = _Keys()
    keys.release.set()
    loader = SharedLoader[int, str](load_fn=keys.load)
    assert await loader.load(3) == "row 3"
    done = loader.load(3)
    assert isinstance(done, asyncio.Future) and done.done()
    assert done is loader.cache_map.get(3)


async def test_a_shared_result_runs_once_and_survives_one_cancelled_caller() -> None:
    keys = _Keys()
    result = SharedResult(lambda: keys.load([7]))
    first = asyncio.ensure_future(_waiting(result.get()))
    second = asyncio.ensure_future(_waiting(result.get()))
    await keys.started.wait()
    first.cancel()
    await _turns()
    keys.release.set()
    assert await second == ["row 7"]
    assert await result.get() == ["row 7"]
    assert keys.calls == [[7]]


async def test_a_shared_result_with_no_caller_left_stops_and_runs_again_when_asked() -> None:
    keys = _Keys()
    result = SharedResult(lambda: keys.load([7]))
    callers = [asyncio.ensure_future(_waiting(result.get())) for _ in range(2)]
    await keys.started.wait()
    for caller in callers:
        caller.cancel()
    await _turns()
    keys.release.set()
    assert await result.get() == ["row 7"]
    assert keys.calls == [[7], [7]]


async def test_a_field_error_beside_a_shared_load_does_not_fail_the_request(
    client: httpx.AsyncClient,
) -> None:
    """``a.revisions`` refuses an anonymous reader (non-null: ``a`` becomes null), so
    graphql-core cancels ``a.url`` while it waits for the section path that ``b.url``
    waits for too."""
    document = """query ($slug: String!) {
      a: article(slug: $slug) { url revisions { number } }
      b: article(slug: $slug) { url }
    }"""
    response = await client.post(
        "/graphql", json={"query": document, "variables": {"slug": ANATOMY_SLUG}}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"]["a"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert body["data"]["b"]["url"].endswith(ANATOMY_SLUG)


# load_now: a caller that holds a whole batch (a plan's generation) loads it at once


async def test_load_now_loads_the_unknown_keys_in_one_call_and_keeps_them() -> None:
    keys = _Keys()
    keys.release.set()
    loader = SharedLoader[int, str](load_fn=keys.load)
    assert await loader.load(2) == "row 2"
    assert await loader.load_now([1, 2, 3, 1]) == ["row 1", "row 2", "row 3", "row 1"]
    assert keys.calls == [[2], [1, 3]]
    assert await loader.load(3) == "row 3"
    assert await loader.load_now([3, 1]) == ["row 3", "row 1"]
    assert keys.calls == [[2], [1, 3]]


async def test_load_now_waits_for_a_key_another_caller_is_loading() -> None:
    keys = _Keys()
    loader = SharedLoader[int, str](load_fn=keys.load)
    other = asyncio.ensure_future(_loading(loader, 1))
    await keys.started.wait()  # the other caller's batch runs
    now = asyncio.ensure_future(loader.load_now([1, 2]))
    await _turns()
    keys.release.set()
    assert await now == ["row 1", "row 2"]
    assert await other == "row 1"
    assert keys.calls == [[1], [2]]


async def _loading_now_and_waiting(
    keys: _Keys,
) -> tuple[SharedLoader[int, str], asyncio.Future[list[str]], asyncio.Future[str]]:
    """A load_now of key 1 under way, and another caller waiting for key 1."""
    loader = SharedLoader[int, str](load_fn=keys.load)
    now = asyncio.ensure_future(loader.load_now([1]))
    await keys.started.wait()
    other = asyncio.ensure_future(_loading(loader, 1))
    await _turns()
    return loader, now, other


async def test_a_cancelled_caller_of_a_key_load_now_loads_leaves_it_its_answer() -> None:
    keys = _Keys()
    _loader, now, other = await _loading_now_and_waiting(keys)
    other.cancel()
    await _turns()
    assert other.cancelled()
    keys.release.set()
    assert await now == ["row 1"]
    assert keys.calls == [[1]]


async def test_a_failing_load_now_fails_every_waiter_of_its_keys() -> None:
    keys = _Keys()
    keys.failure = RuntimeError("database gone")
    loader = SharedLoader[int, str](load_fn=keys.load)
    now = asyncio.ensure_future(loader.load_now([1, 2]))
    await keys.started.wait()
    other = asyncio.ensure_future(_loading(loader, 2))
    await _turns()
    keys.release.set()
    with pytest.raises(RuntimeError, match="database gone"):
        await now
    with pytest.raises(RuntimeError, match="database gone"):
        await other


async def test_a_cancelled_load_now_cancels_its_keys_for_every_waiter() -> None:
    keys = _Keys()
    loader, now, other = await _loading_now_and_waiting(keys)
    now.cancel()
    await _turns()
    assert now.cancelled() and other.cancelled()  # nobody is left waiting for an answer
    keys.release.set()
    assert await loader.load_now([1]) == ["row 1"]  # asked again: loaded again
    assert keys.calls == [[1], [1]]


async def test_load_now_raises_an_error_answered_for_a_key_and_a_wrong_count() -> None:
    async def some_errors(keys: list[int]) -> list[str | BaseException]:
        return [ValueError(f"no {key}") if key == 2 else f"row {key}" for key in keys]

    loader = SharedLoader[int, str](load_fn=some_errors)
    with pytest.raises(ValueError, match="no 2"):
        await loader.load_now([1, 2, 3])
    assert await loader.load_now([1, 3]) == ["row 1", "row 3"]

    async def short(keys: list[int]) -> list[str]:
        return ["only one"]

    with pytest.raises(WrongNumberOfResultsReturned):
        await SharedLoader[int, str](load_fn=short).load_now([1, 2])
