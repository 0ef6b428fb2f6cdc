"""Webhook deliveries against real local HTTP receivers: retries with backoff, timeouts,
redirects not followed, address checks, what a public endpoint may see, one attempt at a time
per delivery however many dispatchers run. The clock is injected: no real backoff is waited."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import random
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio

from gqlnews.models import (
    ArticleStatus,
    DeliveryStatus,
    PublishEvent,
    Section,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from gqlnews.newsroom.problems import Refused
from gqlnews.newsroom.publishing import Publisher, Why, go_public
from gqlnews.observability.metrics import WEBHOOK_ENDPOINTS_DISABLED
from gqlnews.plugins import make_plugin_manager
from gqlnews.settings import Settings, SettingsError
from gqlnews.webhooks import endpoints
from gqlnews.webhooks.addresses import refusal
from gqlnews.webhooks.dispatcher import Dispatcher, backoff
from gqlnews.webhooks.fanout import advance
from tests.factories import make_article, make_section, now
from tests.webhook_receiver import Receiver, receiving

SETTINGS = Settings(webhook_allow_private=True, webhook_retry_base_ms=1000)


class Clock:
    """The dispatcher's time: the real time moved forward by the test (``advance``, or
    ``now = …``), so that what was just published is already public for it."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    @property
    def now(self) -> datetime:
        return self()

    @now.setter
    def now(self, value: datetime) -> None:
        self.offset = value - datetime.now(UTC)

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest_asyncio.fixture
async def clean(demo: object) -> AsyncIterator[None]:
    """Each test's endpoints go at its end (their deliveries and attempts cascade)."""
    last = await WebhookEndpoint.all().order_by("-id").first().values_list("id", flat=True)
    try:
        yield
    finally:
        await WebhookEndpoint.filter(id__gt=last or 0).delete()


async def _endpoint(receiver: Receiver, **kw: Any) -> WebhookEndpoint:
    registered = await endpoints.register(
        receiver.url, created_by_id=None, allow_private=True, **kw
    )
    receiver.secret = registered.secret
    return registered.endpoint


async def _published(
    section: Section | None = None, publisher: Publisher | None = None, **kw: Any
) -> int:
    """An article sent through the publishing path (REVIEW → PUBLISHED): its id."""
    section = section or await Section.get(slug="monde")
    article = await make_article(section=section, status=ArticleStatus.REVIEW, **kw)
    await go_public(article.pk, Why.MANUAL, publisher or Publisher(), datetime.now(UTC))
    return article.pk


