"""The lists of editions and supplements, and ``latestEdition``, run prebuilt statements
(:data:`gqlnews.graphql.queries.editions._DATED`): walked page by page in both directions,
they hold exactly the rows their rule selects (dated today or earlier, newest first, equal
days by id), and their statements are prepared, not built by Tortoise each time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from gqlnews.graphql.queries import editions
from gqlnews.ids import encode_id
from gqlnews.models import Edition, Supplement
from gqlnews.visibility import today
from tests.account_factories import data_as
from tests.factories import make_edition, now, unique

PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  LIST(first: $first, after: $after, last: $last, before: $before) {
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


@pytest_asyncio.fixture
async def dated() -> AsyncIterator[list[Any]]:
    """Past editions and a future one (an edition's day is unique), supplements on the same
    days (today, yesterday) and in the future; removed at the end."""
    day = today(now())
    rows: list[Any] = [await make_edition() for _ in range(3)]
    rows.append(await make_edition(date=day + timedelta(days=400 + rows[0].pk % 1000)))
    for offset in (0, 0, -1, -1, 3):
        rows.append(
            await Supplement.create(
                slug=unique("t-dated"), title="Dated", date=day + timedelta(days=offset)
            )
        )
    yield rows
    for row in reversed(rows):
        await row.delete()


async def _expected(model: Any) -> list[str]:
    rows = await model.filter(date__lte=today(now())).order_by("-date", "-id")
    return [encode_id(model.__name__, row.pk) for row in rows]


async def _walk(client: httpx.AsyncClient, field: str, size: int, backwards: bool) -> list[str]:
    query = PAGE.replace("LIST", field)
    found: list[str] = []
    cursor: str | None = None
    while True:
        if backwards:
            variables = {"last": size, "before": cursor}
        else:
            variables = {"first": size, "after": cursor}
        page = (await data_as(client, None, query, variables))[field]
        ids = [node["id"] for node in page["nodes"]]
        info = page["pageInfo"]
        if backwards:
            found = ids + found
            if not info["hasPreviousPage"]:
                return found
            cursor = info["startCursor"]
        else:
            found += ids
            if not info["hasNextPage"]:
                return found
            cursor = info["endCursor"]


@pytest.mark.parametrize("field, model", [("editions", Edition), ("supplements", Supplement)])
@pytest.mark.parametrize("size", [1, 2, 3])
async def test_a_dated_list_walks_as_its_rule_in_both_directions(
    client: httpx.AsyncClient, dated: list[Any], field: str, model: Any, size: int
) -> None:
    expected = await _expected(model)
    assert len(expected) >= 4
    assert await _walk(client, field, size, backwards=False) == expected
    assert await _walk(client, field, size, backwards=True) == expected
    statements = editions._DATED[model]._statements
    pages = [rendered for key, rendered in statements.items() if key[1] == "page"]
    assert pages and all(rendered is not None for rendered in pages)


async def test_the_latest_edition_is_the_newest_dated_today_or_earlier(
    client: httpx.AsyncClient, dated: list[Any]
) -> None:
    expected = (await _expected(Edition))[0]
    future = max(row.date for row in dated if isinstance(row, Edition))
    assert future > today(now())
    assert expected != encode_id("Edition", dated[3].pk)
    found = await data_as(client, None, "{ latestEdition { id } }")
    assert found == {"latestEdition": {"id": expected}}
    latest = [
        rendered
        for key, rendered in editions._DATED[Edition]._statements.items()
        if key[1] == "latest"
    ]
    assert latest and all(rendered is not None for rendered in latest)
