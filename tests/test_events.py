"""The one event path and the reliable outbox: events reach the ``gqlnews_event`` hook (core
consumers and plugins) after their commit; an event a core consumer did not take (Redis down)
or that was never announced (the process died) is announced by the relay; old announced events
are pruned. On PostgreSQL, several relays announce each event once (``SKIP LOCKED``)."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta

import httpx
import orjson
import pytest
import redis.asyncio as redis

from gqlnews.ids import encode_id
from gqlnews.models import ArticleStatus, PublishEvent, UserRole
from gqlnews.newsroom import events
from gqlnews.newsroom.events import Event, EventKind
from gqlnews.newsroom.relay import relay_once
from gqlnews.plugins import hookimpl, make_plugin_manager
from gqlnews.plugins.manager import PluginManager
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.account_factories import post, staff_token
from tests.factories import make_article, make_section
from tests.helpers import app_database, installed_plugins, postgres_only
from tests.proxy import CuttableProxy

REDIS_URL = os.environ.get("GQLNEWS_TEST_REDIS_URL") or "redis://127.0.0.1:6379/4"
PUBLISH = """mutation($id: ID!, $v: Int!) { articlePublish(id: $id, version: $v) {
  article { version status } errors { code message } } }"""


def _plugins() -> PluginManager:
    """A manager without the installed plugins (their hooks are not what is tested here)."""
    return make_plugin_manager(Settings(disabled_plugins=",".join(installed_plugins())))


class _Plugin:
    """A plugin that records events (and may fail on each)."""

    def __init__(self, fail: bool = False) -> None:
        self.seen: list[int] = []
        self.fail = fail

    @hookimpl
    async def gqlnews_event(self, event: Event) -> None:
        self.seen.append(event.id)
        if self.fail:
            raise RuntimeError("plugin down")


class _Flaky:
    """A core consumer that fails its first ``failures`` calls."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.seen: list[int] = []

    async def __call__(self, event: Event) -> None:
        self.seen.append(event.id)
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("Redis down")


async def _event(article_id: int = 1, kind: EventKind = EventKind.PUBLISHED) -> Event:
    """An event written as a write writes it, but never announced (the process died)."""
    return await events.write(kind, article_id, why="manual", embargoed=False)


async def _announced_at(event: Event) -> datetime | None:
    return (await PublishEvent.get(id=event.id)).announced_at


async def test_a_core_consumer_failure_leaves_the_event_to_the_relay(database: object) -> None:
    pm = _plugins()
    consumer = _Flaky(failures=1)
    events.subscribe(pm, "flaky", consumer)
    plugin = _Plugin()
    pm.register(plugin, name="listener")
    event = await _event()

    assert await events.announce(pm, event) is False
    assert await _announced_at(event) is None
    assert await relay_once(pm, grace=0) >= 1

    assert consumer.seen.count(event.id) == plugin.seen.count(event.id) == 2  # at least once
    assert await _announced_at(event) is not None
    await relay_once(pm, grace=0)
    assert consumer.seen.count(event.id) == 2  # announced: not again


async def test_a_plugin_failure_does_not_hold_the_event_back(
    database: object, caplog: pytest.LogCaptureFixture
) -> None:
    pm = _plugins()
    broken = _Plugin(fail=True)
    pm.register(broken, name="broken")
    event = await _event()
    assert await events.announce(pm, event) is True
    assert broken.seen == [event.id]
    assert await _announced_at(event) is not None
    assert "plugin 'broken' failed on event" in caplog.text


async def test_the_relay_waits_for_the_grace_age_then_announces(database: object) -> None:
    """An event a process wrote but never announced (killed after the commit): not touched
    while younger than the grace age (its writer may still announce it), then announced."""
    pm = _plugins()
    plugin = _Plugin()
    pm.register(plugin, name="listener")
    event = await _event()
    row = await PublishEvent.get(id=event.id)

    await relay_once(pm, grace=60, now=row.created_at + timedelta(seconds=30))
    assert event.id not in plugin.seen
    await relay_once(pm, grace=60, now=row.created_at + timedelta(seconds=61))
    assert plugin.seen.count(event.id) == 1
    assert await _announced_at(event) is not None


