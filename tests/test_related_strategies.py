"""Related-article strategies from plugins: batched per request, and never able to show what
a reader may not see."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from gqlnews.demo import DEMO_DRAFT_SLUGS, DEMO_EMBARGOED_SLUGS
from gqlnews.models import Article
from gqlnews.plugins import PluginError
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from tests.helpers import gql, gql_data
from tests.test_plugin_host import write_plugin

# A careless strategy: it suggests drafts, embargoed articles, the article itself, repeats,
# and ids that do not exist; and it reads the database once per batch, as a real one would.
LEAKY = """
    from gqlnews.models import Article
    from gqlnews.plugins.strategies import Scored
    from gqlnews.visibility import visible_articles

    class Leaky:
        name = "leaky"
        description = "Suggests anything it finds."
        calls = 0

        async def related(self, articles, limit):
            Leaky.calls += 1
            hidden = await Article.filter(slug__in=HIDDEN).values_list("id", flat=True)
            # Visible ones, so that four are left after the filter whatever other tests added.
            recent = (
                await visible_articles().order_by("-id").limit(8).values_list("id", flat=True)
            )
            out = {}
            for article in articles:
                ids = [*hidden, article.pk, *recent, *recent, 999999]
                out[article.pk] = [Scored(i, 100.0 - n, f"rank {n}") for n, i in enumerate(ids)]
            return out

    STRATEGY = Leaky()

    @hookimpl
    def gqlnews_related_strategies():
        return [STRATEGY]
"""

LIST = """query($first: Int!) { articles(first: $first) { nodes { slug
  related(first: 4) { score reason article { slug sections { slug } } } } } }"""


@pytest.fixture
def leaky_app(tmp_path: Path, demo: object) -> object:
    hidden = [*DEMO_DRAFT_SLUGS, *DEMO_EMBARGOED_SLUGS]
    write_plugin(tmp_path, "leaky", LEAKY.replace("HIDDEN", repr(hidden)))
    # the built-in related plugin is left out: these tests are about a third-party strategy
    return create_app(Settings(plugins_dir=str(tmp_path), disabled_plugins="related"))


async def test_a_strategy_cannot_leak_invisible_articles(leaky_app: object) -> None:
    transport = httpx.ASGITransport(app=leaky_app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        data = await gql_data(client, LIST, {"first": 10})
    hidden = set(DEMO_DRAFT_SLUGS) | set(DEMO_EMBARGOED_SLUGS)
    visible = set(await Article.filter(status="published").values_list("slug", flat=True))
    for node in data["articles"]["nodes"]:
        related = [r["article"]["slug"] for r in node["related"]]
        assert len(related) == 4
        assert node["slug"] not in related
        assert len(set(related)) == 4
        assert not hidden & set(related)
        assert set(related) <= visible
        scores = [r["score"] for r in node["related"]]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("first", [5, 20])
async def test_related_inside_a_list_costs_a_bounded_number_of_queries(
    leaky_app: object, first: int
) -> None:
    transport = httpx.ASGITransport(app=leaky_app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        with count_queries() as log:
            await gql_data(client, LIST, {"first": first})
    # page 1 + strategy's own 2 + suggested articles 1 + their sections 1
    assert log.count == 5, log.statements


async def test_strategies_are_listed_and_unknown_names_refused(leaky_app: object) -> None:
    transport = httpx.ASGITransport(app=leaky_app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        data = await gql_data(client, "{ relatedStrategies { name description plugin } }")
        body = await gql(
            client, '{ articles(first: 1) { nodes { related(strategy: "x") { score } } } }'
        )
    assert data["relatedStrategies"] == [
        {"name": "leaky", "description": "Suggests anything it finds.", "plugin": "leaky"}
    ]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "known: leaky" in body["errors"][0]["message"]


async def test_without_strategies_related_is_empty(demo: object) -> None:
    app = create_app(Settings(disabled_plugins="related"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        data = await gql_data(client, "{ articles(first: 2) { nodes { related { score } } } }")
    assert [n["related"] for n in data["articles"]["nodes"]] == [[], []]


def test_two_strategies_with_one_name_stop_the_server(tmp_path: Path) -> None:
    for plugin in ("one", "two"):
        write_plugin(
            tmp_path,
            plugin,
            """
            class Same:
                name = "same"
                description = ""
                async def related(self, articles, limit):
                    return {}

            @hookimpl
            def gqlnews_related_strategies():
                return [Same()]
        """,
        )
    clash = r"'same' is offered by both '(one|two)' and '(one|two)'"
    with pytest.raises(PluginError, match=clash):
        create_app(Settings(plugins_dir=str(tmp_path)))
