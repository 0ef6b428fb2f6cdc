"""The clocks of bench/profile_requests.py (run that script): where an uncached request's time goes,
per phase: parse, validate (with the cost check), execution (resolvers or a plan's walk,
DataLoaders, SQL awaited), SQL alone, and the rest (HTTP view, JSON encoding, middleware),
with the resolved fields of the answer.

Phases are timed by a schema extension (its hooks run once per phase, not per field, so the
timing costs a few µs per request); SQL is the wall time during which at least one of the
database client's statements was awaited (side-by-side statements of DataLoader batches count
once; on SQLite they queue behind the one connection, so this includes that wait). "Resolved
fields" counts the keys of the answer's ``data``, which is what a resolver produced, nested
objects included.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

PHASES = ("parse", "validate", "execute", "sql", "rest", "total")


@dataclasses.dataclass
class Clock:
    """Seconds per phase, summed over the requests sent."""

    seconds: dict[str, float] = dataclasses.field(default_factory=lambda: dict.fromkeys(PHASES, 0))
    statements: int = 0
    in_flight: int = 0
    since: float = 0.0


CLOCK = Clock()
"""The clock the extension and the SQL wrappers add to (reset it with :func:`reset`)."""


def reset() -> Clock:
    """A fresh :data:`CLOCK` (returned), for the next page."""
    global CLOCK
    CLOCK = Clock()
    return CLOCK


def timing_extension() -> type[Any]:
    from strawberry.extensions import SchemaExtension

    class PhaseTimer(SchemaExtension):
        def _timed(self, phase: str) -> Iterator[None]:
            started = time.perf_counter()
            yield
            CLOCK.seconds[phase] += time.perf_counter() - started

        def on_parse(self) -> Iterator[None]:
            yield from self._timed("parse")

        def on_validate(self) -> Iterator[None]:
            yield from self._timed("validate")

        def on_execute(self) -> Iterator[None]:
            yield from self._timed("execute")

    return PhaseTimer


def time_sql(client_class: type[Any]) -> None:
    """Wrap the statement methods of the app's database client class to sum their awaited
    time (once, at the class the app uses: its parents' methods run inside)."""

    def wrap(original: Any) -> Any:
        async def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
            clock = CLOCK  # the clock of the request that sent it, even if it ends later
            if clock.in_flight == 0:
                clock.since = time.perf_counter()
            clock.in_flight += 1
            try:
                return await original(self, *args, **kwargs)
            finally:
                clock.in_flight -= 1
                clock.statements += 1
                if clock.in_flight == 0:
                    clock.seconds["sql"] += time.perf_counter() - clock.since

        return timed

    for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_many"):
        setattr(client_class, name, wrap(getattr(client_class, name)))


def resolved_fields(value: Any) -> int:
    """The keys of ``value`` (an answer's ``data``), nested objects and lists included."""
    if isinstance(value, dict):
        return len(value) + sum(resolved_fields(item) for item in value.values())
    if isinstance(value, list):
        return sum(resolved_fields(item) for item in value)
    return 0
