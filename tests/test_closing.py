"""Resolvers that graphql-core drops before they start are closed, not left to the garbage
collector's "coroutine ... was never awaited" (see :mod:`gqlnews.graphql.closing`)."""

from __future__ import annotations

import asyncio
import gc
import inspect
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import strawberry

from gqlnews.graphql.closing import ClosingExecutor


@strawberry.type
class _Query:
    @strawberry.field
    async def kept(self) -> str:
        return "kept"

    @strawberry.field
    async def dropped(self) -> str | None:
        return "never"

    @strawberry.field
    async def slow(self) -> str:
        await asyncio.sleep(10)
        return "late"


class _Dropping(ClosingExecutor):
    """Does to ``dropped`` what graphql-core's cancellation does to a sibling whose task had
    not run yet: its ``complete_awaitable_value`` coroutine is closed before its first step,
    and None stands for its value."""

    resolvers: list[Any] = []  # noqa: RUF012 (the dropped resolvers' coroutines, for the test)

    def complete_awaitable_value(self, *args: Any) -> Any:
        completing = super().complete_awaitable_value(*args)
        if args[2].field_name != "dropped":
            return completing
        _Dropping.resolvers.append(args[4])
        completing.close()  # type: ignore[attr-defined]

        async def nothing() -> None:
            return None

        return nothing()


class _Leaking(_Dropping):
    def close_unstarted(self) -> int:
        return 0


@pytest.fixture
def unraisable() -> Iterator[list[str]]:
    """What Python reports as unraisable (a coroutine never awaited) meanwhile."""
    seen: list[str] = []
    before = sys.unraisablehook
    sys.unraisablehook = lambda report: seen.append(repr(report.object))
    yield seen
    sys.unraisablehook = before


async def _run(executor: type[ClosingExecutor]) -> Any:
    schema = strawberry.Schema(query=_Query, execution_context_class=executor)
    result = await schema.execute("{ kept dropped }")
    _Dropping.resolvers.clear()
    gc.collect()
    return result


async def test_a_resolver_dropped_unstarted_is_closed(unraisable: list[str]) -> None:
    result = await _run(_Dropping)
    assert result.data == {"kept": "kept", "dropped": None}
    assert unraisable == []


async def test_without_closing_it_is_reported_never_awaited(unraisable: list[str]) -> None:
    """The same run with nothing closed: the report the closing prevents (so the test above
    can fail)."""
    await _run(_Leaking)
    assert any("_async_resolver" in report for report in unraisable), unraisable


async def test_execution_cut_short_closes_what_it_started(unraisable: list[str]) -> None:
    """An execution cancelled before its response (a deadline) closes what it dropped."""
    _Dropping.resolvers.clear()
    schema = strawberry.Schema(query=_Query, execution_context_class=_Dropping)
    task = asyncio.ensure_future(schema.execute("{ slow dropped }"))
    await asyncio.sleep(0.05)  # execution waits on ``slow``; ``dropped`` was dropped
    task.cancel()
    cancelled = False
    try:
        await task
    except asyncio.CancelledError:
        cancelled = True
    assert cancelled
    assert [inspect.getcoroutinestate(c) for c in _Dropping.resolvers] == [inspect.CORO_CLOSED]
    _Dropping.resolvers.clear()
    gc.collect()
    assert unraisable == []