async def _deliveries(endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    return list(await WebhookDelivery.filter(endpoint_id=endpoint.pk).order_by("event_id"))


async def _attempts(delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(await WebhookAttempt.filter(delivery_id=delivery.pk).order_by("number"))


async def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt(clean: None) -> None:
    clock = Clock()
    dispatcher = Dispatcher(SETTINGS, clock=clock, rng=random.Random(7))
    with receiving(script=[500, 503]) as receiver:
        endpoint = await _endpoint(receiver)
        article_id = await _published(title="Séisme au large")
        try:
            assert await dispatcher.run_once() == 1
            [delivery] = await _deliveries(endpoint)
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
            [first] = await _attempts(delivery)
            first_wait = delivery.next_attempt_at - first.at
            assert await dispatcher.run_once() == 0  # not due yet: nothing sent
            clock.now = delivery.next_attempt_at
            assert await dispatcher.run_once() == 1
            await delivery.refresh_from_db()
            second_wait = delivery.next_attempt_at - (await _attempts(delivery))[1].at
            clock.now = delivery.next_attempt_at
            assert await dispatcher.run_once() == 1
            assert await dispatcher.run_once() == 0
        finally:
            await dispatcher.close()
        await delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
        attempts = await _attempts(delivery)
        assert [a.status_code for a in attempts] == [500, 503, 200]
        assert [a.error for a in attempts] == ["HTTP 500", "HTTP 503", ""]
        assert json.loads(attempts[0].response_excerpt) == {"status": 500}
        # Exponential backoff with jitter: base·2^(n-1), a random half to all of it.
        assert timedelta(seconds=0.5) <= first_wait <= timedelta(seconds=1)
        assert timedelta(seconds=1) <= second_wait <= timedelta(seconds=2)
    assert len(receiver.received) == 3
    assert all(r.verified is not None for r in receiver.received)  # standardwebhooks verified
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    payload = receiver.received[-1].verified
    assert payload["type"] == "article.published"
    assert payload["data"]["event"]["kind"] == "published"
    article = payload["data"]["article"]
    assert (article["id"], article["public"], article["title"]) == (
        article_id,
        True,
        "Séisme au large",
    )
    assert "monde" in article["sections"]


async def test_a_hanging_receiver_times_out_and_is_retried(clean: None) -> None:
    clock = Clock()
    settings = Settings(webhook_allow_private=True, webhook_timeout_ms=300)
    dispatcher = Dispatcher(settings, clock=clock, rng=random.Random(1))
    with receiving(script=[("hang", 30)]) as receiver:
        endpoint = await _endpoint(receiver)
        await _published()
        try:
            assert await dispatcher.run_once() == 1
            [delivery] = await _deliveries(endpoint)
            [attempt] = await _attempts(delivery)
            assert attempt.status_code is None
            assert attempt.error == "timeout: no answer within 0.3 s"
            assert delivery.status is DeliveryStatus.PENDING
            clock.now = delivery.next_attempt_at
            assert await dispatcher.run_once() == 1
        finally:
            await dispatcher.close()
        await delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
        assert len(receiver.delivered()) == 2


async def test_a_redirect_is_not_followed(clean: None) -> None:
    dispatcher = Dispatcher(SETTINGS, clock=Clock())
    with receiving() as elsewhere, receiving(then=("redirect", "")) as receiver:
        receiver.then = ("redirect", elsewhere.url)
        endpoint = await _endpoint(receiver)
        await _published()
        try:
            assert await dispatcher.run_once() == 1
        finally:
            await dispatcher.close()
        [delivery] = await _deliveries(endpoint)
        [attempt] = await _attempts(delivery)
        assert attempt.status_code == 307
        assert attempt.error == "HTTP 307 (redirects are not followed)"
        assert delivery.status is DeliveryStatus.PENDING
        assert len(receiver.received) == 1
        assert elsewhere.received == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.100.100.200",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fd00:ec2::254",
        "fe80::1",
        "::ffff:127.0.0.1",
    ],
)
def test_non_global_addresses_are_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111"])
def test_global_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


async def test_private_addresses_are_refused_at_registration_unless_allowed(
    clean: None,
) -> None:
    with receiving() as receiver:
        with pytest.raises(Refused) as refused:
            await endpoints.register(receiver.url, created_by_id=None, allow_private=False)
        [problem] = refused.value.problems
        assert problem.field == "url"
        assert "127.0.0.1, a loopback address: refused" in problem.message
        assert await endpoints.register(receiver.url, created_by_id=None, allow_private=True)

        async def metadata(host: str, port: int) -> list[str]:
            return ["93.184.216.34", "169.254.169.254"]

        with pytest.raises(Refused) as refused:
            await endpoints.register(
                "http://hooks.example.com/in",
                created_by_id=None,
                allow_private=False,
                resolver=metadata,
            )
        assert "hooks.example.com resolves to 169.254.169.254, a link-local" in str(refused.value)


async def test_the_address_is_resolved_again_before_each_attempt(clean: None) -> None:
    """DNS rebinding: a name that resolved to a public address when it was registered and to
    a loopback one when it is sent to is refused then, and nothing is sent."""
    answers = {"hooks.example.com": "93.184.216.34"}

    async def resolver(host: str, port: int) -> list[str]:
        return [answers[host]]

    with receiving() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        registered = await endpoints.register(
            f"http://hooks.example.com:{port}/hooks",
            created_by_id=None,
            allow_private=False,
            resolver=resolver,
        )
        answers["hooks.example.com"] = "127.0.0.1"  # the DNS answer changed since
        await _published()
        dispatcher = Dispatcher(Settings(), clock=Clock(), resolver=resolver)
        try:
            assert await dispatcher.run_once() == 1
        finally:
            await dispatcher.close()
        [delivery] = await _deliveries(registered.endpoint)
        [attempt] = await _attempts(delivery)
        assert attempt.status_code is None
        assert attempt.error.startswith(
            "refused: hooks.example.com resolves to 127.0.0.1, a loopback address"
        )
        assert receiver.received == []


