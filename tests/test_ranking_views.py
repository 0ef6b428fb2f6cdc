"""``recordView``: anonymous, refusing what a reader may not see exactly as what does not
exist, cheap under concurrency, and exact once flushed, in memory or shared through Redis."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

import gqlnews_ranking.recorder
from gqlnews.ids import encode_id
from gqlnews.models import Article, ArticleStatus
from gqlnews.plugins import call_each
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews_ranking.config import FLUSH_SECONDS_ENV, REDIS_KEY_ENV, RankingConfig
from gqlnews_ranking.hours import hour_of, start_of
from gqlnews_ranking.models import ViewBucket, ViewOrigin
from gqlnews_ranking.recorder import STATE, ViewRecorder, recorder_for
from tests.factories import make_article, make_section, now
from tests.helpers import TEST_DATABASE_URL, gql

REDIS_URL = os.environ.get("GQLNEWS_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
RECORD = """mutation($id: ID!) { recordView(articleId: $id) { articleId hour } }"""


async def record(app: Starlette, article_id: str) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await gql(client, RECORD, {"id": article_id})


async def live_views(article: Article) -> int:
    rows = await ViewBucket.filter(article_id=article.pk, origin=ViewOrigin.LIVE).values_list(
        "views", flat=True
    )
    return sum(int(n) for n in rows)


@pytest_asyncio.fixture
async def memory_app(demo: object) -> AsyncIterator[Starlette]:
    """An app of its own (its lifespan does not run: the recorder is made on first use)."""
    app = create_app(Settings(database_url=TEST_DATABASE_URL))
    yield app
    recorder: ViewRecorder | None = getattr(app.state, STATE, None)
    if recorder is not None:
        await recorder.close()


@pytest.fixture
async def article(demo: object) -> Article:
    return await make_article(section=await make_section(), published_at=now() - timedelta(days=1))


async def test_an_anonymous_read_is_counted_after_the_flush(
    memory_app: Starlette, article: Article
) -> None:
    global_id = encode_id("Article", article.pk)
    body = await record(memory_app, global_id)
    assert "errors" not in body, body
    answer = body["data"]["recordView"]
    assert answer["articleId"] == global_id
    hour = hour_of(now())
    assert answer["hour"] in {start_of(h).isoformat() for h in (hour - 1, hour)}
    assert await live_views(article) == 0, "nothing is written before the flush"
    assert await recorder_for(memory_app).flush() == 1
    assert await live_views(article) == 1
    assert await recorder_for(memory_app).flush() == 0


async def test_an_invisible_article_is_refused_exactly_like_an_unknown_one(
    memory_app: Starlette, demo: object
) -> None:
    section = await make_section()
    moment = now()
    hidden = [
        await make_article(section=section, status=ArticleStatus.DRAFT),
        await make_article(section=section, published_at=moment + timedelta(hours=2)),
        await make_article(
            section=section,
            published_at=moment - timedelta(hours=2),
            embargo_until=moment + timedelta(hours=2),
        ),
    ]
    unknown = await record(memory_app, encode_id("Article", 987_654_321))
    assert unknown["data"] == {"recordView": None}
    [error] = unknown["errors"]
    assert error["message"] == "no such article"
    assert error["extensions"] == {"code": "NOT_FOUND", "argument": "articleId"}
    for article in hidden:
        assert await record(memory_app, encode_id("Article", article.pk)) == unknown
    assert await recorder_for(memory_app).flush() == 0
    assert not await ViewBucket.filter(article_id__in=[a.pk for a in hidden]).exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("not-an-id", "articleId 'not-an-id' is not a valid gqlnews ID"),
        (encode_id("Section", 1), "articleId must be the ID of a Article, not of a Section"),
    ],
)
async def test_a_bad_id_is_bad_user_input(memory_app: Starlette, given: str, message: str) -> None:
    body = await record(memory_app, given)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "articleId"}
    assert body["errors"][0]["message"] == message


async def test_concurrent_reads_all_succeed_and_add_up_exactly(
    memory_app: Starlette, demo: object
) -> None:
    section = await make_section()
    articles = [
        await make_article(section=section, published_at=now() - timedelta(days=1))
        for _ in range(3)
    ]
    ids = [encode_id("Article", a.pk) for a in articles]
    transport = httpx.ASGITransport(app=memory_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        bodies = await asyncio.gather(
            *(gql(client, RECORD, {"id": ids[n % 3]}) for n in range(200))
        )
    assert all("errors" not in body for body in bodies)
    assert await recorder_for(memory_app).flush() == 200
    assert [await live_views(a) for a in articles] == [67, 67, 66]


async def test_a_failed_write_keeps_the_views_for_the_next_flush(
    memory_app: Starlette, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        assert "errors" not in await record(memory_app, encode_id("Article", article.pk))
    real = gqlnews_ranking.recorder.add_live

    async def down(counts: Any) -> None:
        raise ConnectionError("the database is down")

    monkeypatch.setattr(gqlnews_ranking.recorder, "add_live", down)
    with pytest.raises(ConnectionError):
        await recorder_for(memory_app).flush()
    monkeypatch.setattr(gqlnews_ranking.recorder, "add_live", real)
    assert await recorder_for(memory_app).flush() == 3
    assert await live_views(article) == 3


async def test_the_startup_hook_flushes_in_the_background_and_shutdown_flushes_the_rest(
    article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FLUSH_SECONDS_ENV, "0.05")
    app = create_app(Settings(database_url=TEST_DATABASE_URL))
    await call_each(app.state.plugins, "gqlnews_startup", strict=True, app=app, settings=Settings())
    recorder: ViewRecorder = getattr(app.state, STATE)
    assert recorder.flush_seconds == 0.05
    assert "errors" not in await record(app, encode_id("Article", article.pk))
    for _ in range(100):
        if await live_views(article) == 1:
            break
        await asyncio.sleep(0.05)
    assert await live_views(article) == 1, "the background task wrote the view"
    recorder.flush_seconds = 3600  # the next views wait for the shutdown
    await recorder.record(article.pk, now())
    await recorder.record(article.pk, now())
    await call_each(app.state.plugins, "gqlnews_shutdown", strict=True, app=app)
    assert await live_views(article) == 3
    assert not hasattr(app.state, STATE)


def test_the_plugin_settings_are_checked() -> None:
    assert RankingConfig.from_env({}) == RankingConfig(5.0, "gqlnews:ranking:views")
    custom = RankingConfig.from_env({FLUSH_SECONDS_ENV: "0.5", REDIS_KEY_ENV: "site:views"})
    assert custom == RankingConfig(0.5, "site:views")
    for bad in ("0", "-1", "soon", "nan", "7200"):
        with pytest.raises(ValueError, match=FLUSH_SECONDS_ENV):
            RankingConfig.from_env({FLUSH_SECONDS_ENV: bad})


@pytest_asyncio.fixture
async def redis_apps(
    demo: object, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Starlette, Starlette]]:
    """Two app instances counting in one Redis hash (a key of this test's own)."""
    key = f"gqlnews-test:ranking:{uuid.uuid4().hex}"
    monkeypatch.setenv(REDIS_KEY_ENV, key)
    settings = Settings(database_url=TEST_DATABASE_URL, redis_url=REDIS_URL)
    apps = (create_app(settings), create_app(settings))
    yield apps
    import redis.asyncio as redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert not await client.exists(key), "every view was flushed"
    finally:
        await client.delete(key)
        await client.aclose()
        for app in apps:
            await recorder_for(app).close()
            await app.state.rate_limits.aclose()  # their lifespan did not run: close by hand


async def test_instances_share_their_counts_through_redis(
    redis_apps: tuple[Starlette, Starlette], article: Article
) -> None:
    first, second = redis_apps
    global_id = encode_id("Article", article.pk)
    bodies = await asyncio.gather(
        *(record(first, global_id) for _ in range(30)),
        *(record(second, global_id) for _ in range(20)),
    )
    assert all("errors" not in body for body in bodies)
    assert await recorder_for(second).flush() == 50, "one flush writes every instance's views"
    assert await recorder_for(first).flush() == 0
    assert await live_views(article) == 50


async def test_a_failed_write_gives_the_views_back_to_redis(
    redis_apps: tuple[Starlette, Starlette], article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = redis_apps
    for _ in range(4):
        assert "errors" not in await record(first, encode_id("Article", article.pk))

    async def down(counts: Any) -> None:
        raise ConnectionError("the database is down")

    real = gqlnews_ranking.recorder.add_live
    monkeypatch.setattr(gqlnews_ranking.recorder, "add_live", down)
    with pytest.raises(ConnectionError):
        await recorder_for(first).flush()
    monkeypatch.setattr(gqlnews_ranking.recorder, "add_live", real)
    assert await recorder_for(second).flush() == 4
    assert await live_views(article) == 4
