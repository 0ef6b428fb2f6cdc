"""Python's garbage collector while the app serves: what startup made is left out of its
collections, and young collections come less often.

A served process holds about 125,000 objects made at startup (the modules, the schema, the
ORM's models, the plugins) that live as long as it does. Python's collector goes through all
of them in each full collection (about 65 ms here), and it starts a young collection every
700 new container objects: about once per planned front page of the 10k archive, three
times per executed one, and a full collection every 50 to 250 requests. ``bench/gc_cost.py``
measured 0.58–0.63 ms of collecting per planned front page and 1.8–2.2 ms per executed one
(8–9 % and 13–15 % of their CPU); frozen, and with a young collection every 10,000 new
objects, 0.05 and 0.10 ms, for 1–8 MB more memory per process (bench/gc-results.md).

While the app runs (its lifespan, see :mod:`gqlnews.lifespan`), :func:`tuned` freezes the
objects that exist (``gc.freeze``: they stay, and are no longer gone through) and sets the
young generation's threshold to ``GQLNEWS_GC_THRESHOLD``; the older generations keep
Python's. Cycles made while serving are still collected, a little later. Several apps in
one process (tests) share it: the first to start sets it, the last to stop puts back what
it found.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _Users:
    count: int = 0
    found: tuple[int, ...] = field(default_factory=gc.get_threshold)


_users = _Users()


@contextmanager
def tuned(young_threshold: int) -> Iterator[None]:
    """While the block runs, the objects of the process so far are frozen out of the
    collector's work and a young collection runs every ``young_threshold`` new container
    objects. 0 or less: the collector is left as it is."""
    if young_threshold <= 0:
        yield
        return
    if _users.count == 0:
        _users.found = gc.get_threshold()
        gc.set_threshold(young_threshold, *_users.found[1:])
    _users.count += 1
    gc.freeze()
    try:
        yield
    finally:
        _users.count -= 1
        if _users.count == 0:
            gc.unfreeze()
            gc.set_threshold(*_users.found)
