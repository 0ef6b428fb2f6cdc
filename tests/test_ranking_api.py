"""``mostRead``: its windows, its rules (each refused with BAD_USER_INPUT naming it), the
visibility rule whatever the strategy answers, and a bounded number of SQL statements."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gqlnews.demo import DEMO_DRAFT_SLUGS
from gqlnews.models import Article, ArticleStatus
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from tests.factories import make_article, make_section, now
from tests.helpers import gql, gql_data
from tests.test_plugin_host import write_plugin
from tests.test_ranking_strategies import read, slugs

BY_PERIOD = """query($section: String!, $window: RankingPeriod!) {
  mostRead(section: $section, window: $window, first: 10) { rank score article { slug } } }"""


async def _post(app: Starlette, query: str, variables: dict[str, Any] | None = None) -> Any:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await gql(client, query, variables)


async def test_each_period_ends_now(client: httpx.AsyncClient) -> None:
    section = await make_section()
    moment = now()
    ages = {"now": timedelta(0), "3h": timedelta(hours=3), "3d": timedelta(days=3)}
    ages |= {"10d": timedelta(days=10), "40d": timedelta(days=40)}
    articles = {}
    for views, (name, age) in enumerate(ages.items(), start=1):
        article = await make_article(section=section, published_at=moment - timedelta(days=60))
        await read(article, moment - age, 100 * views)
        articles[name] = article.slug
    expected = {
        "HOUR": ["now"],
        "DAY": ["3h", "now"],
        "WEEK": ["3d", "3h", "now"],
        "MONTH": ["10d", "3d", "3h", "now"],
    }
    for period, names in expected.items():
        data = await gql_data(client, BY_PERIOD, {"section": section.slug, "window": period})
        assert slugs(data["mostRead"]) == [articles[n] for n in names], period
    default = await gql_data(
        client,
        "query($s: String!) { mostRead(section: $s) { article { slug } } }",
        {"s": section.slug},
    )
    assert slugs(default["mostRead"]) == [articles["3h"], articles["now"]], "default: DAY"


async def test_a_custom_window_until_defaults_to_now(client: httpx.AsyncClient) -> None:
    section = await make_section()
    article = await make_article(section=section, published_at=now() - timedelta(days=9))
    await read(article, now() - timedelta(days=8), 7)
    query = """query($s: String!, $since: DateTime!) {
      mostRead(section: $s, window: CUSTOM, since: $since) { score } }"""
    nine_days = (now() - timedelta(days=9)).isoformat()
    data = await gql_data(client, query, {"s": section.slug, "since": nine_days})
    assert data["mostRead"] == [{"score": 7.0}]
    seven_days = (now() - timedelta(days=7)).isoformat()
    assert (await gql_data(client, query, {"s": section.slug, "since": seven_days}))[
        "mostRead"
    ] == []


RULES = [
    ("first: 0", "first", "first must be between 1 and 50"),
    ("first: 51", "first", "first must be between 1 and 50"),
    ('strategy: "popular"', "strategy", "unknown strategy 'popular' (known: gravity, most-read"),
    ('section: "nowhere"', "section", "unknown section 'nowhere'"),
    ("window: CUSTOM", "since", "window: CUSTOM needs since"),
    (
        'since: "2024-01-01T00:00:00Z"',
        "since",
        "since and until are only allowed with window: CUSTOM",
    ),
    (
        'window: WEEK, until: "2024-01-01T00:00:00Z"',
        "until",
        "since and until are only allowed with window: CUSTOM",
    ),
    (
        'window: CUSTOM, since: "2024-01-02T00:00:00Z", until: "2024-01-02T00:00:00Z"',
        "since",
        "since must be before until",
    ),
    (
        'window: CUSTOM, since: "2023-01-01T00:00:00Z", until: "2024-01-02T00:00:01Z"',
        "since",
        "a window may span at most 366 days",
    ),
]


@pytest.mark.parametrize(("arguments", "argument", "message"), RULES)
async def test_bad_arguments_are_refused_with_the_rule(
    client: httpx.AsyncClient, arguments: str, argument: str, message: str
) -> None:
    body = await gql(client, f"{{ mostRead({arguments}) {{ rank }} }}")
    error = body["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert error["message"].startswith(message)


async def test_a_year_long_custom_window_is_allowed(client: httpx.AsyncClient) -> None:
    query = """{ mostRead(window: CUSTOM, since: "2023-01-01T00:00:00",
      until: "2024-01-02T00:00:00Z") { rank } }"""
    assert (await gql_data(client, query))["mostRead"] == []


async def test_invisible_articles_never_rank(client: httpx.AsyncClient) -> None:
    section = await make_section()
    moment = now()
    visible = await make_article(section=section, published_at=moment - timedelta(days=1))
    hidden = [
        await make_article(section=section, status=ArticleStatus.DRAFT),
        await make_article(section=section, published_at=moment + timedelta(days=1)),
        await make_article(
            section=section,
            published_at=moment - timedelta(days=1),
            embargo_until=moment + timedelta(hours=5),
        ),
    ]
    for article in hidden:
        await read(article, moment, 1_000_000)
    await read(visible, moment, 1)
    for strategy in ("most-read", "gravity", "trending"):
        query = """query($s: String!, $strategy: String!) {
          mostRead(section: $s, strategy: $strategy) { rank article { slug } } }"""
        data = await gql_data(client, query, {"s": section.slug, "strategy": strategy})
        expected = [visible.slug] if strategy != "trending" else []  # 1 view: not a trend
        assert slugs(data["mostRead"]) == expected, strategy


# A careless third-party strategy: drafts first, an id that does not exist, repeats, and its
# list out of order. The host must drop what the reader may not see and still fill `first`.
CARELESS = """
    from gqlnews.models import Article
    from gqlnews.plugins.strategies import Scored

    class Careless:
        name = "careless"
        description = "Proposes anything."
        asked = []

        async def rank(self, window, section_id, limit):
            Careless.asked.append(limit)
            drafts = await Article.filter(slug__in=DRAFTS).values_list("id", flat=True)
            recent = await Article.filter(status="published").order_by("id").limit(limit)
            out = [Scored(pk, 1000.0, "a draft") for pk in drafts] + [Scored(999999, 999.0)]
            out += [Scored(a.pk, float(n), "published") for n, a in enumerate(recent)]
            return out + out

    @hookimpl
    def gqlnews_ranking_strategies():
        return [Careless()]
