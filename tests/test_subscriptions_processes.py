"""Subscriptions across two real `gqlnews serve` processes sharing one database and Redis
(``GQLNEWS_TEST_REDIS_URL``): an article published through one reaches a subscriber of the
other within a second, exactly once; a process whose Redis connection drops (a TCP proxy cut,
tests/proxy.py) reconnects and delivers what was published while it was away."""

from __future__ import annotations

import asyncio
import os
import time
from urllib.parse import urlsplit, urlunsplit

from tests.helpers import scratch_database_url
from tests.live_support import SECTION, act, draft, newsroom, publish, serving, subscriber
from tests.proxy import CuttableProxy

REDIS_URL = os.environ.get("GQLNEWS_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
PUBLISHED = "subscription { articlePublished { title } }"
QUIET = "600"
"""The outbox poll of the processes under test: long, so that only Redis and the reconnection
can deliver within the test's time."""


def _through(proxy: CuttableProxy) -> str:
    """``REDIS_URL`` with its host and port replaced by the proxy's."""
    parts = urlsplit(REDIS_URL)
    return urlunsplit(parts._replace(netloc=f"127.0.0.1:{proxy.port}"))


async def test_an_article_published_on_one_process_reaches_the_other_once() -> None:
    env = {"GQLNEWS_REDIS_URL": REDIS_URL, "GQLNEWS_SUBSCRIPTIONS_POLL_SECONDS": QUIET}
    async with scratch_database_url() as url:
        token = await newsroom(url)
        async with serving(url, env) as one, serving(url, env) as two:
            await act(one, token, SECTION, input={"name": "Monde", "slug": "monde"})
            article = await draft(one, token, "Dernière minute")
            async with subscriber(two) as reader:
                await reader.subscribe(PUBLISHED)
                await asyncio.sleep(0.2)  # registered: there is no event to wait for
                await publish(one, token, article)
                committed = time.monotonic()
                message = await reader.message(within=1.0)
                assert time.monotonic() - committed < 1.0
                assert message["payload"]["data"]["articlePublished"]["title"] == "Dernière minute"
                await reader.nothing(within=1.0)  # exactly once


async def test_a_process_that_lost_redis_catches_up_from_the_outbox() -> None:
    host, port = urlsplit(REDIS_URL).hostname or "127.0.0.1", urlsplit(REDIS_URL).port or 6379
    proxy = CuttableProxy(host, port)
    await proxy.start()
    async with scratch_database_url() as url:
        token = await newsroom(url)
        direct = {"GQLNEWS_REDIS_URL": REDIS_URL, "GQLNEWS_SUBSCRIPTIONS_POLL_SECONDS": QUIET}
        cut = {**direct, "GQLNEWS_REDIS_URL": _through(proxy)}
        async with serving(url, direct) as writer, serving(url, cut, redis_may_fail=True) as far:
            await act(writer, token, SECTION, input={"name": "Monde", "slug": "monde"})
            async with subscriber(far) as reader:
                await reader.subscribe(PUBLISHED)
                await asyncio.sleep(0.2)
                await publish(writer, token, await draft(writer, token, "Avant la coupure"))
                assert _title(await reader.message(within=1.0)) == "Avant la coupure"

                await proxy.cut()
                await publish(writer, token, await draft(writer, token, "Pendant la coupure"))
                await reader.nothing(within=1.0)  # not announced to the far process
                await proxy.restore()
                assert _title(await reader.message(within=10.0)) == "Pendant la coupure"

                await publish(writer, token, await draft(writer, token, "Après la coupure"))
                assert _title(await reader.message(within=1.0)) == "Après la coupure"
                await reader.nothing(within=0.5)
    await proxy.close()


def _title(message: dict[str, object]) -> str:
    payload = message["payload"]
    assert isinstance(payload, dict), message
    return str(payload["data"]["articlePublished"]["title"])
