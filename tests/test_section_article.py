"""``section_article``, the index of each section's tree by publication (migration 0014): the
database keeps it equal to what the links and the tree say, whatever writes, and a reader's
section list read through it holds the same articles in the same order as the rule it
replaces (links to the section, its children or its grandchildren)."""

from __future__ import annotations

import asyncio
import contextvars
import random
from datetime import timedelta
from typing import Any

import httpx
import pytest
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from gqlnews.db import connection
from gqlnews.graphql.criteria import ArticleCriteria, ArticleOrder, apply_criteria, order_articles
from gqlnews.graphql.types import article_lists
from gqlnews.ids import encode_id
from gqlnews.models import (
    Article,
    ArticleSection,
    ArticleStatus,
    Section,
    SectionArticle,
    UserRole,
)
from gqlnews.newsroom import sections
from gqlnews.testing import count_queries
from gqlnews.visibility import ANONYMOUS, Viewer, visible_articles
from tests.account_factories import data_as, staff_token
from tests.factories import make_article, make_section, now
from tests.helpers import gql_data, postgres_only

pytestmark = pytest.mark.usefixtures("database")


async def _ancestors(section_id: int) -> list[int]:
    """The sections above ``section_id``, nearest first, as stored now."""
    found: list[int] = []
    current = await Section.get(id=section_id)
    while current.parent_id is not None:
        found.append(current.parent_id)
        current = await Section.get(id=current.parent_id)
    return found


async def _reach(section_id: int) -> set[int]:
    """The sections a link to ``section_id`` reaches: itself, its parent, its grandparent."""
    return {section_id, *(await _ancestors(section_id))[:2]}


async def _expected(article_ids: list[int]) -> set[tuple[int, int, Any]]:
    """The rows the table must hold for ``article_ids``, worked out from the links."""
    published = dict(await Article.filter(id__in=article_ids).values_list("id", "published_at"))
    rows = set()
    for link in await ArticleSection.filter(article_id__in=article_ids):
        for section_id in await _reach(link.section_id):
            rows.add((section_id, link.article_id, published[link.article_id]))
    return rows


async def _held(article_ids: list[int]) -> set[tuple[int, int, Any]]:
    found = await SectionArticle.filter(article_id__in=article_ids).values_list(
        "section_id", "article_id", "published_at"
    )
    return set(found)


async def _tree() -> tuple[Section, Section, Section, Section]:
    """A top section, its child, its grandchild and a great-grandchild (out of reach)."""
    top = await make_section()
    child = await make_section(parent=top)
    grandchild = await make_section(parent=child)
    deeper = await make_section(parent=grandchild)
    return top, child, grandchild, deeper


async def test_a_link_reaches_its_section_parent_and_grandparent() -> None:
    top, child, grandchild, deeper = await _tree()
    article = await make_article(section=deeper)
    held = await _held([article.pk])
    assert {s for s, _, _ in held} == {deeper.pk, grandchild.pk, child.pk}
    assert held == await _expected([article.pk])

    await ArticleSection.create(article=article, section=top, position=1)
    assert {s for s, _, _ in await _held([article.pk])} == {
        deeper.pk,
        grandchild.pk,
        child.pk,
        top.pk,
    }


async def test_removing_a_link_keeps_what_another_link_still_reaches() -> None:
    top, child, grandchild, _ = await _tree()
    article = await make_article(section=grandchild, extra_sections=(child,))
    await ArticleSection.filter(article_id=article.pk, section_id=grandchild.pk).delete()
    assert {s for s, _, _ in await _held([article.pk])} == {child.pk, top.pk}

    await ArticleSection.filter(article_id=article.pk).delete()
    assert await _held([article.pk]) == set()


async def test_a_changed_link_and_a_new_publication_time_are_followed() -> None:
    _, child, _, _ = await _tree()
    other = await make_section()
    article = await make_article(section=child)
    link = await ArticleSection.get(article_id=article.pk, section_id=child.pk)
    await ArticleSection.filter(id=link.pk).update(section_id=other.pk)
    assert {s for s, _, _ in await _held([article.pk])} == {other.pk}

    later = now() + timedelta(days=3)
    await Article.filter(id=article.pk).update(published_at=later)
    assert {p for _, _, p in await _held([article.pk])} == {later}
    await Article.filter(id=article.pk).update(published_at=None)
    assert {p for _, _, p in await _held([article.pk])} == {None}


