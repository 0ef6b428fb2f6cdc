"""Full-text search: accents, elisions, ranking, and an index that follows edits."""

from __future__ import annotations

import httpx

from gqlnews.demo import ANATOMY_SLUG
from tests.factories import make_article, make_section
from tests.helpers import gql_data

SEARCH = """query($q: String!, $first: Int, $after: String, $filter: ArticleFilter) {
  search(query: $q, first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { slug title } }
  }
}"""


async def _slugs(client: httpx.AsyncClient, q: str, **variables: object) -> list[str]:
    data = await gql_data(client, SEARCH, {"q": q, **variables})
    return [e["node"]["slug"] for e in data["search"]["edges"]]


async def test_libye_otan_finds_la_libye_and_l_otan(client: httpx.AsyncClient) -> None:
    assert ANATOMY_SLUG in await _slugs(client, "libye otan", first=100)


async def test_accents_and_case_do_not_matter(client: httpx.AsyncClient) -> None:
    section = await make_section()
    article = await make_article(
        section=section, title="Réforme de l'Éducation", body_html="<p>Les élèves échouent.</p>"
    )
    for query in ("reforme education", "RÉFORME ÉDUCATION", "l'éducation eleves"):
        assert article.slug in await _slugs(client, query, first=100), query


async def test_title_matches_rank_above_body_matches(client: httpx.AsyncClient) -> None:
    section = await make_section()
    in_body = await make_article(
        section=section, title="Autre sujet", body_html="<p>On parle du quetzalcoatlus ici.</p>"
    )
    in_title = await make_article(
        section=section, title="Le quetzalcoatlus revient", body_html="<p>Rien.</p>"
    )
    assert await _slugs(client, "quetzalcoatlus") == [in_title.slug, in_body.slug]


async def test_index_follows_edits_and_deletes(client: httpx.AsyncClient) -> None:
    section = await make_section()
    article = await make_article(section=section, body_html="<p>Un ornithorynque.</p>")
    assert await _slugs(client, "ornithorynque") == [article.slug]
    article.body_html = "<p>Un tamanoir.</p>"
    await article.save()
    assert await _slugs(client, "ornithorynque") == []
    assert await _slugs(client, "tamanoir") == [article.slug]
    await article.delete()
    assert await _slugs(client, "tamanoir") == []


async def test_search_pages_and_filters(client: httpx.AsyncClient) -> None:
    section = await make_section()
    other = await make_section()
    made = [
        await make_article(
            section=section if i % 2 else other, body_html=f"<p>Le capybara numéro {i}.</p>"
        )
        for i in range(5)
    ]
    data = await gql_data(client, SEARCH, {"q": "capybara", "first": 2})
    page = data["search"]
    assert page["totalCount"] == 5
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await _slugs(client, "capybara", first=10, after=page["pageInfo"]["endCursor"])
    assert len(rest) == 3
    assert set(rest).isdisjoint(e["node"]["slug"] for e in page["edges"])
    filtered = await _slugs(client, "capybara", first=10, filter={"sections": [section.slug]})
    assert set(filtered) == {a.slug for i, a in enumerate(made) if i % 2}
