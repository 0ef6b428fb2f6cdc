"""Token buckets kept in this process's memory, bounded in number.

A bucket holds at most ``capacity`` tokens and refills continuously at ``capacity`` per
``period`` seconds; each request takes one. A bucket left alone long enough to be full again
is the same as a missing one, so idle buckets can be dropped at no cost to correctness: the
store keeps the most recently used ``max_keys`` and drops the others first.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_KEYS = 50_000
"""Buckets one process keeps (about 230 bytes each, measured: ~12 MB at most)."""


@dataclass(frozen=True, slots=True)
class Rate:
    """``capacity`` tokens, refilled at ``capacity`` per ``period`` seconds."""

    capacity: int
    period: float

    @property
    def per_second(self) -> float:
        return self.capacity / self.period

    def wait(self, tokens: float, cost: float = 1.0) -> float:
        """Seconds until a bucket holding ``tokens`` holds ``cost``."""
        return max(0.0, (cost - tokens) / self.per_second)


class LocalBuckets:
    """Buckets by key, least recently used first out beyond ``max_keys``."""

    def __init__(self, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        self.max_keys = max_keys
        self._buckets: dict[str, list[float]] = {}
        """key -> [tokens, time of that count]; dict order is least recently used first."""

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str, rate: Rate, now: float) -> float:
        """Take a token from ``key``'s bucket: 0.0 when there was one, otherwise the seconds
        until there is (nothing is taken then)."""
        bucket = self._buckets.pop(key, None)
        if bucket is None:
            bucket = [float(rate.capacity), now]
            if len(self._buckets) >= self.max_keys:
                del self._buckets[next(iter(self._buckets))]
        else:
            elapsed = now - bucket[1]
            if elapsed > 0:
                bucket[0] = min(float(rate.capacity), bucket[0] + elapsed * rate.per_second)
                bucket[1] = now
        self._buckets[key] = bucket
        if bucket[0] >= 1.0:
            bucket[0] -= 1.0
            return 0.0
        return rate.wait(bucket[0])
