"""``gqlnews.graphql.body_text.for_excerpts``: the plain body read only for articles
without a standfirst, in the statements as Tortoise renders them."""

from __future__ import annotations

import pytest

from gqlnews.graphql.body_text import for_excerpts

CASE = """CASE WHEN {t}"excerpt"='' THEN {t}"body_text" ELSE '' END "body_text\""""


def test_the_column_of_a_teaser_statement_is_read_for_excerpts_only() -> None:
    sql = 'SELECT "id" "id","body_text" "body_text","page" "page" FROM "article" WHERE "id"=$1'
    assert for_excerpts(sql) == sql.replace('"body_text" "body_text"', CASE.format(t=""))
    qualified = 'SELECT "article"."body_text" "body_text" FROM "article" JOIN "x" ON 1=1'
    assert for_excerpts(qualified) == qualified.replace(
        '"article"."body_text" "body_text"', CASE.format(t='"article".')
    )


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "id" "id" FROM "article"',  # no body read
        'SELECT "body_text","id" FROM "article"',  # whole rows: not a teaser's columns
        'SELECT "id" "id" FROM "article" WHERE "body_text" "body_text"',  # past the columns
        'SELECT "body_text" "body_text","body_text" "body_text" FROM "article"',  # twice
    ],
)
def test_any_other_statement_is_left_as_it_is(sql: str) -> None:
    assert for_excerpts(sql) == sql
