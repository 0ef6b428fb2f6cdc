"""A section's articles hold those of its children and grandchildren (any position), not
those further down: executed and planned, the list and its count agree with the links'
sections looked up two levels."""

from __future__ import annotations

import httpx
import orjson
from tortoise.expressions import Q

from gqlnews.documents import document_hash
from gqlnews.models import Article, ArticleSection, Section
from gqlnews.testing import count_queries
from tests.factories import make_article, make_section
from tests.test_plans import _text_executed  # noqa: F401 (autouse: text is executed here)

TREE = """query($slug: String!) {
  section(slug: $slug) { articles(first: 50) { totalCount nodes { slug } } }
}"""


async def _tree_as_joined_before(top: int) -> set[str]:
    """The oracle: the articles of the links whose section, parent or grandparent is
    ``top``, looked up here without the list's statements."""
    links = ArticleSection.filter(
        Q(section_id=top) | Q(section__parent_id=top) | Q(section__parent__parent_id=top)
    )
    ids = await links.values_list("article_id", flat=True)
    return set(await Article.filter(id__in=list(ids)).values_list("slug", flat=True))


async def test_children_and_grandchildren_not_further(
    client: httpx.AsyncClient, demo: object
) -> None:
    top = await make_section()
    child = await make_section(parent=top)
    grandchild = await make_section(parent=child)
    great = await make_section(parent=grandchild)
    other = await make_section()
    own = await make_article(section=top)
    second = await make_article(section=other, extra_sections=(child,))  # in second position
    deep = await make_article(section=grandchild)
    await make_article(section=great)
    await make_article(section=other)
    expected = {own.slug, second.slug, deep.slug}
    assert await _tree_as_joined_before(top.pk) == expected

    apq = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(TREE)}}
    for how, extensions in (("executed", {}), ("planned", apq)):
        body = {"query": TREE, "variables": {"slug": top.slug}, "extensions": extensions}
        with count_queries() as log:
            answer = orjson.loads((await client.post("/graphql", json=body)).content)
        assert "errors" not in answer, answer
        articles = answer["data"]["section"]["articles"]
        assert {node["slug"] for node in articles["nodes"]} == expected, how
        assert articles["totalCount"] == 3, how
        assert log.count <= 4, log.statements  # section, page, count, nodes' fields
    assert not await Section.filter(parent=great)  # nothing below the fourth level
