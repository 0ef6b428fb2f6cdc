"""Every example query runs against the demo newsroom, answers sensibly and keeps its SQL budget."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from gqlnews.demo import ANATOMY_SLUG
from gqlnews.testing import count_queries
from tests.helpers import gql_data

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "queries"

# SQL queries per example: a changed number is reviewed like a changed API.
# Ceilings of SQL queries per example. Root fields that finish at different moments load their
# relations in separate DataLoader batches, so a page with several lists may pay a relation
# query more than once, and which ones merge depends on timing: the number can come in under
# the ceiling, never over it. None of these grows with the page size (see test_query_budget).
BUDGETS = {
    # nav 2, edition + cover 2, Une section 1, Une page + COUNT 2, latest page 1,
    # five relations (sections, bylines, tags, images, editions) for each of the two lists 10
    "front-page": 18,
    # article 1 + five relations (sections, bylines, tags, image, edition) 5;
    # related: the default blend (text 4, shared tags 4, section-time 1) 9, the suggested
    # articles 1 + their sections 1; edito 1 + bylines 1; cover 2; supplements 1 + covers 1;
    # most read: buckets 1 + articles 1 (+ primary sections, merged with other section loads)
    "article-page": 26,
    "section-page-2": 7,  # section, children, page, COUNT, sections, bylines, images
    "edition": 6,  # edition, cover, articles, their sections and bylines, supplements
    "search": 4,  # ranked ids, visible ids, page, primary sections
}


def _run_args(name: str) -> tuple[str, dict[str, Any]]:
    query = (EXAMPLES / f"{name}.graphql").read_text(encoding="utf-8")
    variables_path = EXAMPLES / f"{name}.variables.json"
    variables = json.loads(variables_path.read_text()) if variables_path.exists() else {}
    return query, variables


def test_every_example_has_a_budget() -> None:
    assert {p.stem for p in EXAMPLES.glob("*.graphql")} == set(BUDGETS)


@pytest.mark.parametrize("name", sorted(BUDGETS))
async def test_example_keeps_its_sql_budget(client: httpx.AsyncClient, name: str) -> None:
    query, variables = _run_args(name)
    with count_queries() as log:
        await gql_data(client, query, variables)
    assert log.count <= BUDGETS[name], "\n".join(log.statements)


async def test_front_page(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, *_run_args("front-page"))
    # Other tests' sections may sit among the demo's (the session shares one database, and
    # a section made before the demo was loaded comes first at the same position).
    demo_slugs = [s["slug"] for s in data["sections"] if not s["slug"].startswith("t-")]
    assert demo_slugs[:1] == ["une"]
    une = data["articles"]["edges"]
    assert une, "the demo has front-page articles"
    for edge in une:
        assert "une" in [s["slug"] for s in edge["node"]["sections"]]
        assert edge["node"]["primarySection"]["slug"] != "une"
    assert data["latestEdition"]["cover"]["url"].startswith("https://")
    latest = [e["node"]["publishedAt"] for e in data["latest"]["edges"]]
    assert latest == sorted(latest, reverse=True)


async def test_article_page_reproduces_the_reference_layout(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, *_run_args("article-page"))
    article = data["article"]
    assert article["slug"] == ANATOMY_SLUG
    assert article["sections"][0]["slug"] == "monde"
    assert {"monde", "une"} <= {s["slug"] for s in article["sections"]}
    assert article["image"]["credit"] == "© D.R"
    assert article["direction"] == "LTR"
    related = article["related"]
    assert len(related) == 4
    for suggestion in related:
        excerpt = suggestion["article"]["excerpt"]
        assert len(excerpt) <= 120 and "<" not in excerpt
        assert suggestion["article"]["sections"]
    assert data["editorial"]["edito"]["slug"]
    assert data["couverture"]["cover"]["url"]
    assert data["supplements"]["nodes"]
    ranks = [entry["rank"] for entry in data["mostRead"]]
    assert ranks == [1, 2, 3, 4, 5]


async def test_section_page_two(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, *_run_args("section-page-2"))
    articles = data["section"]["articles"]
    assert articles["page"] == 2
    assert articles["pageInfo"]["hasPreviousPage"] is True
    assert 0 < len(articles["nodes"]) <= 10
    page_one = await gql_data(
        client, '{ section(slug: "monde") { articles(page: 1, perPage: 10) { nodes { slug } } } }'
    )
    first = {n["slug"] for n in page_one["section"]["articles"]["nodes"]}
    assert first.isdisjoint({n["slug"] for n in articles["nodes"]})


async def test_edition(client: httpx.AsyncClient) -> None:
    edition = (await gql_data(client, *_run_args("edition")))["latestEdition"]
    numbers = [p["number"] for p in edition["pages"]]
    assert numbers == sorted(numbers)
    assert numbers[0] == 1
    assert edition["cover"]["url"]


async def test_search(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, *_run_args("search"))
    slugs = [e["node"]["slug"] for e in data["search"]["edges"]]
    assert ANATOMY_SLUG in slugs
    assert data["search"]["totalCount"] >= len(slugs)
