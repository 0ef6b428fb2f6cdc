"""Bounded counts: how many rows a list holds, up to a cap, without scanning past it.

``COUNT(*)`` over a whole list reads every row it holds: fine at ten thousand articles, not at
a million. Here the rows are counted in a sub-query cut at ``cap + 1`` (the same statement on
SQLite and PostgreSQL), so a count costs at most ``cap + 1`` rows read, and one more than the
cap says that the list holds more than the cap.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tortoise.queryset import QuerySet

from gqlnews.db import ids_statement
from gqlnews.graphql.sharing import SharedResult


async def bounded_count(queryset: QuerySet[Any], cap: int) -> int:
    """How many rows ``queryset`` (a whole list: no limit, no offset) selects, counting no
    further than ``cap + 1`` (one statement): a result above ``cap`` means "more than
    ``cap``"."""
    if queryset._limit is not None or queryset._offset is not None:
        raise ValueError("a bounded count counts a whole list, not a page of it")
    inner, params, conn = ids_statement(queryset)
    return await count_statement(inner, params, conn, cap + 1)


async def count_statement(inner: str, params: list[Any], conn: Any, limit: int) -> int:
    """How many rows the statement ``inner`` (a selection of ids, without a limit of its own)
    answers, up to ``limit``, on ``conn``.

    The limit is written into the statement's text, not sent as a parameter: PostgreSQL plans
    an unknown limit as a tenth of the rows, and once it keeps a generic plan for a statement
    (after five runs on a connection) it then walks the whole archive by date to stop early,
    which it never does: the front page's count took 17–19 ms instead of 2–6 ms on the
    10,000-article archive (bench/plans-results.md, sixth round)."""
    statement = f"SELECT COUNT(*) AS n FROM ({inner} LIMIT {int(limit)}) AS bounded"
    rows = await conn.execute_query_dict(statement, params)
    return int(rows[0]["n"])


@dataclass(frozen=True, slots=True)
class Count:
    """A count made under a cap: ``value`` is at most the cap, ``exact`` says whether it is the
    list's whole size (False: the list holds more than ``value``)."""

    value: int
    exact: bool

    @classmethod
    def of(cls, counted: int, cap: int) -> Count:
        """The count of a list that :func:`bounded_count` counted as ``counted``."""
        return cls(min(counted, cap), counted <= cap)

    def pages(self, per_page: int) -> int:
        """How many pages of ``per_page`` items the counted items fill (at least one)."""
        return max(1, math.ceil(self.value / per_page))


@dataclass(slots=True)
class LazyCount:
    """A count run at most once, and only when a field asks for it: ``count(cap)`` returns the
    bounded count (see :func:`bounded_count`). ``totalCount``, ``totalCountIsExact`` and
    ``pageCount`` of one connection share it."""

    count: Callable[[int], Awaitable[int]]
    _running: SharedResult[int] | None = field(default=None, init=False)

    async def get(self, cap: int) -> Count:
        """The count under ``cap``; the first call runs it, the others wait for its result."""
        if self._running is None:
            self._running = SharedResult(lambda: self.count(cap))
        return Count.of(await self._running.get(), cap)
