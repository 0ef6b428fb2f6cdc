"""The scheduler: due articles once each, however many rounds run at once; refusals recorded;
a clean stop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from gqlnews import hookimpl
from gqlnews.models import Article, ArticleRevision, ArticleStatus, PublishEvent, Section
from gqlnews.newsroom import events
from gqlnews.newsroom.publishing import Publisher
from gqlnews.newsroom.scheduler import Scheduler, run_once
from gqlnews.observability.metrics import SCHEDULER_ACTIONS
from gqlnews.plugins import make_plugin_manager
from gqlnews.settings import Settings


async def _scheduled(prefix: str, count: int, at: datetime, title: str = "Programmé") -> list[int]:
    section = await Section.get(slug="monde")
    ids = []
    for n in range(count):
        article = await Article.create(
            slug=f"{prefix}-{n}",
            title=f"{title} {n}",
            primary_section=section,
            status=ArticleStatus.SCHEDULED,
            published_at=at,
        )
        ids.append(article.pk)
    return ids


async def test_rounds_running_at_once_publish_each_article_once(demo: object) -> None:
    ids = await _scheduled("ensemble", 30, datetime.now(UTC) - timedelta(seconds=1))
    announced: list[int] = []

    async def count(event: events.Event) -> None:
        if event.article_id in ids:
            announced.append(event.article_id)

    plugins = make_plugin_manager(Settings())
    stop_listening = events.subscribe(plugins, "count", count)
    publisher = Publisher(plugins)
    published = SCHEDULER_ACTIONS.labels("published")
    before = published._value.get()
    try:
        done = await asyncio.gather(*(run_once(publisher) for _ in range(4)))
    finally:
        stop_listening()
    assert sum(done) == 30
    assert published._value.get() - before == 30  # gqlnews_scheduler_actions_total
    assert sorted(announced) == sorted(ids)
    rows = await PublishEvent.filter(article_id__in=ids).values_list("article_id", "kind")
    assert sorted(rows) == sorted((pk, "published") for pk in ids)
    assert await Article.filter(id__in=ids, status=ArticleStatus.PUBLISHED).count() == 30


async def test_a_refused_scheduled_publication_goes_back_to_review(demo: object) -> None:
    """The editorial plugin refuses headlines over 120 characters."""
    [pk] = await _scheduled("refus", 1, datetime.now(UTC), title="Très long " * 20)
    await run_once(Publisher(make_plugin_manager(Settings())))
    article = await Article.get(id=pk)
    assert article.status is ArticleStatus.REVIEW
    revision = await ArticleRevision.filter(article_id=pk).order_by("-number").first()
    assert revision is not None and revision.action == "publish-refused"
    assert "120" in revision.note
    assert await PublishEvent.filter(article_id=pk).values_list("kind", flat=True) == ["refused"]


async def test_the_scheduler_runs_in_the_background_and_stops(demo: object) -> None:
    [pk] = await _scheduled("fond", 1, datetime.now(UTC) + timedelta(seconds=1))
    scheduler = Scheduler(Publisher(), interval=1)
    scheduler.start()
    try:
        for _ in range(60):
            if (await Article.get(id=pk)).status is ArticleStatus.PUBLISHED:
                break
            await asyncio.sleep(0.1)
    finally:
        await scheduler.stop()
    assert (await Article.get(id=pk)).status is ArticleStatus.PUBLISHED
    assert scheduler._task is None


class _BrokenCheck:
    """A publishing check that crashes."""

    @hookimpl
    def gqlnews_before_publish(self, article: Article) -> list[str]:
        raise RuntimeError("the check's own bug")


async def test_a_crashing_check_refuses_instead_of_letting_the_article_through(
    demo: object,
) -> None:
    [pk] = await _scheduled("casse", 1, datetime.now(UTC))
    plugins = make_plugin_manager(Settings(), extra=[("broken_check", _BrokenCheck())])
    await run_once(Publisher(plugins))
    article = await Article.get(id=pk)
    assert article.status is ArticleStatus.REVIEW  # not published
    revision = await ArticleRevision.filter(article_id=pk).order_by("-number").first()
    assert revision is not None and "broken_check" in revision.note
