"""Article lists, search results and related articles read the columns their selection needs
(``gqlnews.graphql.types.article_columns``): a list of teasers reads neither body nor search
terms, a list that shows the body reads it, a list whose articles go to plugins' code reads
every column; and the answers are those of whole rows."""

from __future__ import annotations

import re
import types
from typing import Any

import httpx
import pytest
import strawberry

from gqlnews.api import TypeExtension, hookimpl
from gqlnews.demo import DemoSummary
from gqlnews.models import UserRole
from gqlnews.plugins import make_plugin_manager
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from tests.account_factories import data_as, staff_token

LIST = "articles(first: 6)"

_ONLY_WITHOUT_STANDFIRST = re.compile(
    r'CASE WHEN ("article"\.)?"excerpt"=\'\' '
    r'THEN ("article"\.)?"body_text" ELSE \'\' END "body_text"'
)
"""The rewrite of :mod:`gqlnews.graphql.body_text`, with the columns named as Tortoise names
them (qualified when the statement joins another table: a section's list)."""

TEASER = "title slug excerpt publishedAt image { url credit } sections { name }"

EVERY_FIELD = """
    id slug title subtitle body genre language dateline page publishedAt updatedAt
    excerpt short: excerpt(maxLength: 40) status version embargoUntil direction
    readingTimeMinutes wordCount primarySection { slug } sections { slug } authors { slug }
    tags { slug } url image { url } edition { number } supplement { slug } __typename
"""
"""Every field of Article but those that give the article to plugins (related) or need a
staff token (revisions)."""


async def _list_statement(client: httpx.AsyncClient, query: str, token: str | None = None) -> str:
    """The text of the one statement ``query`` sends that reads a page of articles."""
    with count_queries() as log:
        await data_as(client, token, query)
    pages = [
        s for s in log.statements if 'FROM "article"' in s and "LIMIT" in s and "COUNT(" not in s
    ]
    assert len(pages) == 1, log.statements
    return pages[0]


def _list(selection: str) -> str:
    return f"{{ {LIST} {{ {selection} }} }}"


@pytest.mark.parametrize(
    ("query", "reads"),
    [
        (_list("nodes { title slug publishedAt }"), set()),
        (_list(f"nodes {{ {TEASER} }}"), {"body_text"}),
        (_list("nodes { title body }"), {"body_html"}),
        (_list("edges { cursor node { title body excerpt } }"), {"body_html", "body_text"}),
        (_list("nodes { ...T }") + " fragment T on Article { body }", {"body_html"}),
        (_list("nodes { ... on Article { body } }"), {"body_html"}),
        (_list("nodes { ... on Node { id } }"), set()),
        (_list("nodes { title body @include(if: false) }"), {"body_html"}),  # counted anyway
        (_list("totalCount pageInfo { hasNextPage }"), set()),
        ('{ section(slug: "monde") { articles(first: 3) { nodes { excerpt } } } }', {"body_text"}),
    ],
)
async def test_a_list_reads_the_text_columns_its_selection_shows(
    client: httpx.AsyncClient, query: str, reads: set[str]
) -> None:
    statement = await _list_statement(client, query)
    for column in ("body_html", "body_text"):
        assert (f'"{column}"' in statement) is (column in reads), (column, statement)
    # the plain body, for an excerpt, only of the articles without a standfirst
    assert bool(_ONLY_WITHOUT_STANDFIRST.search(statement)) is ("body_text" in reads), statement
    for column in ("title_terms", "excerpt_terms", "body_terms"):
        assert f'"{column}"' not in statement
    assert '"title"' in statement and '"image_id"' in statement  # the other columns are read


async def test_a_list_whose_articles_go_to_plugins_reads_every_column(
    client: httpx.AsyncClient,
) -> None:
    statement = await _list_statement(
        client, _list("nodes { title related(first: 1) { article { slug } } }")
    )
    for column in ("body_html", "body_text", "body_terms"):
        assert f'"{column}"' in statement


@pytest.mark.parametrize("staff", [False, True], ids=["reader", "staff"])
async def test_a_light_list_answers_what_whole_rows_answer(
    client: httpx.AsyncClient, demo: DemoSummary, staff: bool
) -> None:
    """Each article of a list read with some columns answers what it answers alone (a look-up
    by id reads whole rows), field for field, the body and the excerpt cut from it
    included."""
    token = (await staff_token(UserRole.EDITOR))[1] if staff else None
    light = f"{{ articles(first: 30) {{ nodes {{ {EVERY_FIELD.replace(' body ', ' ')} }} }} }}"
    nodes = (await data_as(client, token, light))["articles"]["nodes"]
    assert len(nodes) == 30
    for node in nodes:
        alone = await data_as(
            client,
            token,
            "query One($id: ID!) { node(id: $id) { ... on Article { "
            + EVERY_FIELD.replace(" body ", " ")
            + " } } }",
            {"id": node["id"]},
        )
        assert alone["node"] == node
    with_body = f"{{ articles(first: 30) {{ nodes {{ {EVERY_FIELD} }} }} }}"
    bodies = (await data_as(client, token, with_body))["articles"]["nodes"]
    assert [{k: v for k, v in n.items() if k != "body"} for n in bodies] == nodes
    assert all(n["body"].startswith("<") for n in bodies)


