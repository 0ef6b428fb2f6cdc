"""Lists inside lists (:mod:`gqlnews.graphql.page_batches`): the pages and counts of one
shape under many parents are read with one statement each, and the answers are the bytes the
lists give when each is read alone, executed and planned, anonymously and as staff, on the
test database (both dialects in CI)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import httpx
import pytest

from gqlnews.db_clients.reads import is_read
from gqlnews.graphql import page_batches
from gqlnews.graphql.counting import count_statement
from gqlnews.graphql.page_batches import _shifted, combined
from gqlnews.graphql.prepared import run
from gqlnews.testing import count_queries
from tests.account_factories import staff_token
from tests.test_plans import both_ways

PAGE = "totalCount totalCountIsExact pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
NESTED = [
    f"{{ sections {{ slug articles(first: 3) {{ {PAGE} edges {{ cursor node {{ slug title }} }} }}"
    " children { slug articles(first: 2) { totalCount nodes { slug publishedAt } } } } }",
    "{ articles(first: 12) { nodes { slug tags { slug articles(first: 2) { totalCount nodes"
    " { slug } } } authors { slug articles(first: 2, orderBy: TITLE_ASC) { pageInfo"
    " { endCursor } nodes { title } } } } } }",
    "{ sections { slug a: articles(first: 2, orderBy: MOST_VIEWED) { nodes { slug wordCount } }"
    " b: articles(first: 1, filter: { genres: [NEWS, REPORT] }) { totalCount nodes { slug } }"
    " c: articles(last: 2) { nodes { slug } } } }",
    "{ articles(first: 5) { nodes { sections { slug articles(first: 4, offset: 1) { nodes"
    " { slug } } } primarySection { articles(page: 2, perPage: 2) { pageCount nodes"
    " { slug } } } } } }",
]
"""Nested lists of several shapes: orders, a filter, offsets, numbered pages, backward pages,
cursors and counts, two shapes under one parent."""


def _alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page and count read by itself, as before the batches."""

    async def fetch_each(bound: Any, many: Sequence[Any]) -> list[list[Any]]:
        return [await run(bound, values) for values in many]

    async def count_each(
        inner: str, many: Sequence[Any], db: Any, limit: int, alone: Any
    ) -> list[int]:
        return [await count_statement(inner, list(params), db, limit) for params in many]

    monkeypatch.setattr(page_batches, "fetch_each", fetch_each)
    monkeypatch.setattr(page_batches, "count_each", count_each)


