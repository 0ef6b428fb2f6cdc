"""Work that graphql-core's cancellation drops before it starts is closed, not left to the
garbage collector's "coroutine ... was never awaited" (see :mod:`gqlnews.graphql.closing`)."""

from __future__ import annotations

import asyncio
import gc
import inspect
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import graphql.execution.executor as graphql_executor
import pytest
from graphql.pyutils import gather_with_cancel

from gqlnews.graphql.closing import gather_closing
from gqlnews.graphql.schema import build_schema
from gqlnews.settings import Settings

Gather = Callable[..., Awaitable[list[Any]]]


@pytest.fixture
def unraisable() -> Iterator[list[str]]:
    """What Python reports as unraisable (a coroutine never awaited) meanwhile."""
    seen: list[str] = []
    before = sys.unraisablehook
    sys.unraisablehook = lambda report: seen.append(repr(report.object))
    yield seen
    sys.unraisablehook = before


async def _resolver() -> str:
    return "a value nobody waits for"


async def _completing(result: Awaitable[str]) -> str:
    """Like graphql-core's ``complete_awaitable_value``: handed a resolver's coroutine."""
    return await result


async def _gathering(results: dict[str, Any]) -> dict[str, Any]:
    """Like graphql-core's ``get_results``: closes over the work of an object's fields."""
    return {key: await value for key, value in results.items()}


async def _cancelled_early(gather_: Gather) -> list[Any]:
    """Gathers two pieces of work, cancelled before either starts (a deadline, or a sibling
    of the parent that failed); returns the coroutines they were handed: two resolvers' and
    the completion of one of them (held as graphql-core holds an object's fields)."""
    resolvers = [_resolver(), _resolver()]
    inner = _completing(resolvers[1])
    work = [_completing(resolvers[0]), _gathering({"a": inner})]
    task = asyncio.ensure_future(gather_(*work))
    await asyncio.sleep(0)  # the gathering starts; the tasks it made have not run yet
    task.cancel()
    cancelled = False
    try:
        await task
    except asyncio.CancelledError:
        cancelled = True
    assert cancelled
    for _ in range(3):  # the cancelled tasks take their step
        await asyncio.sleep(0)
    return [*resolvers, inner]


async def test_work_cancelled_before_it_starts_is_closed(unraisable: list[str]) -> None:
    handed = await _cancelled_early(gather_closing)
    assert [inspect.getcoroutinestate(c) for c in handed] == [inspect.CORO_CLOSED] * 3
    del handed
    gc.collect()
    assert unraisable == []


async def test_graphql_cores_own_gathering_leaves_it_never_awaited() -> None:
    """The same with graphql-core's ``gather_with_cancel``: what was handed is left neither
    awaited nor closed, what the closing prevents (so the test above can fail)."""
    handed = await _cancelled_early(gather_with_cancel)
    assert [inspect.getcoroutinestate(c) for c in handed] == [inspect.CORO_CREATED] * 3
    for coroutine in handed:
        coroutine.close()  # not to leave the warning to another test


async def test_results_and_the_first_error_are_graphql_cores() -> None:
    async def value(n: int) -> int:
        await asyncio.sleep(0)
        return n

    async def failing() -> int:
        raise ValueError("the first error")

    assert await gather_closing(value(1), value(2)) == [1, 2]
    slow = _completing(_resolver())
    with pytest.raises(ValueError, match="the first error"):
        await gather_closing(failing(), slow)
    assert inspect.getcoroutinestate(slow) == inspect.CORO_CLOSED


def test_the_schema_installs_it_in_graphql_core() -> None:
    build_schema(Settings())
    assert graphql_executor.gather_with_cancel is gather_closing  # type: ignore[attr-defined]