async def test_moving_a_section_moves_the_articles_below_it() -> None:
    top, child, grandchild, deeper = await _tree()
    elsewhere = await make_section()
    articles = [await make_article(section=s) for s in (child, grandchild, deeper)]
    ids = [a.pk for a in articles]

    await sections.move(child.pk, elsewhere.pk)

    assert await _held(ids) == await _expected(ids)
    assert {a for s, a, _ in await _held(ids) if s == elsewhere.pk} == {ids[0], ids[1]}
    assert not [row for row in await _held(ids) if row[0] == top.pk]


async def test_deleting_an_article_or_a_section_takes_its_rows() -> None:
    top, child, _, _ = await _tree()
    gone, kept = await make_article(section=child), await make_article(section=top)
    await Article.filter(id=gone.pk).delete()
    assert await _held([gone.pk]) == set()

    lone = await make_section()
    await ArticleSection.create(article=kept, section=lone, position=1)
    await Section.filter(id=lone.pk).delete()
    assert await _held([kept.pk]) == await _expected([kept.pk])
    assert {s for s, _, _ in await _held([kept.pk])} == {top.pk}


async def test_any_sequence_of_writes_leaves_the_table_as_the_links_say() -> None:
    """Links added, removed and changed, publication times set and cleared, sections moved
    (never under their own branch), in a seeded random order: after each write, the
    table holds exactly the rows the links and the tree give."""
    rng = random.Random(20261207)
    top, child, grandchild, deeper = await _tree()
    pool = [top, child, grandchild, deeper, await make_section(), await make_section()]
    articles = [await make_article(section=rng.choice(pool)) for _ in range(6)]
    ids = [a.pk for a in articles]
    for _ in range(60):
        article = rng.choice(articles)
        section = rng.choice(pool)
        step = rng.randrange(5)
        if step == 0:
            await ArticleSection.get_or_create(
                article_id=article.pk, section_id=section.pk, defaults={"position": 5}
            )
        elif step == 1:
            await ArticleSection.filter(article_id=article.pk, section_id=section.pk).delete()
        elif step == 2:
            moment = rng.choice([None, now() - timedelta(hours=rng.randrange(1, 100))])
            await Article.filter(id=article.pk).update(published_at=moment)
        elif step == 3:
            link = await ArticleSection.filter(article_id=article.pk).first()
            taken = await ArticleSection.filter(article_id=article.pk, section_id=section.pk)
            if link is not None and not taken:
                await ArticleSection.filter(id=link.pk).update(section_id=section.pk)
        else:
            parent = rng.choice([None, *pool])
            branch = {section.pk} | {s.pk for s in pool if section.pk in await _ancestors(s.pk)}
            if parent is None or parent.pk not in branch:
                await sections.move(section.pk, None if parent is None else parent.pk)
        assert await _held(ids) == await _expected(ids), step


_SECTION_PAGE = """query($slug: String!, $first: Int!, $after: String) {
  section(slug: $slug) { articles(first: $first, after: $after) {
    edges { cursor node { id } } pageInfo { hasNextPage } } } }"""


async def _pages(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    path: tuple[str, ...],
    token: str | None = None,
) -> tuple[list[str], dict[str, Any]]:
    """Every article id of the list at ``path`` in ``query``'s answer, page by page with
    cursors (``$after``), and the last page."""
    found: list[str] = []
    after = None
    while True:
        page = await data_as(client, token, query, {**variables, "after": after})
        for key in path:
            page = page[key]
        found += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found, page
        after = page["edges"][-1]["cursor"]


async def _walk(client: httpx.AsyncClient, slug: str, size: int) -> list[str]:
    """Every article id of a section's list, page by page with cursors."""
    variables = {"slug": slug, "first": size}
    return (await _pages(client, _SECTION_PAGE, variables, ("section", "articles")))[0]


async def _by_the_old_rule(section_id: int) -> list[int]:
    """A reader's list of a section's tree as it was read before the table: the articles
    linked to the section, to a child or to a grandchild, newest first."""
    links = ArticleSection.filter(
        Q(section_id=section_id)
        | Q(section__parent_id=section_id)
        | Q(section__parent__parent_id=section_id)
    )
    rows = visible_articles(ANONYMOUS, now()).filter(id__in=Subquery(links.values("article_id")))
    return list(await rows.order_by("-published_at", "-id").values_list("id", flat=True))