async def test_the_attempt_connects_to_the_checked_address_with_the_name_as_host(
    clean: None,
) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "receiver.test" else []

    with receiving() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        registered = await endpoints.register(
            f"http://receiver.test:{port}/hooks",
            created_by_id=None,
            allow_private=True,
            resolver=resolver,
        )
        receiver.secret = registered.secret
        await _published()
        dispatcher = Dispatcher(SETTINGS, clock=Clock(), resolver=resolver)
        try:
            assert await dispatcher.run_once() == 1
        finally:
            await dispatcher.close()
        [received] = receiver.delivered()
        assert received.headers["host"] == f"receiver.test:{port}"


async def test_an_embargoed_article_is_sent_without_its_content_until_it_is_released(
    clean: None,
) -> None:
    clock = Clock()
    everything = ["published", "released", "refused", "updated"]
    dispatcher = Dispatcher(SETTINGS, clock=clock)
    with receiving() as receiver:
        endpoint = await _endpoint(receiver, events=everything)
        lifts = clock.now + timedelta(hours=2)
        article_id = await _published(
            title="Secret de la rédaction",
            body_html="<p>Texte sous embargo</p>",
            embargo_until=lifts,
        )
        try:
            assert await dispatcher.run_once() == 1
            clock.now = lifts + timedelta(seconds=1)
            outcome = await go_public(article_id, Why.EMBARGO_LIFTED, Publisher(), clock.now)
            assert outcome is not None
            assert await dispatcher.run_once() == 1
        finally:
            await dispatcher.close()
        deliveries = await _deliveries(endpoint)
        assert [d.event_kind for d in deliveries] == ["published", "released"]
    embargoed, released = (r.verified for r in receiver.received)
    assert embargoed["data"]["event"]["embargoed"] is True
    assert embargoed["data"]["article"] == {
        "id": article_id,
        "globalId": embargoed["data"]["article"]["globalId"],
        "public": False,
    }
    assert b"Secret de la" not in receiver.received[0].body
    assert b"sous embargo" not in receiver.received[0].body
    assert released["data"]["article"]["title"] == "Secret de la rédaction"


async def test_a_draft_refused_by_the_scheduler_is_sent_as_ids_only(clean: None) -> None:
    """The editorial plugin refuses headlines over 120 characters: the ``refused`` event of
    the scheduled article goes out with its id and the reasons, never its text."""
    from gqlnews.newsroom.scheduler import run_once
    from gqlnews.plugins import make_plugin_manager

    clock = Clock()
    dispatcher = Dispatcher(SETTINGS, clock=clock)
    with receiving() as receiver:
        await _endpoint(receiver, events=["refused", "published"])
        article = await make_article(
            section=await Section.get(slug="monde"),
            status=ArticleStatus.SCHEDULED,
            published_at=clock.now - timedelta(seconds=1),
            title="Brouillon interdit " * 10,
        )
        await run_once(Publisher(make_plugin_manager(Settings())), clock.now)
        try:
            assert await dispatcher.run_once() == 1
        finally:
            await dispatcher.close()
    [received] = receiver.delivered()
    assert received.verified["type"] == "article.refused"
    assert received.verified["data"]["article"]["id"] == article.pk
    assert received.verified["data"]["article"]["public"] is False
    assert b"Brouillon interdit" not in received.body


async def test_an_endpoint_receives_only_its_sections_and_events(clean: None) -> None:
    other = await make_section()
    dispatcher = Dispatcher(SETTINGS, clock=Clock())
    with receiving() as receiver:
        endpoint = await _endpoint(receiver, sections=["monde"], events=["published"])
        await _published(section=other)
        wanted = await _published()
        try:
            assert await dispatcher.run_once() == 1
        finally:
            await dispatcher.close()
        [delivery] = await _deliveries(endpoint)
        assert delivery.article_id == wanted


