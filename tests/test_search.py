"""Full-text search: accents, elisions, ranking, and an index that follows edits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from tortoise.transactions import in_transaction

from gqlnews import search_index
from gqlnews.db import connection, connection_dialect
from gqlnews.demo import ANATOMY_SLUG
from gqlnews.graphql.pagination import encode_cursor
from gqlnews.models import Article
from gqlnews.testing import count_queries
from gqlnews.visibility import Viewer, visible_articles
from tests.factories import make_article, make_section
from tests.helpers import gql, gql_data, postgres_only, run_gqlnews

SEARCH = """query($q: String!, $first: Int, $after: String, $filter: ArticleFilter,
  $language: String) {
  search(query: $q, first: $first, after: $after, filter: $filter, language: $language) {
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


async def test_title_matches_rank_above_excerpt_then_body_matches(
    client: httpx.AsyncClient,
) -> None:
    """Title > excerpt > body, whatever the form of the word (stems match) and even when the
    body says it more often."""
    section = await make_section()
    in_body = await make_article(
        section=section,
        title="Autre sujet",
        body_html="<p>On parle des quetzalcoatlus ici, des quetzalcoatlus encore.</p>",
    )
    in_excerpt = await make_article(
        section=section,
        title="Encore autre chose",
        excerpt="Un quetzalcoatlus.",
        body_html="<p>Rien.</p>",
    )
    in_title = await make_article(
        section=section, title="Le quetzalcoatlus revient", body_html="<p>Rien.</p>"
    )
    expected = [in_title.slug, in_excerpt.slug, in_body.slug]
    assert await _slugs(client, "quetzalcoatlus") == expected
    assert await _slugs(client, "Quetzalcoatlus", language="fr") == expected


async def test_one_word_in_the_title_ranks_above_every_word_in_the_body(
    client: httpx.AsyncClient,
) -> None:
    """Every word must match, but ranking credits each word on its own: an article whose title
    holds one of the words and whose body holds the other comes before one (newer, so first on
    a tie) whose body alone holds both."""
    section = await make_section()
    partly_in_title = await make_article(
        section=section, title="Le zébu revient", body_html="<p>Et le yak aussi.</p>"
    )
    in_body = await make_article(
        section=section, title="Autre sujet", body_html="<p>Le zébu et le yak.</p>"
    )
    expected = [partly_in_title.slug, in_body.slug]
    assert await _slugs(client, "zebu yak", filter={"sections": [section.slug]}) == expected


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


async def test_pages_follow_one_another_by_keyset(client: httpx.AsyncClient) -> None:
    """Walking the pages two by two gives the one-page answer, in order, once each: ranks
    differ (title, excerpt or body; one or many mentions) and tie (same text, ids decide)."""
    section = await make_section()
    texts = [
        {"title": "Le wombat", "body_html": "<p>Rien.</p>"},
        {"title": "Autre", "excerpt": "Un wombat.", "body_html": "<p>Rien.</p>"},
        *[{"title": "Autre", "body_html": "<p>Un wombat.</p>"} for _ in range(4)],
        {"title": "Autre", "body_html": "<p>Des wombats, encore des wombats.</p>"},
    ]
    for fields in texts:
        await make_article(section=section, **fields)
    only = {"filter": {"sections": [section.slug]}}
    whole = await _slugs(client, "wombat", first=100, **only)
    assert len(whole) == len(texts)
    walked: list[str] = []
    after = None
    while True:
        data = await gql_data(client, SEARCH, {"q": "wombat", "first": 2, "after": after, **only})
        page = data["search"]
        walked += [e["node"]["slug"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == whole


async def test_search_costs_the_same_statements_on_any_page(client: httpx.AsyncClient) -> None:
    """Match + visibility + rank + keyset in one statement, the page's articles in a second,
    the count in a third: on the first page as on a deep one, for 3 or 30 matches."""
    section = await make_section()
    for n in range(30):
        await make_article(section=section, body_html=f"<p>Le pangolin numéro {n}.</p>")
    only = {"filter": {"sections": [section.slug]}}
    first_page = await gql_data(client, SEARCH, {"q": "pangolin", "first": 3, **only})
    cursor = first_page["search"]["pageInfo"]["endCursor"]
    counts = []
    for after in (None, cursor):
        for word in ("pangolin", "numéro"):
            with count_queries() as log:
                data = await gql_data(
                    client, SEARCH, {"q": word, "first": 3, "after": after, **only}
                )
            assert data["search"]["totalCount"] == 30
            counts.append(log.count)
    assert counts == [3, 3, 3, 3]


async def test_a_cursor_of_another_list_is_refused(client: httpx.AsyncClient) -> None:
    articles = await gql_data(client, "{ articles(first: 1) { pageInfo { endCursor } } }")
    forged = [
        encode_cursor(payload)
        for payload in (
            {"r": 1e308, "i": 1},  # beyond PostgreSQL's real
            {"r": 0.5, "i": 2**40},  # beyond an INT id
            {"r": "0.5", "i": 1},
            {"r": True, "i": 1},
            {"r": 0.5, "i": 0},
            {"o": 3},  # a cursor of the old offset pages
        )
    ]
    for cursor in (articles["articles"]["pageInfo"]["endCursor"], "bm90IGEgY3Vyc29y", *forged):
        body = await gql(client, SEARCH, {"q": "libye", "after": cursor})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_cursor_holds_while_articles_are_published(client: httpx.AsyncClient) -> None:
    """Keyset, not offset: an article published between two pages (ranked first) does not
    push the first page's last article onto the second. PostgreSQL's rank depends on the
    article alone; SQLite's BM25 weighs words by their rarity in the whole archive, so there a
    publication shifts every rank a little (docs/api.md says so) and the exact page boundary
    is only asserted on PostgreSQL."""
    section = await make_section()
    for n in range(4):
        await make_article(section=section, body_html=f"<p>Le tatou {n}.</p>")
    only = {"filter": {"sections": [section.slug]}}
    first = await gql_data(client, SEARCH, {"q": "tatou", "first": 2, **only})
    seen = [e["node"]["slug"] for e in first["search"]["edges"]]
    await make_article(section=section, title="Le tatou, le tatou", body_html="<p>Tatou.</p>")
    after = first["search"]["pageInfo"]["endCursor"]
    rest = await _slugs(client, "tatou", first=10, after=after, **only)
    if connection_dialect(connection()) == "postgres":
        assert len(rest) == 2
        assert set(rest).isdisjoint(seen)
    else:
        assert len(set(rest) | set(seen)) >= 4


async def test_reindex_rewrites_terms_left_by_another_analysis(
    client: httpx.AsyncClient,
) -> None:
    """What ``gqlnews search reindex`` and migration 0009 do: terms written by an older
    analysis (here: none, as before 0009) are recomputed, the others are left alone."""
    section = await make_section()
    article = await make_article(section=section, title="Les okapis", body_html="<p>Rares.</p>")
    conn = connection()
    mark = "$1" if connection_dialect(conn) == "postgres" else "?"
    await conn.execute_query(
        f"UPDATE article SET title_terms = 'les', body_terms = 'rares' WHERE id = {mark}",
        [article.pk],
    )
    assert await _slugs(client, "okapi") == []
    analysed, changed = await search_index.reindex(conn, batch=7)
    assert changed == 1
    assert analysed == await Article.all().count()
    assert await _slugs(client, "okapi") == [article.slug]
    assert await search_index.reindex(conn) == (analysed, 0)


def test_reindex_command(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/reindex.sqlite3"
    assert run_gqlnews("--database-url", url, "migrate").returncode == 0
    done = run_gqlnews("--database-url", url, "search", "reindex")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("analysed 0 articles, 0 with new terms, in ")


def _scanned_articles(plan: dict[str, Any]) -> int:
    """Rows that the scans of ``article`` in an ``EXPLAIN (ANALYZE, FORMAT JSON)`` plan
    read, every loop counted."""
    own = 0
    if plan.get("Relation Name") == "article":
        own = int(plan["Actual Rows"]) * int(plan["Actual Loops"])
    return own + sum(_scanned_articles(child) for child in plan.get("Plans", []))


@postgres_only
async def test_a_page_stops_looking_up_matches_at_its_end(demo: object) -> None:
    """PostgreSQL: a page checks its matches against the visible articles one by one in rank
    order and stops once it is full, with the plan the driver ends up using for a statement
    it has prepared (the generic one): 3 of 30 matches looked up, not every visible article
    hashed nor every match probed."""
    section = await make_section()
    for n in range(30):
        await make_article(section=section, body_html=f"<p>Le tatou numéro {n}.</p>")
    conn = connection()
    among = visible_articles(Viewer(), datetime.now(UTC))
    sql, params = search_index.page_statement(
        conn, ["tatou"], search_index.among_of(among), None, 3
    )
    async with in_transaction() as tx:
        await tx.execute_script("SET LOCAL plan_cache_mode = force_generic_plan")
        rows = await tx.execute_query_dict(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
    plan = rows[0]["QUERY PLAN"]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    assert plan["Actual Rows"] == 3
    # The matches come from the function (its own statement); the probes are the only scans
    # of the table in this plan.
    assert _scanned_articles(plan) == 3
