"""How a write says what it changed: ``await purge(keys)`` after its commit.

The server's response cache listens here (it drops its own answers, tells the other processes
through Redis and calls the ``gqlnews_cache_purged`` hook). In a process without a server (a
command), nothing listens and a purge is a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

log = logging.getLogger("gqlnews.cache")

PurgeListener = Callable[[frozenset[str]], Awaitable[None]]
_listeners: list[PurgeListener] = []


def listen(listener: PurgeListener) -> Callable[[], None]:
    """Call ``listener`` with the keys of each purge of this process; returns an unsubscribe."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


async def purge(keys: Iterable[str]) -> None:
    """Drop every cached answer that carries one of ``keys``. Call it after the commit that
    changed what they name; failures are logged, never raised (the write is done)."""
    frozen = frozenset(keys)
    if not frozen:
        return
    for listener in list(_listeners):
        try:
            await listener(frozen)
        except Exception:
            log.exception("cache purge listener failed")
