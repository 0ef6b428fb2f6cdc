"""The response cache of one server process: the in-process tier, the Redis tier when
configured, purges from this process's writes and from the others', and lifetimes bounded by
the next scheduled change.

Safety rules, in order of importance:

- an answer is stored only if no purge happened while it was computed (a generation number in
  this process, an epoch in Redis), so a purge can never be overtaken by an answer computed
  from the rows it was about;
- while Redis is configured but its purges cannot reach this process (at start, or when the
  connection drops), answers live ``cache_degraded_ttl`` seconds, the Redis tier is left
  alone, and everything this process held is dropped when the connection comes back;
- no answer outlives the next instant the public view changes by itself
  (:func:`gqlnews.cache.transitions.next_transition`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
import pluggy

from gqlnews.cache import bus, purge, transitions
from gqlnews.cache.deps import Dependencies
from gqlnews.cache.entry import Entry
from gqlnews.cache.keys import EVERYTHING
from gqlnews.cache.local import LocalTier
from gqlnews.cache.shared import SharedTier, namespace
from gqlnews.newsroom import events
from gqlnews.observability import metrics
from gqlnews.plugins import call_each
from gqlnews.settings import Settings

if TYPE_CHECKING:
    import redis.asyncio as redis

log = logging.getLogger("gqlnews.cache")

RECONNECT_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Ticket:
    """What a miss keeps to store its answer later: the cache key, and the generation (and
    Redis epoch, when the Redis tier was asked) it was computed under."""

    cache_key: str
    generation: int
    epoch: bytes | None


class ResponseCache:
    """Answers of one process. The app's lifespan calls :meth:`start`, which connects it to
    the purges; until then (and after :meth:`stop`) the view does not use it."""

    def __init__(self, settings: Settings, plugins: pluggy.PluginManager | None = None) -> None:
        self.local = LocalTier(settings.cache_max_bytes)
        self.ttl = settings.cache_ttl
        self.degraded_ttl = settings.cache_degraded_ttl
        self.redis_url = settings.redis_url
        self.space = namespace(settings.database_url)
        self.plugins = plugins
        self.origin = uuid.uuid4().hex
        self.generation = 0
        self.connected = not self.redis_url
        """Purges of the other processes reach this one (always True without Redis)."""
        self.forget_document: Callable[[str], None] = lambda _digest: None
        """Called with the hash of each document a purge names (the view's document store)."""
        self._client: redis.Redis | None = None
        self._shared: SharedTier | None = None
        self._pending: set[str] = set()
        self._transition: datetime | None = None
        self._transition_known = False
        self._unlisten: list[Callable[[], None]] = []
        self._task: asyncio.Task[None] | None = None
        self._evictions_seen = 0
        self._flights: dict[str, asyncio.Future[None]] = {}

    @property
    def started(self) -> bool:
        return bool(self._unlisten)

    def start(self) -> None:
        """Listen to this process's events and purges, and to Redis's purge channel."""
        if self.started:
            return
        self._unlisten = [bus.listen(self.on_purge)]
        if self.plugins is not None:
            self._unlisten.append(events.subscribe(self.plugins, "cache", self.on_event))
        if self.redis_url:
            import redis.asyncio as redis

            # The health check pings the purge listener's connection, so that a connection
            # that died silently is noticed within seconds.
            self._client = redis.from_url(
                self.redis_url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=5
            )
            self._shared = SharedTier(self._client, self.space)
            self._task = asyncio.get_running_loop().create_task(self._listen())

    async def stop(self) -> None:
        for unlisten in self._unlisten:
            unlisten()
        self._unlisten = []
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None
            self._shared = None

    @property
    def shared(self) -> SharedTier | None:
        """The Redis tier, when configured and its purges reach this process."""
        return self._shared if self.connected else None

    # --- reading and storing ---------------------------------------------------------

    async def get(self, cache_key: str) -> tuple[Entry | None, str, Ticket]:
        """The stored answer for ``cache_key`` and the tier it came from (``local``,
        ``redis``), or None and a ticket to store the answer with."""
        now = time.time()
        entry = self.local.get(cache_key, now)
        if entry is not None:
            return entry, "local", Ticket(cache_key, self.generation, None)
        generation, epoch, shared = self.generation, None, self.shared
        if shared is not None:
            try:
                epoch, entry = await shared.get(cache_key)
            except Exception as exc:
                self._lost(exc)
                epoch, entry = None, None
            if entry is not None and entry.expires > now and generation == self.generation:
                self.local.put(cache_key, entry)
                self._observe()
                return entry, "redis", Ticket(cache_key, generation, epoch)
        return None, "", Ticket(cache_key, generation, epoch)

    async def lookup(
        self, cache_key: str
    ) -> tuple[Entry | None, str, Ticket, Callable[[], None] | None]:
        """:meth:`get`, and on a miss, single flight: when another request of this process is
        already computing the same answer, wait for it and look again (a front page purged
        under load is computed once, not once per waiting reader). Otherwise this request
        leads: the last item is the callable to call once its answer is stored (or not)."""
        entry, tier, ticket = await self.get(cache_key)
        if entry is not None:
            return entry, tier, ticket, None
        running = self._flights.get(cache_key)
        if running is not None:
            await asyncio.shield(running)
            entry, tier, ticket = await self.get(cache_key)
            return entry, tier, ticket, None  # still missing (an error, a purge): compute
        flight: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._flights[cache_key] = flight

        def land() -> None:
            if self._flights.get(cache_key) is flight:
                del self._flights[cache_key]
            if not flight.done():
                flight.set_result(None)

        return None, "", ticket, land

    async def put(self, ticket: Ticket, body: bytes, etag: str, deps: Dependencies) -> Entry | None:
        """Store an answer computed under ``ticket`` unless a purge came in between; returns
        the entry (None when it was not stored)."""
        if ticket.generation != self.generation:
            return None
        now = datetime.now(UTC)
        if not self._transition_known or (self._transition is not None and self._transition <= now):
            generation = self.generation
            self._transition = await transitions.next_transition(now)
            self._transition_known = generation == self.generation
        ttl = float(self.ttl if self.connected else self.degraded_ttl)
        if deps.max_age is not None:
            ttl = min(ttl, deps.max_age)
        ttl = transitions.bounded(now, ttl, self._transition)
        if ttl <= 0 or ticket.generation != self.generation:
            return None
        entry = Entry(body, etag, tuple(sorted(deps.keys)), now.timestamp() + ttl)
        self.local.put(ticket.cache_key, entry)
        shared = self.shared
        if shared is not None and ticket.epoch is not None:
            try:
                await shared.put(ticket.cache_key, entry, ticket.epoch, int(ttl * 1000))
            except Exception as exc:
                self._lost(exc)
        self._observe()
        return entry

    # --- purging ---------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Purge what an outbox event's article touches (after its commit; the cache's
        implementation of ``gqlnews_event``: a failure has the relay announce it again).
        Every kind changes what the public may see (``updated`` is written only for articles
        that were or are public)."""
        was = event.payload.get("was")
        keys = await purge.article_keys([event.article_id], was if isinstance(was, dict) else None)
        await self.on_purge(frozenset(keys))

    async def on_purge(self, keys: frozenset[str]) -> None:
        """A purge of this process: here, in Redis, in the other processes, then the hook."""
        self._purge_here(keys)
        metrics.CACHE_PURGES.labels("here").inc()
        if self._shared is not None and not self.connected:
            self._pending |= keys  # sent when the listener is connected again
        elif self._shared is not None:
            try:
                dropped = await self._shared.purge(keys)
                metrics.CACHE_PURGED.labels("redis").inc(dropped)
                await self._shared.announce(self.origin, keys)
            except Exception as exc:
                self._pending |= keys
                self._lost(exc)
        if self.plugins is not None:
            await call_each(
                self.plugins, "gqlnews_cache_purged", keys=sorted(keys), background=True
            )

    def _purge_here(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        self.generation += 1
        self._transition_known = False
        dropped = self.local.purge(keys)
        metrics.CACHE_PURGED.labels("local").inc(dropped)
        for key in keys:
            if key.startswith("Document:"):
                self.forget_document(key.removeprefix("Document:"))
        self._observe()

    def _observe(self) -> None:
        metrics.CACHE_BYTES.set(self.local.bytes)
        metrics.CACHE_ENTRIES.set(len(self.local))
        evicted = self.local.counts.evictions
        if evicted != self._evictions_seen:
            metrics.CACHE_EVICTIONS.inc(evicted - self._evictions_seen)
            self._evictions_seen = evicted

    # --- Redis -----------------------------------------------------------------------

    def _lost(self, exc: BaseException) -> None:
        """Redis failed: short lifetimes and no Redis tier until the listener reconnects."""
        if not self.connected:
            return
        log.warning(
            "Redis unreachable (%s): the response cache keeps answers %d s, in this process "
            "only, until it is back",
            exc,
            self.degraded_ttl,
        )
        self.connected = False
        metrics.CACHE_DEGRADED.set(1)
        self._purge_here({EVERYTHING})

    async def _listen(self) -> None:
        """Follow the purge channel; on every (re)connection, first drop what this process
        holds (purges may have been missed) and replay the purges that failed."""
        assert self._client is not None and self._shared is not None
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(self._shared.channel)
                    self._purge_here({EVERYTHING})
                    was_connected, self.connected = self.connected, True
                    metrics.CACHE_DEGRADED.set(0)
                    if not was_connected:
                        log.info("Redis is reachable: the response cache is shared")
                    pending, self._pending = self._pending, set()
                    if pending:
                        try:
                            await self._shared.purge(pending)
                            await self._shared.announce(self.origin, pending)
                        except Exception:
                            self._pending |= pending
                            raise
                    while True:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=1.0
                        )
                        if message is not None:
                            self._received(message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._lost(exc)
                await asyncio.sleep(RECONNECT_SECONDS)

    def _received(self, message: dict[str, Any]) -> None:
        try:
            data = orjson.loads(message["data"])
            origin, keys = data["origin"], data["keys"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            log.warning("ignored a malformed purge message")
            return
        if origin == self.origin:
            return
        self._purge_here(str(key) for key in keys)
        metrics.CACHE_PURGES.labels("redis").inc()