@pytest.fixture
def together(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lists read together on every dialect (SQLite's are read alone in production:
    :data:`gqlnews.graphql.page_batches.ALONE`), so that both dialects run the combined
    statements."""
    monkeypatch.setattr(page_batches, "ALONE", frozenset())


@pytest.mark.parametrize("query", NESTED, ids=range(len(NESTED)))
@pytest.mark.parametrize("staff", [False, True], ids=["anonymous", "staff"])
async def test_nested_lists_read_together_answer_what_they_answer_alone(
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    together: None,
    query: str,
    staff: bool,
) -> None:
    token = (await staff_token())[1] if staff else None
    with count_queries() as together:
        batched = await both_ways(client, query, token=token)
    with monkeypatch.context() as patch:
        _alone(patch)
        with count_queries() as apart:
            alone = await both_ways(client, query, token=token)
    assert batched == alone
    assert b'"errors"' not in batched[0] and b'"nodes":[{' in batched[0]
    assert together.count < apart.count


@pytest.mark.parametrize("total", [False, True], ids=["page", "page and count"])
async def test_each_sections_list_costs_one_statement_in_all(
    client: httpx.AsyncClient, together: None, total: bool
) -> None:
    """The top-level sections, then one statement for all their pages (and one for all
    their counts), whatever the number of sections."""
    count = "totalCount" if total else ""
    query = f"{{ sections {{ slug articles(first: 3) {{ {count} nodes {{ slug }} }} }} }}"
    await client.post("/graphql", json={"query": query})
    with count_queries() as log:
        answer = (await client.post("/graphql", json={"query": query})).json()
    assert len(answer["data"]["sections"]) > 3
    reads = [line for line in log.statements if is_read(line)]
    assert len(reads) == (3 if total else 2), "\n".join(reads)


def test_postgresql_parameters_are_renumbered_outside_quotes() -> None:
    sql = """SELECT "a$1" FROM t WHERE x = $1 AND y = 'it''s $2' AND z IN ($2, $10)"""
    assert _shifted(sql, 0) == sql
    assert _shifted(sql, 10) == (
        """SELECT "a$1" FROM t WHERE x = $11 AND y = 'it''s $2' AND z IN ($12, $20)"""
    )
    text, params = combined("SELECT id FROM t WHERE k = $1", [[7], [8], [9]], numbered=True)
    assert params == [7, 8, 9]
    assert "k = $1)" in text and "k = $2)" in text and "k = $3)" in text
    assert text.endswith('ORDER BY "__part", "__n"')


async def test_many_parents_are_read_in_several_statements(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, together: None
) -> None:
    """Past :data:`MAX_PARTS` pages of a shape, the pages are read a few at a time (SQLite
    refuses a compound SELECT of more than 500 terms), with the same answer."""
    query = "{ sections { slug articles(first: 2) { totalCount nodes { slug } } } }"
    whole = await both_ways(client, query)
    sections = len(json.loads(whole[0])["data"]["sections"])
    monkeypatch.setattr(page_batches, "MAX_PARTS", 3)
    with count_queries() as log:
        answer = (await client.post("/graphql", json={"query": query})).content
    assert answer == whole[0]
    reads = [line for line in log.statements if is_read(line)]
    assert len(reads) == 1 + 2 * math.ceil(sections / 3), "\n".join(reads)


def test_parts_are_cut_by_count_and_by_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_batches, "MAX_PARTS", 3)
    monkeypatch.setattr(page_batches, "MAX_PARAMETERS", 5)
    params = [[1, 2], [3], [4, 5, 6], [7], [8], [9], [10, 11, 12, 13, 14, 15]]
    assert page_batches._chunks(params) == [range(0, 2), range(2, 5), range(5, 6), range(6, 7)]
    assert page_batches._chunks([[1]]) == [range(0, 1)]


async def test_sqlite_reads_its_lists_alone_and_postgresql_together(
    client: httpx.AsyncClient, dialect: str
) -> None:
    """The production rule (:data:`gqlnews.graphql.page_batches.ALONE`): on SQLite each
    section's page is its own statement, on PostgreSQL one statement reads them all."""
    query = "{ sections { slug articles(first: 3) { totalCount nodes { slug } } } }"
    await client.post("/graphql", json={"query": query})
    with count_queries() as log:
        answer = (await client.post("/graphql", json={"query": query})).json()
    sections = len(answer["data"]["sections"])
    reads = [line for line in log.statements if is_read(line)]
    assert len(reads) == (1 + 2 * sections if dialect == "sqlite" else 3), "\n".join(reads)


async def test_a_list_under_no_list_is_read_alone(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, together: None
) -> None:
    """A list of the query root, or under a single object, has no sibling of its shape: it
    does not wait for a batch (a turn of the event loop); the lists under its articles do."""
    asked: list[tuple[Any, ...]] = []
    fetch = page_batches.PageBatches.fetch

    async def counted(self: Any, template: Any, shape: Any, *args: Any) -> list[Any]:
        asked.append(shape)
        return await fetch(self, template, shape, *args)

    monkeypatch.setattr(page_batches.PageBatches, "fetch", counted)
    await client.post("/graphql", json={"query": "{ articles(first: 2) { nodes { slug } } }"})
    one = '{ section(slug: "une") { articles(first: 2) { totalCount nodes { slug } } } }'
    assert (await client.post("/graphql", json={"query": one})).json()["data"]["section"]
    assert asked == []
    query = "{ articles(first: 2) { nodes { tags { articles(first: 1) { nodes { slug } } } } } }"
    answer = (await client.post("/graphql", json={"query": query})).json()
    tags = sum(len(node["tags"]) for node in answer["data"]["articles"]["nodes"])
    assert tags > 1 and len(asked) == tags