async def test_an_endpoint_failing_for_a_day_is_disabled(clean: None) -> None:
    clock = Clock()
    settings = Settings(webhook_allow_private=True, webhook_retry_hours=48)
    dispatcher = Dispatcher(settings, clock=clock)
    before = WEBHOOK_ENDPOINTS_DISABLED._value.get()
    with receiving(then=500) as receiver:
        endpoint = await _endpoint(receiver)
        await _published()
        try:
            started = clock.now
            while clock.now - started < timedelta(hours=30):
                await dispatcher.run_once()
                await endpoint.refresh_from_db()
                if not endpoint.enabled:
                    break
                [delivery] = await _deliveries(endpoint)
                clock.now = delivery.next_attempt_at
            sent = len(receiver.received)
            clock.advance(hours=10)
            assert await dispatcher.run_once() == 0  # disabled: nothing more is attempted
        finally:
            await dispatcher.close()
        assert not endpoint.enabled
        assert endpoint.failing_since is not None and endpoint.disabled_at is not None
        assert endpoint.failing_since - started < timedelta(minutes=1)  # the first failure
        assert endpoint.disabled_at - endpoint.failing_since >= timedelta(hours=24)
        assert endpoint.disabled_reason.startswith("every attempt failed for 24 h")
        assert WEBHOOK_ENDPOINTS_DISABLED._value.get() - before == 1
        assert len(receiver.received) == sent
        [delivery] = await _deliveries(endpoint)
        assert delivery.status is DeliveryStatus.PENDING  # kept for when it is enabled again


async def test_a_delivery_is_given_up_after_the_retry_window(clean: None) -> None:
    clock = Clock()
    settings = Settings(
        webhook_allow_private=True, webhook_retry_hours=1, webhook_retry_base_ms=600_000
    )
    dispatcher = Dispatcher(settings, clock=clock, rng=random.Random(3))
    with receiving(then=502) as receiver:
        endpoint = await _endpoint(receiver)
        await _published()
        try:
            for _ in range(10):
                await dispatcher.run_once()
                [delivery] = await _deliveries(endpoint)
                if delivery.status is not DeliveryStatus.PENDING:
                    break
                clock.now = delivery.next_attempt_at
        finally:
            await dispatcher.close()
        assert delivery.status is DeliveryStatus.FAILED
        assert 2 <= delivery.attempts == len(receiver.received) <= 4


def test_backoff_doubles_up_to_six_hours_with_jitter() -> None:
    rng = random.Random(5)
    base = timedelta(minutes=1)
    for attempts in range(1, 20):
        full = min(base * 2 ** (attempts - 1), timedelta(hours=6))
        assert full / 2 <= backoff(attempts, base, rng) <= full


async def test_dispatchers_running_at_once_attempt_each_delivery_once(clean: None) -> None:
    """Two (and on PostgreSQL: through separate connections, FOR UPDATE SKIP LOCKED) claim
    deliveries at the same time: each is attempted once, never twice at once."""
    events_count = 6
    with receiving(delay=0.2) as receiver:
        endpoint = await _endpoint(receiver)
        for _ in range(events_count):
            await _published()
        settings = Settings(webhook_allow_private=True, webhook_concurrency=2)
        dispatchers = [Dispatcher(settings) for _ in range(3)]
        try:
            for _ in range(6):
                await asyncio.gather(*(d.run_once() for d in dispatchers))
        finally:
            for dispatcher in dispatchers:
                await dispatcher.close()
        deliveries = await _deliveries(endpoint)
    assert [d.status for d in deliveries] == [DeliveryStatus.DELIVERED] * events_count
    assert [d.attempts for d in deliveries] == [1] * events_count
    ids = [r.headers["webhook-id"] for r in receiver.delivered()]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == events_count
    assert set(receiver.most_in_flight.values()) == {1}


async def test_events_before_an_endpoint_was_registered_are_not_sent(clean: None) -> None:
    await _published()
    dispatcher = Dispatcher(SETTINGS, clock=Clock())
    with receiving() as receiver:
        endpoint = await _endpoint(receiver)
        assert endpoint.last_event_id == await endpoints.newest_event_id() > 0
        try:
            assert await dispatcher.run_once() == 0
        finally:
            await dispatcher.close()
    assert receiver.received == []


async def test_an_endpoint_enabled_again_gets_the_events_from_then_on(clean: None) -> None:
    dispatcher = Dispatcher(SETTINGS, clock=Clock())
    with receiving() as receiver:
        endpoint = await _endpoint(receiver)
        await WebhookEndpoint.filter(id=endpoint.pk).update(enabled=False, disabled_reason="x")
        await _published()  # while it is disabled: not sent
        try:
            assert await dispatcher.run_once() == 0
            enabled = await endpoints.enable(endpoint.pk)
            assert (enabled.enabled, enabled.disabled_reason) == (True, "")
            later = await _published()
            assert await dispatcher.run_once() == 1
        finally:
            await dispatcher.close()
        assert [d.article_id for d in await _deliveries(endpoint)] == [later]


