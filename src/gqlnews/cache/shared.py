"""The Redis tier: answers shared by every server process, each surrogate key a Redis set of
the answers that carry it, and an epoch that every purge increments.

A process that missed reads the epoch with the entry (one ``MGET``) and stores its answer only
if the epoch has not moved since (a Lua script checks it): an answer computed from rows read
before a change cannot be stored after that change's purge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gqlnews.cache.entry import Entry
from gqlnews.cache.keys import EVERYTHING

if TYPE_CHECKING:
    import redis.asyncio as redis

PREFIX = "gqlnews:cache:"
"""Every Redis key of the tier starts with it, then the namespace (see :func:`namespace`)."""


def namespace(database_url: str) -> str:
    """The tier's namespace for a database: processes serving the same database share
    answers and purges; two sites on one Redis never see each other's."""
    return hashlib.sha256(database_url.encode()).hexdigest()[:16]


_STORE = """
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ttl)
for i = 6, #ARGV do
  local holders = ARGV[4] .. ARGV[i]
  redis.call('SADD', holders, ARGV[5])
  local left = redis.call('PTTL', holders)
  if left == -1 or (left >= 0 and left < ttl) then redis.call('PEXPIRE', holders, ttl) end
end
return 1
"""

_PURGE = """
local seen, doomed, sets = {}, {}, {}
for i = 2, #KEYS do
  for _, member in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    if not seen[member] then
      seen[member] = true
      doomed[#doomed + 1] = ARGV[1] .. member
    end
  end
  sets[#sets + 1] = KEYS[i]
end
local dropped = 0
for first = 1, #doomed, 500 do
  dropped = dropped + redis.call('UNLINK', unpack(doomed, first, math.min(first + 499, #doomed)))
end
for first = 1, #sets, 500 do
  redis.call('UNLINK', unpack(sets, first, math.min(first + 499, #sets)))
end
redis.call('INCR', KEYS[1])
return dropped
"""
"""Drops the answers of the surrogate keys' sets (each once), then the sets; UNLINK frees
them off Redis's main thread. Returns how many answers were dropped."""


def _bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


class SharedTier:
    """Answers in Redis under :data:`PREFIX`; every call may raise Redis's errors (the caller
    degrades to the in-process tier)."""

    def __init__(self, client: redis.Redis, space: str) -> None:
        self.client = client
        base = f"{PREFIX}{space}:"
        self.entry, self.by_key, self.epoch = base + "e:", base + "k:", base + "epoch"
        self.channel = base + "purge"
        """Pub/sub channel of purges: ``{"origin": …, "keys": […]}``."""
        self._store: Any = client.register_script(_STORE)
        self._purge: Any = client.register_script(_PURGE)

    async def get(self, cache_key: str) -> tuple[bytes, Entry | None]:
        """The current epoch and the entry for ``cache_key`` (None when absent)."""
        epoch, raw = await self.client.mget([self.epoch, self.entry + cache_key])
        return _bytes(epoch or b"0"), (Entry.loads(_bytes(raw)) if raw else None)

    async def put(self, cache_key: str, entry: Entry, epoch: bytes, ttl_ms: int) -> bool:
        """Store ``entry`` unless a purge happened since ``epoch`` was read; True if stored."""
        args = [epoch, entry.dumps(), max(ttl_ms, 1), self.by_key, cache_key, *entry.keys]
        return bool(await self._store(keys=[self.epoch, self.entry + cache_key], args=args))

    async def purge(self, keys: Iterable[str]) -> int:
        """Delete the answers that carry one of ``keys`` (all for ``*``); returns how many."""
        keys = set(keys)
        if EVERYTHING in keys:
            dropped = 0
            async for name in self.client.scan_iter(match=self.entry + "*", count=1000):
                dropped += await self.client.unlink(name)
            async for name in self.client.scan_iter(match=self.by_key + "*", count=1000):
                await self.client.unlink(name)
            await self.client.incr(self.epoch)
            return dropped
        holders = [self.by_key + key for key in sorted(keys)]
        return int(await self._purge(keys=[self.epoch, *holders], args=[self.entry]))

    async def announce(self, origin: str, keys: Iterable[str]) -> None:
        """Tell the other processes to purge ``keys`` from their own tier."""
        import orjson

        await self.client.publish(
            self.channel, orjson.dumps({"origin": origin, "keys": list(keys)})
        )
