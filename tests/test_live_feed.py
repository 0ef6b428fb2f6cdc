"""The per-process event feed on its own: one outbox read per wake-up whatever the number of
subscribers, no event twice, what each viewer may see decided once per event, and a slow
subscriber dropped instead of buffered without bound."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from tortoise.context import TortoiseContext

from gqlnews.live.feed import EventFeed
from gqlnews.models import ArticleStatus, PublishEvent, UserRole
from gqlnews.newsroom.events import EventKind, write
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from gqlnews.visibility import ANONYMOUS, Viewer
from tests.factories import make_article, make_section


@pytest.fixture
def feed(database: TortoiseContext, demo: object) -> EventFeed:
    """A feed on the session's database, the demo loaded first: the sections these tests
    add must come after the demo's (the example pages list the top sections in order)."""
    return EventFeed(Settings(subscriptions_queue=3))


async def _started(feed: EventFeed) -> None:
    """Past the newest event, without its background tasks (the test reads by hand)."""
    newest = await PublishEvent.all().order_by("-id").first()
    feed.cursor = int(newest.id) if newest is not None else 0


async def test_one_read_per_wake_up_for_any_number_of_subscribers(feed: EventFeed) -> None:
    await _started(feed)
    section = await make_section()
    article = await make_article(section=section)
    dropped: list[int] = []
    with contextlib.ExitStack() as stack:
        subscribers = [
            stack.enter_context(feed.subscription(lambda: dropped.append(1))) for _ in range(100)
        ]
        event = await write(EventKind.PUBLISHED, article.pk)
        with count_queries() as log:
            assert await feed.read() == 1
        assert log.count == 1, log
        # Announced twice (here and by Redis): read again, delivered once.
        assert await feed.read() == 0
        assert {subscriber.queue.qsize() for subscriber in subscribers} == {1}
        delivery = subscribers[0].queue.get_nowait()
        assert delivery is not None and delivery.event.id == event.id
    assert dropped == [] and not feed.subscribers


async def test_visibility_is_judged_once_per_event_and_viewer(feed: EventFeed) -> None:
    await _started(feed)
    section = await make_section()
    draft = await make_article(section=section, status=ArticleStatus.DRAFT)
    with feed.subscription(lambda: None) as subscriber:
        await write(EventKind.REFUSED, draft.pk, reasons=["no"])
        await feed.read()
        delivery = subscriber.queue.get_nowait()
        assert delivery is not None
        editor = Viewer(user_id=1, role=UserRole.EDITOR)
        with count_queries() as log:
            for _ in range(10):
                assert await delivery.article(ANONYMOUS) is None
                assert await delivery.article(editor) is not None
                assert not await delivery.is_new_public()
        assert log.count == 2, log


async def test_a_slow_subscriber_is_dropped_not_buffered(feed: EventFeed) -> None:
    await _started(feed)
    section = await make_section()
    article = await make_article(section=section)
    dropped: list[str] = []
    with feed.subscription(lambda: dropped.append("slow")) as slow:
        for _ in range(5):
            await write(EventKind.UPDATED, article.pk)
        await feed.read()
        assert dropped == ["slow"] and slow.overflowed
        received = [delivery async for delivery in slow.deliveries()]
        assert len(received) == 3  # then the end: its connection is closed


async def test_an_event_committed_after_a_later_one_is_still_delivered(feed: EventFeed) -> None:
    """Ids are taken at insert, not at commit: an id skipped by a read is asked for again."""
    await _started(feed)
    section = await make_section()
    article = await make_article(section=section)
    with feed.subscription(lambda: None) as subscriber:
        early = await write(EventKind.UPDATED, article.pk, n=1)
        late = await write(EventKind.UPDATED, article.pk, n=2)
        row = await PublishEvent.get(id=early.id)
        await row.delete()  # not committed yet, as far as readers can tell
        assert await feed.read() == 1
        await PublishEvent.create(
            id=early.id, kind=row.kind, article_id=row.article_id, payload=row.payload
        )
        with count_queries() as log:
            assert await feed.read() == 1
        assert log.count == 1, log
        assert await feed.read() == 0
        ids = [subscriber.queue.get_nowait() for _ in range(2)]
        assert [d.event.id for d in ids if d is not None] == [late.id, early.id]


async def test_the_feed_stops_when_woken_as_it_is_stopped(feed: EventFeed) -> None:
    """An event announced as the server shuts down: the reading task is cancelled while its
    wake-up is due. It must end (with ``asyncio.wait_for`` it went on reading, and the
    shutdown waited for it for ever)."""
    await feed.start()
    await asyncio.sleep(0.05)  # the reading task is asleep until woken
    reading = feed._tasks[0]
    feed.wake()
    stopping = asyncio.create_task(feed.stop())
    # asyncio.wait does not cancel on its time-out (a wait_for would cancel the task again).
    done, _ = await asyncio.wait({reading}, timeout=5)
    if not done:
        stopping.cancel()
    await asyncio.gather(stopping, return_exceptions=True)
    assert done == {reading} and reading.cancelled()
    assert not feed._tasks
