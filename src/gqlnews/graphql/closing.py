"""Closing the work that graphql-core's cancellation drops before it starts.

When a field fails in a way that nulls its parent (a non-null field, or an item of a list of
non-null items), or when the request's deadline cancels execution, graphql-core cancels the
sibling work still pending (``gather_with_cancel``: one task per field or list item). A task
cancelled before its first step closes its coroutine without running it, and the coroutines
that coroutine was handed, already made (a resolver's, or graphql-core's own gathering of an
object's fields or a list's items), are never awaited nor closed. Python then reports
"coroutine ... was never awaited" whenever the garbage collector reaches them: in the
server's log, and in the tests as an error of whichever test is running at that moment (the
flaky failures of tests/test_plans.py, found with its generated document 391: a
``supplement.articles`` beside a ``tags { articles(page: 0) }`` that fails).

:func:`gather_closing` is graphql-core's ``gather_with_cancel`` (the same results, the same
first error, the same cancellation) that also notes, before starting them, the coroutines
each awaitable was handed, and when it ends by an error or a cancellation closes those that
never started, and theirs in turn. :func:`install` makes graphql-core's executor use it.
"""

from __future__ import annotations

import inspect
from asyncio import ensure_future, gather
from collections.abc import Awaitable, Iterable
from typing import Any

import graphql.execution.executor as graphql_executor


def _coroutines_in(values: Iterable[Any]) -> list[Any]:
    """The coroutines among ``values``, and among the items of the lists, tuples and
    dictionaries there (how graphql-core holds the work of an object's fields)."""
    found: list[Any] = []
    for value in values:
        if inspect.iscoroutine(value):
            found.append(value)
        elif type(value) in (list, tuple):
            found.extend(item for item in value if inspect.iscoroutine(item))
        elif type(value) is dict:
            found.extend(item for item in value.values() if inspect.iscoroutine(item))
    return found


def handed(awaitable: Any) -> list[Any]:
    """The coroutines a coroutine that has not started was handed (its arguments and the
    variables it closes over); nothing for anything else."""
    if not inspect.iscoroutine(awaitable):
        return []
    frame = awaitable.cr_frame
    if frame is None or inspect.getcoroutinestate(awaitable) != inspect.CORO_CREATED:
        return []
    return _coroutines_in(frame.f_locals.values())


def close_unstarted(coroutines: Iterable[Any]) -> int:
    """Close those of ``coroutines`` that never started, and the unstarted ones they were
    handed, depth first; how many were closed."""
    closed = 0
    for coroutine in coroutines:
        if inspect.getcoroutinestate(coroutine) != inspect.CORO_CREATED:
            continue
        within = handed(coroutine)
        coroutine.close()
        closed += 1 + close_unstarted(within)
    return closed


async def gather_closing(*awaitables: Awaitable[Any]) -> list[Any]:
    """graphql-core's ``gather_with_cancel``: the awaitables' results, run side by side; at
    the first error the others are cancelled (and settled) and the error raised; a
    cancellation cancels them all. In both cases, what the awaitables were handed and never
    started is closed."""
    owned = [coroutine for awaitable in awaitables for coroutine in handed(awaitable)]
    futures = [ensure_future(awaitable) for awaitable in awaitables]
    try:
        return await gather(*futures)
    except Exception:
        for future in futures:
            if not future.done():
                future.cancel()
        await gather(*futures, return_exceptions=True)
        close_unstarted(owned)
        raise
    except BaseException:  # cancelled: gather has cancelled the awaitables and settled them
        close_unstarted(owned)
        raise


def install() -> None:
    """Make graphql-core's executor gather with :func:`gather_closing` (once per process;
    graphql-core 3.3 names ``gather_with_cancel`` in its executor module)."""
    if not hasattr(graphql_executor, "gather_with_cancel"):
        raise RuntimeError("graphql-core's executor no longer gathers with gather_with_cancel")
    graphql_executor.gather_with_cancel = gather_closing
