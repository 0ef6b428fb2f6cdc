"""Token buckets in Redis, shared by every server process of one database.

One Lua script reads, refills, takes and writes a bucket atomically (a hash with the token
count ``t`` and the time of that count ``s``), and sets the key to expire once the bucket
would be full again: an idle bucket costs Redis nothing. Time comes from the caller (the
servers' clocks; a skew of a few seconds between machines only shifts refills that much).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gqlnews.ratelimit.buckets import Rate

if TYPE_CHECKING:
    import redis.asyncio as redis

PREFIX = "gqlnews:ratelimit:"
"""Every key starts with it, then the namespace of the database (as the response cache's)."""

_TAKE = """
local capacity = tonumber(ARGV[1])
local per_second = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 's')
local tokens = tonumber(state[1])
local stamp = tonumber(state[2])
if tokens == nil or stamp == nil then
  tokens, stamp = capacity, now
elseif now > stamp then
  tokens = math.min(capacity, tokens + (now - stamp) * per_second)
  stamp = now
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / per_second
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 's', tostring(stamp))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / per_second * 1000) + 1000)
return tostring(wait)
"""


class SharedBuckets:
    """Buckets under ``gqlnews:ratelimit:<space>:``; every call may raise Redis's errors (the
    caller falls back to its own buckets)."""

    def __init__(self, client: redis.Redis, space: str) -> None:
        self.client = client
        self.prefix = f"{PREFIX}{space}:"
        self._take: Any = client.register_script(_TAKE)

    async def take(self, key: str, rate: Rate, now: float) -> float:
        """As :meth:`gqlnews.ratelimit.buckets.LocalBuckets.take`, atomically in Redis."""
        args = [rate.capacity, repr(rate.per_second), repr(now)]
        wait = await self._take(keys=[self.prefix + key], args=args)
        return float(wait)
