"""The webhook dispatcher each server process runs: outbox → deliveries → signed attempts.

Each round (every ``GQLNEWS_WEBHOOK_INTERVAL`` seconds, sooner when this process announces an
event or a retry falls due):

1. :func:`~gqlnews.webhooks.fanout.fan_out` turns new outbox events into deliveries;
2. due deliveries are *claimed*: ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, then a
   lease (``lease_until``, a claim token) long enough for an attempt to end; another process
   skips them until the lease ends, so a delivery has one attempt in flight at a time. A
   process killed mid-attempt leaves its lease behind: once it ends, any process retries it;
3. the claimed deliveries are attempted at once (at most ``GQLNEWS_WEBHOOK_CONCURRENCY``);
4. each attempt is recorded; a failure schedules the next one with exponential backoff and
   jitter, until ``GQLNEWS_WEBHOOK_RETRY_HOURS`` after the event (then the delivery is
   ``failed``); an endpoint whose attempts have failed for ``GQLNEWS_WEBHOOK_DISABLE_AFTER_HOURS``
   is disabled, logged and counted in ``/metrics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pluggy
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from gqlnews.background import finish, wait_set
from gqlnews.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gqlnews.newsroom import events
from gqlnews.observability.metrics import WEBHOOK_ATTEMPTS, WEBHOOK_ENDPOINTS_DISABLED
from gqlnews.settings import Settings
from gqlnews.webhooks import sender
from gqlnews.webhooks.addresses import Resolver, system_resolver
from gqlnews.webhooks.fanout import fan_out

log = logging.getLogger("gqlnews.webhooks")
MAX_DELAY = timedelta(hours=6)
"""Longest wait between two attempts of a delivery."""
LEASE_MARGIN = timedelta(seconds=5)
"""A lease lasts twice the attempt's timeout plus this (time to record the attempt)."""


