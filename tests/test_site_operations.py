"""The example site's operations (examples/site/public/operations) run on the demo newsroom
without errors and keep a constant SQL budget, as the examples/queries ones do: each page of
the site costs one request of at most these statements, whatever the page size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from gqlnews.demo import ANATOMY_SLUG
from gqlnews.testing import count_queries
from tests.helpers import gql_data

OPERATIONS = Path(__file__).resolve().parent.parent / "examples" / "site" / "public" / "operations"

# Ceilings of SQL statements per operation (DataLoader batches of separate root fields may or
# may not merge, so a count may come in under its ceiling, never over it).
BUDGETS: dict[str, tuple[int, dict[str, Any]]] = {
    # examples/queries/article-page's 26, plus the navigation 1
    "ArticlePage": (27, {"slug": ANATOMY_SLUG}),
    # nav 1, slots 1, picks 1, edito 1, Une page 1, edition + cover 2, latest page 1, sections
    # and images of the teasers' lists 2 to 4 (the demo sets no slot nor pick)
    "FrontPage": (12, {}),
    # nav, section, children, page, COUNT, images
    "SectionPage": (6, {"slug": "monde", "page": 2}),
    # nav, edition, cover and supplement covers (1 or 2), the pages' articles, their primary
    # sections, bylines, supplements
    "EditionPage": (8, {}),
    # nav, ranked ids, visible ids, page, sections
    "SearchPage": (5, {"query": "libye otan"}),
    # nav, author, avatar, page, COUNT, sections
    "AuthorPage": (6, {"slug": "nadir-belkacem"}),
    "SectionList": (1, {}),
}


def test_every_operation_has_a_budget() -> None:
    names = {path.stem for path in OPERATIONS.glob("*.graphql")} - {"RecordView"}
    assert names == set(BUDGETS)


@pytest.mark.parametrize("name", sorted(BUDGETS))
async def test_operation_keeps_its_sql_budget(client: httpx.AsyncClient, name: str) -> None:
    budget, variables = BUDGETS[name]
    query = (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")
    with count_queries() as log:
        data = await gql_data(client, query, variables)
    assert all(value is not None for value in data.values()), data
    assert log.count <= budget, "\n".join(log.statements)
