"""Prebuilt SQL for the plans' batches: a queryset's statement is built once per shape, and
each call only swaps its parameters.

Building a Tortoise statement (filters resolved, pypika rendering) costs more than running it
for the small look-ups of a page. A :class:`Prepared` look-up builds its queryset once per
shape — the kind of viewer and the number of keys — with stand-in values for the request's
instant, day, account and keys, renders it, and remembers where each stand-in landed among
the parameters. A call then fills in the real values and runs the statement through Tortoise's
own executor (the same model instances, ``select_related`` included). The queryset is the one
the loaders build (``visibility`` decides what is visible, not this module); when a stand-in
does not come back as a parameter exactly (a driver conversion, say), that shape is not
prepared and the queryset runs as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tortoise.queryset import QuerySet

from gqlnews.models import UserRole
from gqlnews.visibility import SEE_EVERYTHING, Viewer, today

_NOW = datetime(1111, 11, 11, 11, 11, 11, 111111, tzinfo=UTC)
_DAY = today(_NOW)
_USER = -(10**15) + 7
_KEY = -(10**15) + 1_000_000
MAX_SHAPES = 256
"""Statements kept per look-up (shapes beyond are built each time)."""

Build = Callable[[Viewer, datetime, list[int]], QuerySet[Any]]


@dataclass(frozen=True, slots=True)
class _Statement:
    model: Any
    sql: str
    slots: tuple[tuple[str, Any], ...]
    """Per parameter: ("const", value), ("now", _), ("day", _), ("user", _) or ("key", i)."""
    select_related_idx: Any


def _kind(viewer: Viewer) -> str:
    if viewer.role in SEE_EVERYTHING:
        return "all"
    return "own" if viewer.user_id is not None else "public"


def _stand_in(kind: str) -> Viewer:
    if kind == "all":
        return Viewer(user_id=_USER, role=UserRole.EDITOR)
    return Viewer(user_id=_USER, role=UserRole.AUTHOR) if kind == "own" else Viewer()


def _slot(value: Any, keys: int) -> tuple[str, Any]:
    if isinstance(value, datetime) and value == _NOW:
        return ("now", None)
    if type(value) is date and value == _DAY:
        return ("day", None)
    if type(value) is int and value == _USER:
        return ("user", None)
    if type(value) is int and _KEY <= value < _KEY + keys:
        return ("key", value - _KEY)
    return ("const", value)


def _database(model: Any) -> Any:
    """The connection a queryset of ``model`` would use now (the request's context)."""
    queryset = model.all()
    queryset._choose_db_if_not_chosen()
    return queryset._db


class Prepared:
    """A look-up by keys whose statement is built once per shape (see the module)."""

    def __init__(self, build: Build, model: Any) -> None:
        self.build = build
        self._model = model
        self._statements: dict[tuple[str, str, int], _Statement | None] = {}

    def _prepare(self, kind: str, size: int) -> _Statement | None:
        stand_ins = [_KEY + i for i in range(size)]
        queryset = self.build(_stand_in(kind), _NOW, stand_ins)
        queryset._choose_db_if_not_chosen()
        queryset._make_query()
        sql, params = queryset.query.get_parameterized_sql()
        slots = tuple(_slot(value, size) for value in params)
        found = {index for name, index in slots if name == "key"}
        if found != set(range(size)) or any(str(v) in sql for v in (_USER, _KEY)):
            return None  # a stand-in did not come back as a parameter: run it as built
        return _Statement(queryset.model, sql, slots, queryset._select_related_idx)

    def _dialect(self) -> str:
        return "" if self._model is None else type(_database(self._model)).__name__

    async def fetch(self, viewer: Viewer, now: datetime, keys: Sequence[int]) -> list[Any]:
        """The rows of the queryset built for ``viewer`` at ``now`` for ``keys``."""
        if not keys:
            return []
        kind, size = _kind(viewer), len(keys)
        shape = (self._dialect(), kind, size)
        if shape in self._statements:
            statement = self._statements[shape]
        else:
            statement = self._prepare(kind, size)
            if len(self._statements) < MAX_SHAPES:
                self._statements[shape] = statement
        if statement is None:
            return list(await self.build(viewer, now, list(keys)))
        values = {"now": now, "day": today(now), "user": viewer.user_id}
        params = [
            keys[arg] if name == "key" else arg if name == "const" else values[name]
            for name, arg in statement.slots
        ]
        db = _database(statement.model)
        executor = db.executor_class(
            model=statement.model,
            db=db,
            prefetch_map={},
            prefetch_queries={},
            select_related_idx=statement.select_related_idx,
        )
        return list(await executor.execute_select(statement.sql, params, custom_fields=[]))
