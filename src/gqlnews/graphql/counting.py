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
    """How many rows ``queryset`` selects, counting no further than ``cap + 1`` (one
    statement): a result above ``cap`` means "more than ``cap``"."""
    inner, params, conn = ids_statement(queryset.limit(cap + 1))
    return await count_statement(inner, params, conn)


async def count_statement(inner: str, params: list[Any], conn: Any) -> int:
    """How many rows the statement ``inner`` (a selection of ids, cut at its own limit)
    answers, on ``conn``."""
    rows = await conn.execute_query_dict(f"SELECT COUNT(*) AS n FROM ({inner}) AS bounded", params)
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
