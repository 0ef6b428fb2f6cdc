"""The ranking plugin's strategies on buckets built for the purpose: each ranks the same reads
in its own order (most read sums, gravity favours recent reads, trending favours an article
read far above its own baseline), honours the window to the hour and the section filter."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gqlnews.cache.deps import collecting
from gqlnews.models import Article, Section
from gqlnews.plugins.strategies import Scored, Window
from gqlnews.testing import count_queries
from gqlnews_ranking import scores
from gqlnews_ranking.gravity import Gravity
from gqlnews_ranking.hours import hour_of, hours_of, start_of
from gqlnews_ranking.models import ViewBucket
from gqlnews_ranking.most_read import MostRead
from gqlnews_ranking.store import add_live
from gqlnews_ranking.trending import Trending
from tests.factories import make_article, make_section
from tests.helpers import gql_data

_days = itertools.count(1)

MOST_READ = """query($strategy: String, $section: String, $since: DateTime, $until: DateTime,
  $first: Int! = 5) {
  mostRead(strategy: $strategy, section: $section, window: CUSTOM, since: $since,
    until: $until, first: $first) { rank score reason article { slug } } }"""


def a_window_of_its_own() -> Window:
    """A past day no other test reads in (so lists over every section are this test's)."""
    since = datetime(2001, 1, 1, tzinfo=UTC) + timedelta(days=30 * next(_days))
    return Window(since, since + timedelta(days=1))


async def read(article: Article, at: datetime, views: int) -> None:
    """``views`` reads of ``article`` at ``at``, through the recorder's own write path."""
    await add_live({(article.pk, hour_of(at)): views})


async def ranked(
    client: httpx.AsyncClient, window: Window, strategy: str | None, **more: Any
) -> list[dict[str, Any]]:
    variables = {
        "strategy": strategy,
        "since": window.since.isoformat(),
        "until": window.until.isoformat(),
        **more,
    }
    data = await gql_data(client, MOST_READ, variables)
    rows: list[dict[str, Any]] = data["mostRead"]
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
    return rows


def slugs(rows: list[dict[str, Any]]) -> list[str]:
    return [row["article"]["slug"] for row in rows]


@dataclass
class Newsroom:
    """Three articles whose reads rank differently with each strategy (window: one day)."""

    window: Window
    section: Section
    evergreen: Article
    breaking: Article
    riser: Article


@pytest.fixture
async def newsroom(demo: object) -> Newsroom:
    window = a_window_of_its_own()
    t0 = window.since
    section = await make_section()
    published = t0 - timedelta(days=30)
    evergreen, breaking, riser = [
        await make_article(section=section, published_at=published, slug=f"{name}-{t0:%Y%m%d}")
        for name in ("evergreen", "breaking", "riser")
    ]
    # evergreen: 300 reads early in the day, 200 a day on the 4 days before
    await read(evergreen, t0 + timedelta(hours=2), 300)
    for day in range(1, 5):
        await read(evergreen, t0 - timedelta(days=day) + timedelta(hours=2), 200)
    # breaking: 80 reads in the day's last hour, 100 a day before
    await read(breaking, t0 + timedelta(hours=23), 80)
    for day in range(1, 5):
        await read(breaking, t0 - timedelta(days=day) + timedelta(hours=9), 100)
    # riser: 50 reads at 04:00, never read before
    await read(riser, t0 + timedelta(hours=4), 50)
    # reads just outside the window and its baseline change nothing
    await read(evergreen, window.until, 10_000)
    await read(riser, t0 - timedelta(days=4, hours=1), 10_000)
    return Newsroom(window, section, evergreen, breaking, riser)


async def test_most_read_sums_the_views_of_the_window(
    client: httpx.AsyncClient, newsroom: Newsroom
) -> None:
    rows = await ranked(client, newsroom.window, "most-read")
    n = newsroom
    assert slugs(rows) == [n.evergreen.slug, n.breaking.slug, n.riser.slug]
    assert [row["score"] for row in rows] == [300, 80, 50]
    assert rows[0]["reason"] == "300 views"


async def test_gravity_favours_recent_reads(client: httpx.AsyncClient, newsroom: Newsroom) -> None:
    rows = await ranked(client, newsroom.window, "gravity")
    n = newsroom
    # breaking was read in the last hour (weight 1); evergreen 21 hours before it, riser 19
    assert slugs(rows) == [n.breaking.slug, n.evergreen.slug, n.riser.slug]
    expected = [80.0, 300 * (12 / 33) ** 2, 50 * (12 / 31) ** 2]
    assert [row["score"] for row in rows] == pytest.approx(expected)
    assert rows[1]["reason"] == "300 views, the recent ones weighing most"


async def test_trending_favours_an_article_read_far_above_its_baseline(
    client: httpx.AsyncClient, newsroom: Newsroom
) -> None:
    rows = await ranked(client, newsroom.window, "trending")
    n = newsroom
    assert slugs(rows) == [n.riser.slug, n.evergreen.slug, n.breaking.slug]
    expected = [(50 + 10) / (0 + 10), (300 + 10) / (200 + 10), (80 + 10) / (100 + 10)]
    assert [row["score"] for row in rows] == pytest.approx(expected)
    assert rows[1]["reason"] == "300 views against 200.0 usually"


async def test_trending_needs_ten_views_in_the_window(demo: object) -> None:
    window = a_window_of_its_own()
    section = await make_section()
    quiet, loud = [
        await make_article(section=section, published_at=window.since - timedelta(days=1))
        for _ in range(2)
    ]
    await read(quiet, window.since, 9)
    await read(loud, window.since, 10)
    assert [s.article_id for s in await Trending().rank(window, section.pk, 10)] == [loud.pk]
    assert [s.article_id for s in await MostRead().rank(window, section.pk, 10)] == [
        loud.pk,
        quiet.pk,
    ]


@pytest.mark.parametrize("strategy", [MostRead(), Gravity(), Trending()])
async def test_each_strategy_honours_the_limit_and_returns_scored_ids(
    newsroom: Newsroom, strategy: Any
) -> None:
    found = await strategy.rank(newsroom.window, newsroom.section.pk, 2)
    assert len(found) == 2
    assert all(isinstance(s, Scored) and s.reason for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    everything = await strategy.rank(newsroom.window, None, 50)
    ids = {newsroom.evergreen.pk, newsroom.breaking.pk, newsroom.riser.pk}
    assert {s.article_id for s in everything} == ids, "the window is this test's alone"


async def test_the_section_filter_counts_extra_sections(
    client: httpx.AsyncClient, demo: object
) -> None:
    window = a_window_of_its_own()
    section, other = await make_section(), await make_section()
    published = window.since - timedelta(days=2)
    primary = await make_article(section=section, published_at=published)
    extra = await make_article(section=other, extra_sections=(section,), published_at=published)
    elsewhere = await make_article(section=other, published_at=published)
    await read(primary, window.since, 10)
    await read(extra, window.since, 20)
    await read(elsewhere, window.since, 30)
    for strategy in ("most-read", "gravity", "trending"):
        rows = await ranked(client, window, strategy, section=section.slug)
        assert slugs(rows) == [extra.slug, primary.slug], strategy
        rows = await ranked(client, window, strategy, section=other.slug)
        assert slugs(rows) == [elsewhere.slug, extra.slug], strategy
    rows = await ranked(client, window, None)
    assert slugs(rows) == [elsewhere.slug, extra.slug, primary.slug]


def test_a_window_counts_every_hour_it_overlaps() -> None:
    ten = datetime(2024, 6, 1, 10, tzinfo=UTC)
    exact = hours_of(Window(ten, ten + timedelta(days=1)))
    assert (exact.first, exact.end, exact.hours) == (hour_of(ten), hour_of(ten) + 24, 24)
    partial = hours_of(Window(ten + timedelta(minutes=30), ten + timedelta(hours=1, minutes=30)))
    assert (start_of(partial.first), start_of(partial.end)) == (ten, ten + timedelta(hours=2))
    tiny = hours_of(Window(ten, ten + timedelta(seconds=1)))
    assert tiny.hours == 1
    assert hour_of(datetime(1970, 1, 1, 1, 59)) == 1, "naive times are UTC"


async def test_reads_of_a_deleted_article_are_dropped_not_fatal(demo: object) -> None:
    window = a_window_of_its_own()
    section = await make_section()
    kept = await make_article(section=section, published_at=window.since)
    gone = await make_article(section=section, published_at=window.since)
    gone_id = gone.pk
    await gone.delete()
    hour = hour_of(window.since)
    await add_live({(kept.pk, hour): 3, (gone_id, hour): 4})
    await add_live({(kept.pk, hour): 2})
    found = await MostRead().rank(window, section.pk, 5)
    assert [(s.article_id, s.score) for s in found] == [(kept.pk, 5.0)]


async def test_a_large_flush_is_written_whole(demo: object) -> None:
    window = Window(datetime(2000, 1, 1, tzinfo=UTC), datetime(2000, 12, 1, tzinfo=UTC))
    section = await make_section()
    article = await make_article(section=section, published_at=window.since)
    first = hour_of(window.since)
    await add_live({(article.pk, first + n): 1 + n % 3 for n in range(2500)})  # 3 statements
    await add_live({(article.pk, first + n): 1 for n in range(0, 2500, 2)})
    assert await ViewBucket.filter(article_id=article.pk).count() == 2500
    [found] = await MostRead().rank(window, section.pk, 5)
    assert found.score == sum(1 + n % 3 for n in range(2500)) + 1250


async def test_the_strategies_are_listed_with_their_formulas(app: Starlette, demo: object) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        data = await gql_data(client, "{ rankingStrategies { name description plugin } }")
    listed = {s["name"]: s for s in data["rankingStrategies"]}
    assert list(listed) == ["most-read", "gravity", "trending"]
    assert {s["plugin"] for s in listed.values()} == {"ranking"}
    assert "sum of the article's views" in listed["most-read"]["description"]
    assert "(12 / (12 + age_b))²" in listed["gravity"]["description"]
    assert "(v + 10) / (b / 4 + 10)" in listed["trending"]["description"]


async def _scored(strategy: Any, window: Window) -> tuple[list[Scored], int, float | None]:
    """What ``strategy`` ranks in ``window``, the statements it sent, and the ``max_age`` an
    answer using it gets."""
    with count_queries() as log, collecting() as deps:
        found = await strategy.rank(window, None, 10)
    return found, log.count, deps.max_age


@pytest.mark.parametrize("strategy", [MostRead, Gravity, Trending])
async def test_scores_are_kept_for_the_cache_time_and_forgotten_on_a_write(
    demo: object, strategy: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = a_window_of_its_own()
    article = await make_article(section=await make_section())
    await read(article, window.since + timedelta(hours=2), 40)
    ranking = strategy(cache_seconds=60)
    clock = [1000.0]
    monkeypatch.setattr(scores.time, "monotonic", lambda: clock[0])
    first, statements, age = await _scored(ranking, window)
    assert [s.article_id for s in first] == [article.pk] and statements == 1 and age == 60
    clock[0] += 25  # kept: no statement, and the answer may be kept only what is left
    again, statements, age = await _scored(ranking, window)
    assert again == first and statements == 0 and age == 35
    other = await make_article(section=await make_section())
    await read(other, window.since + timedelta(hours=3), 400)  # a write forgets them
    fresh, statements, age = await _scored(ranking, window)
    assert fresh[0].article_id == other.pk and statements == 1 and age == 60
    clock[0] += 60  # too old: read again
    assert (await _scored(ranking, window))[1:] == (1, 60)
    assert (await _scored(strategy(cache_seconds=0), window))[1:] == (1, 0)
    assert (await _scored(strategy(cache_seconds=0), window))[1] == 1  # 0: none kept


async def test_scores_read_while_buckets_are_written_are_not_kept(
    demo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = a_window_of_its_own()
    article = await make_article(section=await make_section())
    await read(article, window.since + timedelta(hours=2), 40)
    real = scores.top_articles

    async def written_meanwhile(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        rows = await real(*args, **kwargs)
        scores.forget_scores()  # a flush committed while the statement ran
        return rows

    monkeypatch.setattr(scores, "top_articles", written_meanwhile)
    assert (await _scored(MostRead(), window))[1] == 1
    monkeypatch.setattr(scores, "top_articles", real)
    assert (await _scored(MostRead(), window))[1] == 1  # not kept from the read before


async def test_kept_scores_are_bounded(demo: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scores, "KEPT_SCORES", 3)
    window = a_window_of_its_own()
    for limit in range(1, 8):
        await MostRead().rank(window, None, limit)
        assert len(scores._kept) <= 3
