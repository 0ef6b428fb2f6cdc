"""Each server process's feed of committed outbox events, read BY ID.

The feed keeps a cursor into the ``publish_event`` table and reads what lies past it (one
statement per wake-up, whatever the number of subscribers), then hands each event to every
subscriber of the process. Three things wake it:

- an event of this process, announced after its commit (:func:`receive_in_process`, the one
  adapter between the event mechanism and the feed);
- a message on Redis's ``gqlnews:events`` channel (another process's event), when Redis is
  configured; the listener reconnects with backoff after a drop and reads the outbox once it
  is back, so what was published meanwhile arrives then;
- a slow poll (``subscriptions_poll_seconds``), the safety net for an announcement lost.

Since the outbox is read by id, a duplicate announcement delivers nothing twice and a missed one
is covered by the next read. Ids are taken when a row is inserted, not when its transaction
commits, so a row may become visible after a higher id was read: the ids skipped below the
cursor are "holes" that each read asks for again, for :data:`LATE_SECONDS` (a transaction that
commits up to that long after a later one is still delivered; a rolled-back one leaves a hole
that expires).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime

import pluggy
from tortoise.expressions import Q

from gqlnews.background import wait_set
from gqlnews.live.delivery import Delivery
from gqlnews.models import PublishEvent
from gqlnews.newsroom import events
from gqlnews.settings import Settings

log = logging.getLogger("gqlnews.live")

LATE_SECONDS = 30.0
"""How long after a later event an earlier id may still commit and be delivered."""
MOST_HOLES = 1000
"""Most skipped ids asked for again (a sequence that jumps further leaves the rest)."""
BATCH = 500
"""Outbox rows read per statement (a backlog is read in several)."""
BACKOFF_FIRST, BACKOFF_MOST = 0.1, 5.0
"""Seconds before the first, and at most before any, Redis reconnection attempt."""


class Subscriber:
    """One subscription's bounded queue of deliveries. When ``limit`` deliveries wait, the
    next one is not queued: ``on_overflow`` is called once (the view closes the connection)
    and the iteration ends."""

    def __init__(self, limit: int, on_overflow: Callable[[], None]) -> None:
        self.limit = limit
        self.queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=limit + 1)
        self.overflowed = False
        self.ended = False
        self._on_overflow = on_overflow

    def offer(self, delivery: Delivery) -> None:
        if self.ended:
            return
        if self.queue.qsize() >= self.limit:
            self.overflowed = True
            self.end()
            self._on_overflow()
            return
        self.queue.put_nowait(delivery)

    def end(self) -> None:
        """End the iteration after what is queued (the one slot kept for it)."""
        if not self.ended:
            self.ended = True
            self.queue.put_nowait(None)

    async def deliveries(self) -> AsyncIterator[Delivery]:
        while (delivery := await self.queue.get()) is not None:
            yield delivery


class EventFeed:
    """A process's feed; the app's lifespan starts and stops it."""

    def __init__(self, settings: Settings, plugins: pluggy.PluginManager | None = None) -> None:
        self.plugins = plugins
        """Whose announcements wake the feed (its ``gqlnews_event`` implementation
        ``gqlnews.live``); without, Redis and the poll do."""
        self.redis_url = settings.redis_url
        self.poll_seconds = float(settings.subscriptions_poll_seconds)
        self.queue_limit = settings.subscriptions_queue
        self.subscribers: set[Subscriber] = set()
        self.cursor: int | None = None
        """The highest event id read (the feed starts at the newest one; None until it
        could read the outbox)."""
        self.reads = 0
        """Outbox reads so far (one per wake-up, none per subscriber)."""
        self.redis_connected = False
        self._holes: dict[int, float] = {}
        """Ids below the cursor not read yet (uncommitted then), and when they were skipped."""
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._unlisten: Callable[[], None] | None = None

    @property
    def started(self) -> bool:
        return bool(self._tasks)

    async def start(self) -> None:
        """Start past the newest event (subscribers get what is committed from now on). A
        database that cannot be read yet (a server started with pending migrations) is tried
        again by the reading task."""
        if self.started:
            return
        try:
            await self._begin()
        except Exception as exc:
            log.warning("cannot read the event outbox yet (%s); trying again", exc)
        if self.plugins is not None:
            self._unlisten = events.subscribe(self.plugins, "live", self.receive_in_process)
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._read_forever())]
        if self.redis_url:
            self._tasks.append(loop.create_task(self._follow_redis()))

    async def _begin(self) -> None:
        newest = await PublishEvent.all().order_by("-id").first()
        self.cursor = int(newest.id) if newest is not None else 0

    async def stop(self) -> None:
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        for subscriber in list(self.subscribers):
            subscriber.end()

    @contextlib.contextmanager
    def subscription(self, on_overflow: Callable[[], None]) -> Iterator[Subscriber]:
        """A new subscriber, removed when the block ends."""
        subscriber = Subscriber(self.queue_limit, on_overflow)
        self.subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self.subscribers.discard(subscriber)

    async def receive_in_process(self, event: events.Event) -> None:
        """The adapter from the event mechanism: an event of this process was committed."""
        self.wake()

    def wake(self) -> None:
        self._wake.set()

    async def read(self) -> int:
        """Read the outbox past :attr:`cursor` (and the holes below it) and hand the events to
        the subscribers; returns how many there were. One statement."""
        self.reads += 1
        if self.cursor is None:
            await self._begin()
            return 0
        now, clock = datetime.now(UTC), time.monotonic()
        self._holes = {i: at for i, at in self._holes.items() if at > clock - LATE_SECONDS}
        wanted = Q(id__gt=self.cursor)
        if self._holes:
            wanted |= Q(id__in=sorted(self._holes))
        rows = await PublishEvent.filter(wanted).order_by("id").limit(BATCH)
        for row in rows:
            ident = int(row.id)
            if ident > self.cursor:
                skipped = range(max(self.cursor + 1, ident - MOST_HOLES), ident)
                self._holes.update(dict.fromkeys(skipped, clock))
                self.cursor = ident
            else:
                self._holes.pop(ident, None)
            event = events.Event(ident, events.EventKind(row.kind), row.article_id, row.payload)
            delivery = Delivery(event, now)
            for subscriber in list(self.subscribers):
                subscriber.offer(delivery)
        if len(rows) == BATCH:
            self.wake()  # more to read
        return len(rows)

    async def _read_forever(self) -> None:
        while True:
            await wait_set(self._wake, self.poll_seconds)
            self._wake.clear()
            try:
                await self.read()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("could not read the event outbox; trying again")
                await asyncio.sleep(min(self.poll_seconds, BACKOFF_MOST))
                self.wake()

    async def _follow_redis(self) -> None:
        """Wake on each message of the events channel; reconnect with backoff after a drop,
        then read the outbox (events published while away)."""
        import redis.asyncio as redis

        backoff = BACKOFF_FIRST
        while True:
            client = redis.from_url(
                self.redis_url, socket_connect_timeout=2, health_check_interval=5
            )
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(events.CHANNEL)
                    if not self.redis_connected:
                        log.info("subscriptions follow Redis's %s channel", events.CHANNEL)
                    self.redis_connected, backoff = True, BACKOFF_FIRST
                    self.wake()  # catch up on what was published while away
                    while True:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=1.0
                        )
                        if message is not None:
                            self.wake()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.redis_connected:
                    log.warning(
                        "lost Redis's events channel (%s): reconnecting; until then other "
                        "processes' events arrive by the outbox poll",
                        exc,
                    )
                self.redis_connected = False
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MOST)
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()