"""


@pytest.fixture
def careless_app(tmp_path: Path, demo: object) -> Starlette:
    write_plugin(tmp_path, "careless", CARELESS.replace("DRAFTS", repr(list(DEMO_DRAFT_SLUGS))))
    return create_app(Settings(plugins_dir=str(tmp_path), disabled_plugins="ranking"))


async def test_a_careless_strategy_cannot_leak_and_the_list_is_still_full(
    careless_app: Starlette,
) -> None:
    body = await _post(
        careless_app, "{ mostRead(first: 4) { rank score reason article { slug } } }"
    )
    assert "errors" not in body, body
    rows = body["data"]["mostRead"]
    assert [row["rank"] for row in rows] == [1, 2, 3, 4]
    assert {row["reason"] for row in rows} == {"published"}
    assert not set(slugs(rows)) & set(DEMO_DRAFT_SLUGS)
    assert len(set(slugs(rows))) == 4
    visible = await Article.filter(slug__in=slugs(rows), status="published").count()
    assert visible == 4
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    plugin = careless_app.state.plugins.get_plugin("careless")
    assert plugin.Careless.asked[-1] == 12, "asked for 3 × first"


async def test_without_most_read_the_first_strategy_offered_is_the_default(
    careless_app: Starlette,
) -> None:
    body = await _post(careless_app, "{ rankingStrategies { name } mostRead(first: 1) { reason } }")
    assert body["data"] == {
        "rankingStrategies": [{"name": "careless"}],
        "mostRead": [{"reason": "published"}],
    }


async def test_a_failing_strategy_fails_the_field_alone(
    tmp_path: Path, demo: object, caplog: pytest.LogCaptureFixture
) -> None:
    write_plugin(
        tmp_path,
        "broken",
        """
        class Broken:
            name = "broken"
            description = "Fails."

            async def rank(self, window, section_id, limit):
                raise RuntimeError("secret internals")

        @hookimpl
        def gqlnews_ranking_strategies():
            return [Broken()]
    """,
    )
    app = create_app(Settings(plugins_dir=str(tmp_path)))
    with caplog.at_level(logging.ERROR, logger="gqlnews.plugins"):
        body = await _post(app, '{ sections { slug } mostRead(strategy: "broken") { rank } }')
    assert body["data"]["sections"] and body["data"]["mostRead"] is None
    assert body["errors"][0]["extensions"] == {
        "code": "PLUGIN_ERROR",
        "plugin": "broken",
        "field": "Query.mostRead",
    }
    assert "secret" not in str(body)
    assert "plugin 'broken' failed in ranking strategy 'broken'" in caplog.text


async def test_most_read_costs_a_bounded_number_of_queries(client: httpx.AsyncClient) -> None:
    section = await make_section()
    moment = now()
    for views in range(1, 13):
        article = await make_article(section=section, published_at=moment - timedelta(days=2))
        await read(article, moment - timedelta(hours=views), views)
    query = """query($s: String, $first: Int!) { mostRead(section: $s, first: $first) {
      rank score article { slug primarySection { slug } sections { slug } } } }"""
    for first, in_section in ((3, True), (10, True), (10, False)):
        variables = {"s": section.slug if in_section else None, "first": first}
        with count_queries() as log:
            data = await gql_data(client, query, variables)
        assert len(data["mostRead"]) == first
        # (section by slug) + the strategy's one statement + visible articles + their sections
        assert log.count == (4 if in_section else 3), log.statements