async def test_the_relay_waits_while_the_consumers_are_not_ready(database: object) -> None:
    pm = _plugins()
    plugin = _Plugin()
    pm.register(plugin, name="listener")
    event = await _event()
    ready = False

    async def reachable() -> bool:
        return ready

    assert await relay_once(pm, grace=0, ready=reachable) == 0
    assert event.id not in plugin.seen and await _announced_at(event) is None
    ready = True
    assert await relay_once(pm, grace=0, ready=reachable) >= 1
    assert event.id in plugin.seen


async def test_old_announced_events_are_pruned(database: object) -> None:
    pm = _plugins()
    now = datetime.now(UTC)
    old, recent, never = await _event(), await _event(), await _event()
    await events.mark_announced([old.id], now - timedelta(days=8))
    await events.mark_announced([recent.id], now - timedelta(days=6))
    await PublishEvent.filter(id=never.id).update(created_at=now - timedelta(days=30))

    await relay_once(pm, grace=10**9, retention_days=7, now=now)  # announce nothing: prune

    assert not await PublishEvent.filter(id=old.id).exists()
    assert await PublishEvent.filter(id__in=[recent.id, never.id]).count() == 2
    await relay_once(pm, grace=10**9, retention_days=0, now=now + timedelta(days=30))
    assert await PublishEvent.filter(id=recent.id).exists()  # 0 keeps them


@postgres_only
async def test_several_relays_announce_each_event_once(database: object) -> None:
    pm = _plugins()
    plugin = _Plugin()
    pm.register(plugin, name="listener")
    written = [await _event(article_id=n) for n in range(30)]

    for _ in range(10):  # the events other tests left unannounced come first, 100 a round
        await asyncio.gather(*(relay_once(pm, grace=0) for _ in range(4)))

    mine = [seen for seen in plugin.seen if seen in {event.id for event in written}]
    assert sorted(mine) == [event.id for event in written]
    assert not await PublishEvent.filter(
        id__in=[e.id for e in written], announced_at__isnull=True
    ).exists()


async def _wait_for_message(pubsub: redis.client.PubSub, event_id: int, seconds: float) -> dict:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
        if message is not None:
            data = orjson.loads(message["data"])
            if data.get("id") == event_id:
                return dict(data)
    raise AssertionError(f"event {event_id} was not announced on Redis within {seconds} s")


async def test_an_event_published_while_redis_is_cut_reaches_redis_when_it_is_back() -> None:
    """Through the real lifespan and HTTP: Redis cut (a proxy in between), the publication
    succeeds and its event waits in the outbox; once Redis is back, the relay announces it on
    ``gqlnews:events`` in the stable format and marks it."""
    address, db = REDIS_URL.removeprefix("redis://").split("/")
    host, port = address.split(":")
    proxy = CuttableProxy(host, int(port))
    await proxy.start()
    listener = redis.from_url(REDIS_URL)
    pubsub = listener.pubsub()
    await pubsub.subscribe(events.CHANNEL)
    try:
        async with app_database() as url:
            section = await make_section()
            article = await make_article(section=section, status=ArticleStatus.REVIEW)
            _, token = await staff_token(UserRole.EDITOR)
            settings = Settings(
                database_url=url,
                redis_url=f"redis://127.0.0.1:{proxy.port}/{db}",
                cache=False,
                scheduler_interval=0,
                event_relay_interval=1,
                event_relay_grace=1,
            )
            app = create_app(settings)
            async with app.router.lifespan_context(app):
                await proxy.cut()
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                    variables = {"id": encode_id("Article", article.pk), "v": article.version}
                    answer = (await post(http, PUBLISH, variables, token)).json()
                assert answer["data"]["articlePublish"]["errors"] == [], answer
                assert answer["data"]["articlePublish"]["article"]["status"] == "PUBLISHED"
                row = await PublishEvent.get(article_id=article.pk)
                assert (row.kind, row.announced_at) == ("published", None)

                await proxy.restore()
                message = await _wait_for_message(pubsub, int(row.id), seconds=20)
                assert message == {
                    "id": row.id,
                    "kind": "published",
                    "article_id": article.pk,
                    "why": "manual",
                    "embargoed": False,
                }
                deadline = asyncio.get_running_loop().time() + 10
                while (await PublishEvent.get(id=row.id)).announced_at is None:
                    assert asyncio.get_running_loop().time() < deadline, "never marked announced"
                    await asyncio.sleep(0.1)
    finally:
        await pubsub.aclose()
        await listener.aclose()
        await proxy.close()