async def test_a_readers_section_lists_hold_what_the_old_rule_gave(
    client: httpx.AsyncClient,
) -> None:
    """Every demo section, and a tree of new ones with drafts, scheduled, embargoed and
    equal-time articles, walked with cursors in pages of 7: the same ids in the same
    order as the links' rule."""
    top, child, grandchild, deeper = await _tree()
    moment = now() - timedelta(hours=2)
    for section in (top, child, grandchild, deeper, child):
        await make_article(section=section, published_at=moment)
    await make_article(section=grandchild, status=ArticleStatus.DRAFT)
    await make_article(section=child, published_at=now() + timedelta(days=1))
    await make_article(section=top, embargo_until=now() + timedelta(days=1))
    for section in await Section.all():
        expected = [encode_id("Article", pk) for pk in await _by_the_old_rule(section.pk)]
        assert await _walk(client, section.slug, 7) == expected, section.slug


def _list_sql(viewer: Viewer, tree: tuple[int, ...]) -> str:
    criteria = ArticleCriteria(section_tree_ids=tree)
    at = now()
    rows = apply_criteria(visible_articles(viewer, at), criteria, viewer=viewer, now=at)
    ordered, ordering = order_articles(
        rows, ArticleOrder.PUBLISHED_AT_DESC, viewer=viewer, now=at, criteria=criteria
    )
    return ordered.order_by(*(k.expression for k in ordering.keys)).limit(21).sql()


def test_a_readers_list_of_one_tree_sorts_by_the_tables_index() -> None:
    sql = _list_sql(ANONYMOUS, (1,))
    assert '"section_article"."section_id"=' in sql
    assert '"section_article"."published_at"<=' in sql
    assert (
        'ORDER BY "section_article"."published_at" DESC,"section_article"."article_id" DESC' in sql
    )


@pytest.mark.parametrize(
    ("viewer", "tree"),
    [(Viewer(user_id=1, role=UserRole.EDITOR), (1,)), (ANONYMOUS, (1, 2))],
    ids=["staff", "two trees"],
)
def test_other_lists_keep_the_articles_order(viewer: Viewer, tree: tuple[int, ...]) -> None:
    """Staff see drafts (no publication time to bound), and two trees may hold an article
    twice: those lists filter by the table and sort by the articles' own columns."""
    sql = _list_sql(viewer, tree)
    assert "section_article" in sql
    assert '"section_article"."published_at"' not in sql
    assert '"article"."published_at" DESC' in sql or '"published_at" DESC' in sql


async def test_a_section_page_is_one_statement_over_the_table(
    client: httpx.AsyncClient,
) -> None:
    section = await Section.get(slug="une")
    with count_queries() as log:
        await gql_data(client, _SECTION_PAGE, {"slug": section.slug, "first": 5, "after": None})
    lists = [s for s in log.statements if "section_article" in s]
    assert len(lists) == 1 and "article_section" not in lists[0]


async def test_the_table_matches_the_links_after_the_demo_was_loaded() -> None:
    ids = list(await Article.all().values_list("id", flat=True))
    assert await _held(ids) == await _expected(ids)