async def test_an_article_of_a_light_list_looked_up_again_has_its_body(
    client: httpx.AsyncClient, demo: DemoSummary
) -> None:
    """The list's partial instances are not kept for the request's look-ups by id: a related
    article (looked up by id, after the lists) that a light list of the same request read
    too is read whole, its body included."""
    found = await data_as(
        client,
        None,
        "{ light: articles(first: 100) { nodes { id } } "
        "whole: articles(first: 5) { nodes { related(first: 4) { article { id body } } } } }",
    )
    light = {node["id"] for node in found["light"]["nodes"]}
    related = [r["article"] for n in found["whole"]["nodes"] for r in n["related"]]
    assert {article["id"] for article in related} & light  # read by both
    assert all(article["body"].startswith("<") for article in related)


def _by_id_statements(statements: list[str]) -> list[str]:
    """The statements that look articles up by id (search hits, related suggestions), in
    the order they were sent."""
    return [
        s
        for s in statements
        if s.partition(" FROM ")[2].startswith('"article" WHERE') and '"id" IN (' in s
    ]


def _text_columns(statement: str) -> set[str]:
    names = ("body_html", "body_text", "title_terms", "excerpt_terms", "body_terms")
    return {name for name in names if f'"{name}"' in statement}


SEARCH = '{{ search(query: "libye", first: 5) {{ {} }} }}'
RELATED = "{{ articles(first: 5) {{ nodes {{ slug related(first: 3) {{ {} }} }} }} }}"
MOST_READ = "{{ mostRead(window: WEEK, first: 5) {{ {} }} }}"
_EVERY = {"body_html", "body_text", "title_terms", "excerpt_terms", "body_terms"}


@pytest.mark.parametrize(
    ("query", "reads"),
    [
        (SEARCH.format("nodes { title slug publishedAt }"), set()),
        (SEARCH.format(f"nodes {{ {TEASER} }}"), {"body_text"}),
        (SEARCH.format("edges { node { slug body } }"), {"body_html"}),
        (SEARCH.format("nodes { related(first: 1) { score } }"), _EVERY),
        (RELATED.format("score article { title slug publishedAt image { url } }"), set()),
        (RELATED.format("article { ...T }") + " fragment T on Article { excerpt }", {"body_text"}),
        (RELATED.format("article { body }"), {"body_html"}),
        (RELATED.format("article { related(first: 1) { score } }"), _EVERY),
        (MOST_READ.format("rank article { title slug primarySection { name } }"), set()),
        (MOST_READ.format("article { ... on Article { excerpt } }"), {"body_text"}),
        (MOST_READ.format("score article { body }"), {"body_html"}),
        (MOST_READ.format("article { related(first: 1) { score } }"), _EVERY),
    ],
)
async def test_search_and_related_read_the_text_columns_their_selection_shows(
    client: httpx.AsyncClient, query: str, reads: set[str]
) -> None:
    """Search hits, related suggestions and the most read articles are looked up by id after
    the search or the strategy: that look-up reads what the selection of their articles
    shows."""
    with count_queries() as log:
        await data_as(client, None, query)
    found = _by_id_statements(log.statements)
    assert found, log.statements
    # the first: the search's hits, or the suggestions for the list's articles (a nested
    # related field's come after)
    assert _text_columns(found[0]) == reads, found
    assert bool(_ONLY_WITHOUT_STANDFIRST.search(found[0])) is (reads == {"body_text"}), found


@pytest.mark.parametrize("staff", [False, True], ids=["reader", "staff"])
async def test_light_search_hits_and_suggestions_answer_what_whole_rows_answer(
    client: httpx.AsyncClient, demo: DemoSummary, staff: bool
) -> None:
    """Search hits, related articles and the most read articles read with some columns
    answer, field for field, what each answers when looked up alone."""
    token = (await staff_token(UserRole.EDITOR))[1] if staff else None
    fields = EVERY_FIELD.replace(" body ", " ")
    query = (
        f'{{ search(query: "le", first: 20) {{ nodes {{ {fields} }} }} '
        f"articles(first: 10) {{ nodes {{ related(first: 4) {{ article {{ {fields} }} }} }} }} "
        f"mostRead(window: WEEK, first: 10) {{ article {{ {fields} }} }} }}"
    )
    found = await data_as(client, token, query)
    hits = found["search"]["nodes"]
    suggested = [r["article"] for n in found["articles"]["nodes"] for r in n["related"]]
    most_read = [ranked["article"] for ranked in found["mostRead"]]
    assert len(hits) == 20 and len(suggested) >= 10 and len(most_read) >= 5
    for node in [*hits, *suggested, *most_read]:
        alone = await data_as(
            client,
            token,
            "query One($id: ID!) { node(id: $id) { ... on Article { " + fields + " } } }",
            {"id": node["id"]},
        )
        assert alone["node"] == node


@strawberry.type
class _ArticleLength:
    @strawberry.field
    def body_length(self) -> int:
        return len(self.model.body_text)  # type: ignore[attr-defined]


async def test_a_plugin_field_on_articles_gets_whole_rows(demo: DemoSummary) -> None:
    """A field a plugin adds to Article may read any column of the article it is given."""
    plugin = types.SimpleNamespace(
        gqlnews_extend_types=hookimpl(lambda: [TypeExtension("Article", _ArticleLength)])
    )
    settings = Settings(cache=False, rate_limit_per_minute=0)
    app = create_app(settings, make_plugin_manager(settings, [("length", plugin)]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        statement = await _list_statement(http, _list("nodes { slug bodyLength }"))
        assert '"body_text"' in statement and '"body_terms"' in statement
        found: dict[str, Any] = await data_as(http, None, _list("nodes { bodyLength excerpt }"))
    assert all(n["bodyLength"] > 0 for n in found["articles"]["nodes"])
