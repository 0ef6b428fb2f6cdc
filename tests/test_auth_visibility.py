"""Staff read drafts through the public read API; readers' visibility does not move.

Editors and admins see every status everywhere (lists, look-ups, node, search, edition pages);
authors and contributors see what readers see plus the articles they created.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import pytest
import pytest_asyncio

from gqlnews.demo import DemoSummary
from gqlnews.graphql.pagination import decode_cursor
from gqlnews.ids import encode_id
from gqlnews.models import Article, ArticleStatus, User, UserRole
from tests.account_factories import data_as, make_user, post, token_for
from tests.factories import articles_removed_after, make_article, make_edition, make_section, now

WORD = "brouxetignol"
OLD = datetime(2001, 3, 4, 5, 6, 7).astimezone()


@dataclass
class Desk:
    section: str
    edition: int
    published: list[Article]
    """Dated long ago, so that they stay out of the front pages other tests read."""
    scheduled: Article
    drafts: list[Article]
    """The first was created by ``author``, the second by ``other_author``."""
    review: Article
    author: User
    other_author: User
    tokens: dict[str, str]

    @property
    def everything(self) -> list[Article]:
        return [*self.published, self.scheduled, *self.drafts, self.review]

    def slugs(self, articles: list[Article]) -> set[str]:
        return {a.slug for a in articles}


@pytest_asyncio.fixture(scope="module")
async def desk(demo: DemoSummary) -> AsyncIterator[Desk]:
    async with articles_removed_after():
        section = await make_section()
        edition = await make_edition()
        author = await make_user(UserRole.AUTHOR)
        other_author = await make_user(UserRole.CONTRIBUTOR)
        body = {"body_html": f"<p>Le {WORD} du jour.</p>", "edition": edition, "page": 4}
        published = [
            await make_article(section=section, published_at=OLD + timedelta(days=i), **body)
            for i in range(2)
        ]
        scheduled = await make_article(
            section=section,
            status=ArticleStatus.SCHEDULED,
            published_at=now() + timedelta(days=2),
            **body,
        )
        drafts = [
            await make_article(
                section=section, status=ArticleStatus.DRAFT, created_by=author, **body
            ),
            await make_article(
                section=section, status=ArticleStatus.DRAFT, created_by=other_author, **body
            ),
        ]
        review = await make_article(section=section, status=ArticleStatus.REVIEW, **body)
        editor = await make_user(UserRole.EDITOR)
        admin = await make_user(UserRole.ADMIN)
        tokens = {
            "editor": await token_for(editor),
            "admin": await token_for(admin),
            "author": await token_for(author),
            "contributor": await token_for(other_author),
        }
        yield Desk(
            section.slug,
            edition.number,
            published,
            scheduled,
            drafts,
            review,
            author,
            other_author,
            tokens,
        )


def _expected(desk: Desk, who: str) -> set[str]:
    if who in ("editor", "admin"):
        return desk.slugs(desk.everything)
    if who == "author":
        return desk.slugs([*desk.published, desk.drafts[0]])
    if who == "contributor":
        return desk.slugs([*desk.published, desk.drafts[1]])
    return desk.slugs(desk.published)


WHO = ["anonymous", "editor", "admin", "author", "contributor"]


def _nodes(connection: dict) -> set[str]:  # type: ignore[type-arg]
    return {node["slug"] for node in connection["nodes"]}


@pytest.mark.parametrize("who", WHO)
async def test_lists_search_and_edition_pages(
    client: httpx.AsyncClient, desk: Desk, who: str
) -> None:
    data = await data_as(
        client,
        desk.tokens.get(who),
        """query($s: String!, $w: String!, $e: Int!) {
          articles(first: 100, filter: {sections: [$s]}) { totalCount nodes { slug } }
          section(slug: $s) { articles(first: 100) { totalCount nodes { slug } } }
          search(query: $w, first: 100) { totalCount nodes { slug } }
          edition(number: $e) { pages { articles { slug } } }
        }""",
        {"s": desk.section, "w": WORD, "e": desk.edition},
    )
    expected = _expected(desk, who)
    for connection in (data["articles"], data["section"]["articles"], data["search"]):
        assert _nodes(connection) == expected
        assert connection["totalCount"] == len(expected)
    on_pages = {a["slug"] for page in data["edition"]["pages"] for a in page["articles"]}
    assert on_pages == expected


@pytest.mark.parametrize("who", WHO)
async def test_single_lookups_and_node(client: httpx.AsyncClient, desk: Desk, who: str) -> None:
    expected = _expected(desk, who)
    for article in desk.everything:
        gid = encode_id("Article", article.pk)
        data = await data_as(
            client,
            desk.tokens.get(who),
            """query($slug: String!, $id: ID!) {
              bySlug: article(slug: $slug) { slug status }
              byId: article(id: $id) { slug }
              node(id: $id) { ... on Article { slug } }
              nodes(ids: [$id]) { id }
            }""",
            {"slug": article.slug, "id": gid},
        )
        if article.slug in expected:
            status = None if who == "anonymous" else article.status.name
            assert data["bySlug"] == {"slug": article.slug, "status": status}
            assert data["byId"] == data["node"] == {"slug": article.slug}
            assert data["nodes"] == [{"id": gid}]
        else:
            assert data == {"bySlug": None, "byId": None, "node": None, "nodes": [None]}


async def test_staff_filter_by_status(client: httpx.AsyncClient, desk: Desk) -> None:
    query = """query($s: String!, $st: [ArticleStatus!]) {
      articles(first: 100, filter: {sections: [$s], statuses: $st}) { nodes { slug status } }
    }"""
    data = await data_as(
        client, desk.tokens["editor"], query, {"s": desk.section, "st": ["DRAFT", "REVIEW"]}
    )
    found = {(n["slug"], n["status"]) for n in data["articles"]["nodes"]}
    assert found == {(a.slug, a.status.name) for a in [*desk.drafts, desk.review]}
    own = await data_as(client, desk.tokens["author"], query, {"s": desk.section, "st": ["DRAFT"]})
    assert _nodes(own["articles"]) == {desk.drafts[0].slug}

    refused = (await post(client, query, {"s": desk.section, "st": ["DRAFT"]})).json()
    assert refused["data"] is None
    error = refused["errors"][0]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "argument": "filter.statuses"}


PAGE = """query($s: String!, $order: ArticleOrder, $first: Int, $after: String,
  $last: Int, $before: String) {
  articles(filter: {sections: [$s]}, orderBy: $order, first: $first, after: $after,
    last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { slug }
  }
}"""


async def _walk(
    client: httpx.AsyncClient, token: str | None, section: str, order: str, cursor_kind: str = "o"
) -> list[str]:
    """Every slug of a list, two at a time, forwards through the cursors, which must carry
    positions (``o``) or sort keys (``k``)."""
    slugs: list[str] = []
    after = None
    for _ in range(10):
        variables = {"s": section, "order": order, "first": 2, "after": after}
        page = (await data_as(client, token, PAGE, variables))["articles"]
        slugs += [n["slug"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return slugs
        after = page["pageInfo"]["endCursor"]
        assert cursor_kind in decode_cursor(after, "after")
    raise AssertionError("the list did not end")


async def test_staff_lists_with_drafts_page_in_every_order(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    """Drafts have no publication date: date orders put them last, in both directions and on
    every database, and cursors still walk the whole list once."""
    token = desk.tokens["editor"]
    dated_desc = [desk.scheduled, desk.published[1], desk.published[0]]
    undated_desc = [desk.review, desk.drafts[1], desk.drafts[0]]  # then by id, descending
    newest_first = [a.slug for a in [*dated_desc, *undated_desc]]
    assert await _walk(client, token, desk.section, "PUBLISHED_AT_DESC") == newest_first
    oldest_first = [a.slug for a in [*reversed(dated_desc), *reversed(undated_desc)]]
    assert await _walk(client, token, desk.section, "PUBLISHED_AT_ASC") == oldest_first
    by_update = await _walk(client, token, desk.section, "UPDATED_AT_DESC", cursor_kind="k")
    assert sorted(by_update) == sorted(newest_first)

    last = await data_as(client, token, PAGE, {"s": desk.section, "last": 2})
    assert [n["slug"] for n in last["articles"]["nodes"]] == newest_first[-2:]
    assert last["articles"]["totalCount"] == 6
    before = last["articles"]["pageInfo"]["startCursor"]
    previous = await data_as(client, token, PAGE, {"s": desk.section, "last": 2, "before": before})
    assert [n["slug"] for n in previous["articles"]["nodes"]] == newest_first[-4:-2]


async def test_readers_keep_keyset_cursors(client: httpx.AsyncClient, desk: Desk) -> None:
    section = await make_section()
    rows = [
        await make_article(section=section, published_at=OLD + timedelta(hours=i)) for i in range(3)
    ]
    slugs = await _walk(client, None, section.slug, "PUBLISHED_AT_DESC", cursor_kind="k")
    assert slugs == [a.slug for a in reversed(rows)]
