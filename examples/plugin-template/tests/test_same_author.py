"""The plugin's own tests: a real gqlnews app with the plugin as installed (``pip install -e
".[test]"``: gqlnews finds it through its entry point, as it will in production), on the demo
newsroom."""

import gqlnews_same_author

from gqlnews.testing import ANATOMY_SLUG, count_queries, plugin_harness

NAME = "same_author"  # the entry point's name in pyproject.toml
RELATED = """
query($slug: String!) {
  article(slug: $slug) {
    authors { slug }
    related(strategy: "same-author", first: 3) { reason article { authors { slug } } }
  }
}
"""


async def test_gqlnews_loads_it_and_lists_the_strategy() -> None:
    async with plugin_harness() as gqlnews:
        loaded = gqlnews.plugins.get_plugin(NAME)
        data = await gqlnews.data("{ relatedStrategies { name description } }")
    assert loaded is gqlnews_same_author, "not installed? run: pip install -e '.[test]'"
    names = {strategy["name"] for strategy in data["relatedStrategies"]}
    assert "same-author" in names


async def test_suggestions_share_an_author() -> None:
    async with plugin_harness(demo=True) as gqlnews:
        article = (await gqlnews.data(RELATED, {"slug": ANATOMY_SLUG}))["article"]
    mine = {author["slug"] for author in article["authors"]}
    assert article["related"]
    for suggestion in article["related"]:
        assert suggestion["reason"] == "same author"
        assert mine & {author["slug"] for author in suggestion["article"]["authors"]}


async def test_it_stays_cheap_in_a_list() -> None:
    query = '{ articles(first: 20) { nodes { related(strategy: "same-author") { score } } } }'
    async with plugin_harness(demo=True) as gqlnews:
        with count_queries() as sql:
            await gqlnews.data(query)
    assert 2 <= sql.count <= 8, sql.statements
