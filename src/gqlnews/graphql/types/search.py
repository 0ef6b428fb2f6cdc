"""Search results: one page of the articles the reader may see that match, by relevance.

Visibility and the client's filters are applied in the statement that matches (see
:mod:`gqlnews.search_index`), so a word found only in hidden articles answers like a word found
nowhere: same statements, same rows, no measurable difference in time.
"""

from typing import Any

from gqlnews import db, search_index
from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.counting import LazyCount
from gqlnews.graphql.criteria import apply_criteria
from gqlnews.graphql.pagination import PageRequest, decode_cursor, encode_cursor, validate
from gqlnews.graphql.types.article import Article, ArticleFilter, criteria_from_filter
from gqlnews.graphql.types.connection import Connection, Edge, PageInfo
from gqlnews.text import search_terms

MAX_QUERY_LENGTH = 500
MAX_OFFSET = 2**31
"""No cursor of a search points further (a larger one was not made by gqlnews)."""


async def search_articles(
    info: Info, query: str, first: int | None, after: str | None, flt: ArticleFilter | None
) -> Connection[Article]:
    """One page of visible articles matching ``query``, by relevance: 1 SQL statement, 1 more
    to load the articles when it finds any, and 1 for ``totalCount`` (bounded: see
    :mod:`gqlnews.graphql.counting`) unless the whole list fits
    in the first page."""
    ctx = info.context
    validate(PageRequest(first=first), ctx.settings.max_page_size)
    if len(query) > MAX_QUERY_LENGTH:
        raise BadUserInput(f"query must be at most {MAX_QUERY_LENGTH} characters", argument="query")
    if not search_terms(query):
        raise BadUserInput("query must contain at least one word", argument="query")
    start = 0
    if after:
        offset: Any = decode_cursor(after, "after").get("o")
        if not isinstance(offset, int) or not 0 <= offset < MAX_OFFSET:
            raise BadUserInput("after is a cursor of another list", argument="after")
        start = offset + 1
    depends_on(keys.ARTICLE_SEARCH)
    size = first if first is not None else ctx.settings.default_page_size
    criteria = criteria_from_filter(flt, viewer=ctx.viewer)
    among = apply_criteria(ctx.loaders.visible(), criteria, viewer=ctx.viewer, now=ctx.now)
    conn = db.connection()
    # One statement matches, applies visibility and the filters, ranks and cuts the page (one
    # row more tells whether there is a next page): a word found only in articles the reader
    # may not see costs what a word found nowhere costs.
    page_ids = await search_index.ranked_page(conn, query, among, start, size + 1)
    has_next = len(page_ids) > size
    rows = await ctx.loaders.article.load_many(page_ids[:size])
    edges = [
        Edge(node=Article.from_model(row), cursor=encode_cursor({"o": start + i}))
        for i, row in enumerate(rows)
        if row is not None
    ]

    async def count(cap: int) -> int:
        if start == 0 and not has_next:
            return len(page_ids)  # the whole list fits in this page
        return await search_index.count_matching(conn, query, among, limit=cap + 1)

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        page=None,
        _count=LazyCount(count),
    )
