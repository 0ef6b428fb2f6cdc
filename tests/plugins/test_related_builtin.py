"""The built-in related plugin on the demo newsroom: it finds the article's story, each
strategy alone and blended, and the server runs without it."""

from __future__ import annotations

import httpx
import pytest

from gqlnews.demo import ANATOMY_SLUG
from gqlnews.models import Article, ArticleTag, Tag
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from gqlnews_related.blend import Blend
from tests.helpers import gql_data

RELATED = """query($slug: String!, $strategy: String) {
  article(slug: $slug) { related(strategy: $strategy, first: 4) { score reason
    article { slug primarySection { slug } tags { slug } } } }
}"""


@pytest.mark.parametrize("strategy", [None, "blend", "text", "shared-tags", "section-time"])
async def test_each_strategy_suggests_four_visible_articles(
    client: httpx.AsyncClient, strategy: str | None
) -> None:
    data = await gql_data(client, RELATED, {"slug": ANATOMY_SLUG, "strategy": strategy})
    related = data["article"]["related"]
    assert len(related) == 4
    assert ANATOMY_SLUG not in [r["article"]["slug"] for r in related]


async def test_the_default_finds_the_libya_nato_story(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, RELATED, {"slug": ANATOMY_SLUG})
    story_tags = {"libye", "otan"}
    for suggestion in data["article"]["related"]:
        assert story_tags & {t["slug"] for t in suggestion["article"]["tags"]}, suggestion


async def test_shared_tags_prefers_rare_tags(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, RELATED, {"slug": ANATOMY_SLUG, "strategy": "shared-tags"})
    scores = [r["score"] for r in data["article"]["related"]]
    assert scores == sorted(scores, reverse=True)
    anatomy = await Article.get(slug=ANATOMY_SLUG)
    own = set(await ArticleTag.filter(article_id=anatomy.pk).values_list("tag_id", flat=True))
    first = data["article"]["related"][0]["article"]["slug"]
    theirs = await ArticleTag.filter(article__slug=first).values_list("tag_id", flat=True)
    assert own & set(theirs)
    assert await Tag.filter(id__in=own & set(theirs)).exists()


@pytest.mark.parametrize("first", [5, 20])
async def test_related_in_a_list_is_bounded(client: httpx.AsyncClient, first: int) -> None:
    query = "query($n: Int!) { articles(first: $n) { nodes { related(first: 4) { score } } } }"
    with count_queries() as log:
        data = await gql_data(client, query, {"n": first})
    assert len(data["articles"]["nodes"]) == first
    # page + blend (one statement per strategy: text, shared tags, section-time) + the
    # suggested articles through the visible-article loader
    assert log.count == 5, log.statements


async def test_the_server_runs_without_the_plugin(demo: object) -> None:
    app = create_app(Settings(disabled_plugins="related"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        data = await gql_data(
            client,
            "query($s: String!) { relatedStrategies { name } "
            "article(slug: $s) { related { score } } }",
            {"s": ANATOMY_SLUG},
        )
    assert data == {"relatedStrategies": [], "article": {"related": []}}


def test_the_blend_describes_the_weights_it_adds() -> None:
    from gqlnews_related.plugin import gqlnews_related_strategies

    blend, *parts = gqlnews_related_strategies()
    assert blend.name == "blend"
    assert isinstance(blend, Blend)
    for strategy, weight in blend.weighted:
        assert f"{strategy.name} {weight:g}" in blend.description
    assert {s.name for s, _ in blend.weighted} == {s.name for s in parts}
