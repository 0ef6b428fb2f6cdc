"""What an answer depends on, recorded while it executes.

Resolvers, types and plugin fields call :func:`depends_on` with surrogate keys (see
:mod:`gqlnews.cache.keys` for their names) and :func:`max_age` when the answer may only be kept
for a while; :func:`uncacheable` keeps it out of the cache altogether. The view opens a
:func:`collecting` scope around each request: outside one, these calls do nothing, so code
run by commands and tests needs no cache.

The scope lives in a context variable: tasks that Strawberry starts for async fields copy the
context, and so share the request's :class:`Dependencies`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(slots=True)
class Dependencies:
    """The keys an answer carries, the shortest lifetime asked for, and whether it may be
    stored at all."""

    keys: set[str] = field(default_factory=set)
    max_age: float | None = None
    cacheable: bool = True
    operation: str | None = None
    """``query``, ``mutation`` or ``subscription`` once execution started."""


_current: ContextVar[Dependencies | None] = ContextVar("gqlnews_cache_deps", default=None)


@contextmanager
def collecting() -> Iterator[Dependencies]:
    """Record the dependencies of the code run inside (one request)."""
    deps = Dependencies()
    token = _current.set(deps)
    try:
        yield deps
    finally:
        _current.reset(token)


def current() -> Dependencies | None:
    """The scope of the running request, or None outside one."""
    return _current.get()


def depends_on(*keys: str) -> None:
    """The answer being built shows something these keys name (purging one drops it)."""
    deps = _current.get()
    if deps is not None:
        deps.keys.update(keys)


def depends_on_all(keys: Iterable[str]) -> None:
    """:func:`depends_on` for an iterable of keys."""
    deps = _current.get()
    if deps is not None:
        deps.keys.update(keys)


def max_age(seconds: float) -> None:
    """The answer may be kept at most ``seconds`` (e.g. a ranking recomputed every minute)."""
    deps = _current.get()
    if deps is not None and (deps.max_age is None or seconds < deps.max_age):
        deps.max_age = seconds


def uncacheable() -> None:
    """The answer must not be stored (it depends on something no key can name)."""
    deps = _current.get()
    if deps is not None:
        deps.cacheable = False