async def _waiting_for_a_lock() -> int:
    """How many of the test database's connections wait for a lock now (a transaction
    keeps the statistics it read until it ends, unless they are cleared)."""
    await connection().execute_query("SELECT pg_stat_clear_snapshot()")
    rows = await connection().execute_query_dict(
        "SELECT COUNT(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return int(rows[0]["n"])


@postgres_only
async def test_two_transactions_removing_links_of_one_article_leave_the_right_rows() -> None:
    """Two transactions each remove one of an article's two links, the second while the
    first has not committed. Each rebuilds the article's rows; the second waits for the
    first and then sees its rows, so nothing of the removed links stays. (Without the wait,
    the second's rebuild could not see the rows the first wrote, and left them.)"""
    _, child, _, _ = await _tree()
    other = await make_section()
    article = await make_article(section=child, extra_sections=(other,))
    outside = contextvars.copy_context()  # the second's transaction is not the first's
    remove = 'DELETE FROM "article_section" WHERE "article_id" = $1 AND "section_id" = $2'

    async def second() -> None:
        async with in_transaction() as tx:
            await tx.execute_query(remove, [article.pk, other.pk])

    async with in_transaction() as first:
        await first.execute_query(remove, [article.pk, child.pk])
        waiting = asyncio.create_task(second(), context=outside)
        for _ in range(200):
            if await _waiting_for_a_lock():
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the second transaction never waited for the first")
    await waiting
    assert await ArticleSection.filter(article_id=article.pk).count() == 0
    assert await _held([article.pk]) == set()


_FILTERED = """query($slug: String!, $first: Int!, $after: String, $order: ArticleOrder) {
  articles(filter: {sections: [$slug]}, first: $first, after: $after, orderBy: $order) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage } } }"""


async def _walk_filtered(
    client: httpx.AsyncClient, token: str | None, slug: str, order: str
) -> tuple[list[str], int]:
    """Every article id of a root list filtered on one section, page by page (7) with
    cursors, and its ``totalCount``."""
    variables = {"slug": slug, "first": 7, "order": order}
    found, last = await _pages(client, _FILTERED, variables, ("articles",), token)
    return found, last["totalCount"]


@pytest.mark.parametrize("staff", [False, True], ids=["reader", "staff"])
@pytest.mark.parametrize("order", ["PUBLISHED_AT_DESC", "PUBLISHED_AT_ASC", "TITLE_ASC"])
async def test_a_list_filtered_on_one_section_holds_what_its_links_give(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, staff: bool, order: str
) -> None:
    """``filter: {sections: [slug]}`` reads the section's rows joined with its own links, and
    counts its links by the section's id: for
    every demo section, and a tree of new ones with drafts, scheduled, embargoed and
    equal-time articles (linked to a section, its child or both), the same ids in the same
    order, and the same count, as the filter on the links alone."""
    top, child, grandchild, _deeper = await _tree()
    moment = now() - timedelta(hours=2)
    for section in (top, child, grandchild, child):
        await make_article(section=section, published_at=moment)
    both = await make_article(section=top, published_at=moment)
    await ArticleSection.create(article=both, section=child, position=1)
    await make_article(section=child, status=ArticleStatus.DRAFT)
    await make_article(section=child, published_at=now() + timedelta(days=1))
    await make_article(section=top, embargo_until=now() + timedelta(days=1))
    token = (await staff_token(UserRole.EDITOR))[1] if staff else None
    slugs = [section.slug async for section in Section.all()]
    rewritten = {slug: await _walk_filtered(client, token, slug, order) for slug in slugs}

    async def as_given(
        criteria: ArticleCriteria, loaders: Any
    ) -> tuple[ArticleCriteria, ArticleCriteria]:
        return criteria, criteria

    monkeypatch.setattr(article_lists, "by_section_rows", as_given)
    for slug in slugs:
        assert rewritten[slug] == await _walk_filtered(client, token, slug, order), slug
    # the child's own three published articles are there (and counted), not its child's
    assert rewritten[child.slug][1] == (5 if staff else 3)


async def test_a_readers_list_filtered_on_one_section_reads_its_rows_in_order(
    client: httpx.AsyncClient,
) -> None:
    """One statement for the slug (shared with ``section(slug:)``), then the page over the
    section's rows in the order of their index, and the count over the section's links by
    its id; several slugs filter by the links."""
    query = """{ une: section(slug: "une") { name }
      articles(filter: {sections: ["une"]}, first: 5) { totalCount nodes { id } } }"""
    with count_queries() as log:
        await gql_data(client, query)
    slugs = [s for s in log.statements if 'FROM "section" WHERE' in s and '"slug"' in s]
    pages = [s for s in log.statements if 'FROM "article"' in s and "COUNT(" not in s]
    counts = [s for s in log.statements if "COUNT(" in s]
    assert len(slugs) == 1 and len(pages) == 1 and len(counts) == 1, log.statements
    assert '"section_article"."section_id"=' in pages[0]
    assert 'ORDER BY "section_article"."published_at" DESC' in pages[0]
    assert "section_article" not in counts[0] and '"section_id" IN (' in counts[0]
    assert '"slug"' not in counts[0]
    with count_queries() as log:
        await gql_data(
            client, '{ articles(filter: {sections: ["une", "monde"]}) { nodes { id } } }'
        )
    assert all("section_article" not in s for s in log.statements)
    unknown = '{ articles(filter: {sections: ["nowhere"]}) { totalCount nodes { id } } }'
    assert (await gql_data(client, unknown))["articles"] == {"totalCount": 0, "nodes": []}