def backoff(attempts: int, base: timedelta, rng: random.Random) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: ``base · 2^(attempts-1)`` (at most
    :data:`MAX_DELAY`), a random half to all of it (jitter: retries of many deliveries
    spread out)."""
    delay: timedelta = min(base * 2 ** min(attempts - 1, 30), MAX_DELAY)
    return delay * rng.uniform(0.5, 1.0)


def message_id(delivery: WebhookDelivery) -> str:
    """The ``webhook-id`` of a delivery: the same on every attempt (receivers deduplicate)."""
    return f"gqlnews-event-{delivery.event_id}"


def _wake_on_events(plugins: pluggy.PluginManager, wake: Callable[[], None]) -> Callable[[], None]:
    """Wake the dispatcher when this process announces an event (the core's ``gqlnews_event``
    implementation ``gqlnews.webhooks``); returns the unsubscribe. Announcements only make a
    round start early: the outbox is read by id whatever was announced."""

    async def receive(event: events.Event) -> None:
        wake()

    return events.subscribe(plugins, "webhooks", receive)


@dataclass
class Dispatcher:
    """Rounds of fan-out and delivery until stopped (``clock`` and ``rng`` for tests)."""

    settings: Settings
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    rng: random.Random = field(default_factory=random.Random)
    resolver: Resolver = system_resolver
    plugins: pluggy.PluginManager | None = None
    """Whose announcements wake the dispatcher early (without: rounds every interval only)."""
    _task: asyncio.Task[None] | None = None
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _unlisten: Callable[[], None] | None = None
    _client: httpx.AsyncClient | None = None

    @property
    def timeout(self) -> float:
        return self.settings.webhook_timeout_ms / 1000

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=2 * self.timeout) + LEASE_MARGIN

    def start(self) -> None:
        """Run rounds in the background (unless ``GQLNEWS_WEBHOOK_INTERVAL`` is 0)."""
        if self.settings.webhook_interval > 0 and self._task is None:
            self._stopping.clear()
            if self.plugins is not None:
                self._unlisten = _wake_on_events(self.plugins, self.wake)
            self._task = asyncio.create_task(self._run(), name="gqlnews-webhooks")

    def wake(self) -> None:
        """Start the next round now."""
        self._wake.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Stop after the attempts in flight (cancelled after ``grace`` seconds: their
        leases end and another process, or this one restarted, retries them)."""
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None
        if self._task is not None:
            self._stopping.set()
            self._wake.set()
            await finish(self._task, grace)
            self._task = None
        await self.close()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def run_once(self) -> int:
        """One round: fan out, then attempt the due deliveries; how many were attempted."""
        now = self.clock()
        await fan_out(now)
        claimed = await self._claim(now)
        if not claimed:
            return 0
        endpoints = {
            e.pk: e for e in await WebhookEndpoint.filter(id__in={d.endpoint_id for d in claimed})
        }
        await asyncio.gather(*(self._attempt(d, endpoints[d.endpoint_id]) for d in claimed))
        return len(claimed)

    async def _claim(self, now: datetime) -> list[WebhookDelivery]:
        token = secrets.token_hex(16)
        enabled = Subquery(WebhookEndpoint.filter(enabled=True).values("id"))
        async with in_transaction():
            rows = (
                await WebhookDelivery.filter(
                    Q(lease_until__isnull=True) | Q(lease_until__lte=now),
                    status=DeliveryStatus.PENDING,
                    next_attempt_at__lte=now,
                    endpoint_id__in=enabled,
                )
                .order_by("next_attempt_at", "id")
                .limit(self.settings.webhook_concurrency)
                .select_for_update(skip_locked=True)
            )
            if not rows:
                return []
            await WebhookDelivery.filter(id__in=[r.pk for r in rows]).update(
                lease_until=now + self.lease, claim=token
            )
        for row in rows:
            row.claim = token
        return list(rows)

    async def _attempt(self, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> None:
        if self._client is None:
            self._client = sender.client(self.timeout)
        try:
            result = await sender.send(
                self._client,
                endpoint.url,
                message_id(delivery),
                delivery.body,
                endpoint.secret,
                timeout=self.timeout,
                allow_private=self.settings.webhook_allow_private,
                resolver=self.resolver,
            )
        except Exception as exc:  # never lose the lease's delivery to a bug: record it
            log.exception("webhook attempt to endpoint %s failed unexpectedly", endpoint.pk)
            result = sender.Result(None, 0, error=f"internal error: {type(exc).__name__}")
        try:
            await record(delivery, endpoint, result, self.clock(), self.settings, self.rng)
        except Exception:
            log.exception(
                "could not record webhook delivery %s; retried after its lease", delivery.pk
            )

    async def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            attempted = 0
            try:
                attempted = await self.run_once()
            except Exception:
                log.exception("webhook round failed; retrying")
            if attempted >= self.settings.webhook_concurrency:
                continue  # a full batch: more may be due now
            wait = await self._until_due()
            await wait_set(self._wake, wait)

    async def _until_due(self) -> float:
        """Seconds until the next round: the interval, or sooner when a retry falls due (a
        lease left by a dead process ends within an interval of its time)."""
        interval = float(self.settings.webhook_interval)
        now = self.clock()
        with contextlib.suppress(Exception):
            due = (
                await WebhookDelivery.filter(status=DeliveryStatus.PENDING, next_attempt_at__gt=now)
                .order_by("next_attempt_at")
                .first()
                .values_list("next_attempt_at", flat=True)
            )
            if isinstance(due, datetime):
                return max(0.0, min(interval, (due - now).total_seconds()))
        return interval


async def record(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    result: sender.Result,
    now: datetime,
    settings: Settings,
    rng: random.Random,
) -> None:
    """Store an attempt and its consequences (one transaction): delivered; or the next
    attempt scheduled, the delivery given up, the endpoint disabled."""
    number = delivery.attempts + 1
    outcome = (
        "delivered" if result.delivered else ("error" if result.status_code is None else "rejected")
    )
    WEBHOOK_ATTEMPTS.labels(outcome).inc()
    disabled = False
    async with in_transaction():
        await WebhookAttempt.create(
            delivery_id=delivery.pk,
            number=number,
            at=now,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
            response_excerpt=result.excerpt,
            error=result.error,
        )
        mine = WebhookDelivery.filter(id=delivery.pk, claim=delivery.claim)
        if result.delivered:
            await mine.update(
                status=DeliveryStatus.DELIVERED,
                attempts=number,
                delivered_at=now,
                lease_until=None,
                claim=None,
            )
            await WebhookEndpoint.filter(id=endpoint.pk).update(failing_since=None)
            return
        next_at = now + backoff(number, timedelta(milliseconds=settings.webhook_retry_base_ms), rng)
        gives_up = next_at > delivery.created_at + timedelta(hours=settings.webhook_retry_hours)
        await mine.update(
            status=DeliveryStatus.FAILED if gives_up else DeliveryStatus.PENDING,
            attempts=number,
            next_attempt_at=next_at,
            lease_until=None,
            claim=None,
        )
        await WebhookEndpoint.filter(id=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now
        )
        since = now - timedelta(hours=settings.webhook_disable_after_hours)
        reason = (
            f"every attempt failed for {settings.webhook_disable_after_hours} h "
            f"(last: {result.error or result.status_code})"
        )
        disabled = bool(
            await WebhookEndpoint.filter(
                id=endpoint.pk, enabled=True, failing_since__lte=since
            ).update(enabled=False, disabled_reason=reason, disabled_at=now)
        )
    if disabled:
        WEBHOOK_ENDPOINTS_DISABLED.inc()
        log.warning("webhook endpoint %s (%s) disabled: %s", endpoint.pk, endpoint.url, reason)
