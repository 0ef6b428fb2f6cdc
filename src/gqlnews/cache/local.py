"""The in-process tier: a least-recently-used map of answers, bounded in bytes, with an index
from each surrogate key to the answers that carry it (so a purge touches only those).

Dropping an answer leaves its other keys' index entries behind (cleaning them would cost one
set operation per key of every dropped answer: a purge of thousands of answers carrying dozens
of keys each). A stale index entry names an answer that is gone, or one stored again under the
same cache key: a later purge then drops the newer one too, which is only ever too much, never
too little. The index is rebuilt from the live answers when stale entries outnumber live ones
:data:`STALE_FACTOR` to one."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from gqlnews.cache.entry import Entry
from gqlnews.cache.keys import EVERYTHING

STALE_FACTOR = 3


@dataclass(slots=True)
class Counts:
    """What happened to the tier since it was made (metrics read the differences)."""

    evictions: int = 0
    purged: int = 0


class LocalTier:
    """Answers by cache key, at most ``max_bytes`` of them (least recently used out first)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.counts = Counts()
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._by_key: dict[str, set[str]] = {}
        self._indexed = 0
        """References in ``_by_key``, stale ones included."""
        self._live = 0
        """References the live answers need."""

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, cache_key: str, now: float) -> Entry | None:
        """The live entry for ``cache_key`` (an expired one is dropped)."""
        entry = self._entries.get(cache_key)
        if entry is None:
            return None
        if entry.expires <= now:
            self._drop(cache_key)
            return None
        self._entries.move_to_end(cache_key)
        return entry

    def put(self, cache_key: str, entry: Entry) -> None:
        """Store ``entry``, evicting the least recently used ones beyond ``max_bytes``; an
        entry bigger than the whole tier is not stored."""
        if entry.size > self.max_bytes:
            return
        if cache_key in self._entries:
            self._drop(cache_key)
        self._entries[cache_key] = entry
        self.bytes += entry.size
        for key in entry.keys:
            self._by_key.setdefault(key, set()).add(cache_key)
        self._indexed += len(entry.keys)
        self._live += len(entry.keys)
        while self.bytes > self.max_bytes:
            oldest = next(iter(self._entries))
            self._drop(oldest)
            self.counts.evictions += 1
        self._compact()

    def purge(self, keys: Iterable[str]) -> int:
        """Drop every entry that carries one of ``keys`` (all of them for ``*``); returns how
        many were dropped."""
        keys = set(keys)
        if EVERYTHING in keys:
            dropped = len(self._entries)
            self._entries.clear()
            self._by_key.clear()
            self.bytes = self._indexed = self._live = 0
        else:
            dropped = 0
            for key in keys:
                holders = self._by_key.pop(key, ())
                self._indexed -= len(holders)
                for cache_key in holders:
                    if cache_key in self._entries:
                        self._drop(cache_key)
                        dropped += 1
            self._compact()
        self.counts.purged += dropped
        return dropped

    def _drop(self, cache_key: str) -> None:
        entry = self._entries.pop(cache_key)
        self.bytes -= entry.size
        self._live -= len(entry.keys)

    def _compact(self) -> None:
        """Rebuild the index from the live answers once it is mostly stale."""
        if self._indexed <= STALE_FACTOR * self._live + 10_000:
            return
        index: dict[str, set[str]] = {}
        for cache_key, entry in self._entries.items():
            for key in entry.keys:
                index.setdefault(key, set()).add(cache_key)
        self._by_key = index
        self._indexed = self._live