def _events(*ids: int, age: timedelta) -> list[PublishEvent]:
    at = datetime.now(UTC) - age
    return [PublishEvent(id=i, kind="published", article_id=1, created_at=at) for i in ids]


def test_a_cursor_waits_at_a_young_hole_in_the_ids_and_passes_an_old_one() -> None:
    now = datetime.now(UTC)
    assert advance(10, _events(11, 12, 14, 15, age=timedelta(seconds=1)), now) == 12
    assert advance(10, _events(11, 12, 14, 15, age=timedelta(minutes=5)), now) == 15
    assert advance(10, _events(8, 9, 11, age=timedelta(seconds=1)), now) == 11  # behind: skipped
    assert advance(10, [], now) == 10


async def test_a_running_dispatcher_is_woken_by_this_process_announcements(
    clean: None,
) -> None:
    """Rounds an hour apart: only the publication's announcement can start the round that
    sends it (the outbox would be read an hour later otherwise)."""
    settings = Settings(webhook_allow_private=True, webhook_interval=3600)
    plugins = make_plugin_manager(settings)
    dispatcher = Dispatcher(settings, plugins=plugins)
    with receiving() as receiver:
        await _endpoint(receiver)
        dispatcher.start()
        try:
            await asyncio.sleep(0)  # its first round starts
            article_id = await _published(publisher=Publisher(plugins))
            for _ in range(200):
                if receiver.received:
                    break
                await asyncio.sleep(0.05)
        finally:
            await dispatcher.stop()
    [received] = receiver.delivered()
    assert received.verified["data"]["article"]["id"] == article_id


async def test_a_stopped_dispatcher_no_longer_listens(clean: None) -> None:
    plugins = make_plugin_manager(Settings())

    def listening() -> bool:
        return plugins.get_plugin("gqlnews.webhooks") is not None

    dispatcher = Dispatcher(Settings(webhook_interval=3600), plugins=plugins)
    dispatcher.start()
    assert listening()
    await dispatcher.stop()
    assert not listening()
    off = Dispatcher(Settings(webhook_interval=0), plugins=plugins)
    off.start()
    assert off._task is None and not listening()  # 0: no dispatcher


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("GQLNEWS_WEBHOOK_TIMEOUT_MS", "0", "GQLNEWS_WEBHOOK_TIMEOUT_MS must be at least 1"),
        ("GQLNEWS_WEBHOOK_RETRY_BASE_MS", "0", "GQLNEWS_WEBHOOK_RETRY_BASE_MS must be at least 1"),
        ("GQLNEWS_WEBHOOK_CONCURRENCY", "0", "GQLNEWS_WEBHOOK_CONCURRENCY must be at least 1"),
        ("GQLNEWS_WEBHOOK_INTERVAL", "-1", "GQLNEWS_WEBHOOK_INTERVAL must be 0 (off) or more"),
        ("GQLNEWS_WEBHOOK_ALLOW_PRIVATE", "maybe", "GQLNEWS_WEBHOOK_ALLOW_PRIVATE must be true"),
    ],
)
def test_bad_webhook_settings_are_refused(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env({variable: value})


async def test_a_kind_this_code_does_not_know_is_sent_with_ids_only(demo: object) -> None:
    from gqlnews.visibility import visible_articles
    from gqlnews.webhooks.payloads import prepare

    article = await visible_articles().order_by("id").first()
    assert article is not None
    known, unknown = (
        PublishEvent(id=n, kind=kind, article_id=article.pk, payload={}, created_at=now())
        for n, kind in ((1, "published"), (2, "corrected"))
    )
    bodies = [json.loads(p.body) for p in await prepare([known, unknown], now())]
    assert bodies[0]["data"]["article"]["title"] == article.title
    assert bodies[1]["data"]["article"] == {
        "id": article.pk,
        "globalId": bodies[0]["data"]["article"]["globalId"],
        "public": False,
    }
    assert bodies[1]["type"] == "article.corrected"
