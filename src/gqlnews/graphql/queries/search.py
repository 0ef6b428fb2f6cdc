"""Search results: one page of the articles the reader may see that match, by relevance.

Visibility and the client's filters are applied in the statement that matches (see
:mod:`gqlnews.search_index`), so a word found only in hidden articles answers like a word found
nowhere: same statements, same rows, no measurable difference in time.
"""

import math
from functools import partial

from gqlnews import search_index
from gqlnews.analysis import Analysis, parse_language, query_terms
from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.counting import LazyCount
from gqlnews.graphql.pagination import PageRequest, decode_cursor, encode_cursor, validate
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.article_columns import list_columns
from gqlnews.graphql.types.article_filter import ArticleFilter, criteria_from_filter
from gqlnews.graphql.types.article_lists import visible_ids
from gqlnews.graphql.types.connection import Connection, Edge, page_info

MAX_QUERY_LENGTH = 500
MAX_ID = 2**31 - 1
"""No article id is larger (an ``INT`` column): a cursor pointing further was not made here."""
MAX_RANK = 1e30
"""No rank is larger (PostgreSQL's are ``real``, below 3.4e38; both stay far below this)."""


def _analysis(language: str | None) -> Analysis | None:
    """The analysis a client forces with ``language`` (None: each word by its script)."""
    if language is None:
        return None
    try:
        return parse_language(language)
    except ValueError as exc:
        raise BadUserInput(str(exc), argument="language") from None


def _position(after: str) -> search_index.Position:
    """The keyset a search cursor carries (``BAD_USER_INPUT`` for any other cursor)."""
    payload = decode_cursor(after, "after")
    rank, pk = payload.get("r"), payload.get("i")
    if (
        isinstance(rank, int | float)
        and not isinstance(rank, bool)
        and math.isfinite(rank)
        and abs(rank) <= MAX_RANK
        and isinstance(pk, int)
        and not isinstance(pk, bool)
        and 0 < pk <= MAX_ID
    ):
        return search_index.Position(float(rank), pk)
    raise BadUserInput("after is a cursor of another list", argument="after")


async def search_articles(
    info: Info,
    query: str,
    first: int | None,
    after: str | None,
    flt: ArticleFilter | None,
    language: str | None = None,
) -> Connection[Article]:
    """One page of visible articles matching ``query``, by relevance: 1 SQL statement, 1 more
    to load the articles when it finds any, and 1 for ``totalCount`` (bounded: see
    :mod:`gqlnews.graphql.counting`) unless the whole list fits in the first page, however many
    articles match and however deep the page."""
    ctx = info.context
    validate(PageRequest(first=first), ctx.settings.max_page_size)
    if len(query) > MAX_QUERY_LENGTH:
        raise BadUserInput(f"query must be at most {MAX_QUERY_LENGTH} characters", argument="query")
    terms = query_terms(query, _analysis(language))
    if not terms:
        raise BadUserInput("query must contain at least one word", argument="query")
    position = _position(after) if after else None
    depends_on(keys.ARTICLE_SEARCH)
    size = first if first is not None else ctx.settings.default_page_size
    criteria = criteria_from_filter(flt, viewer=ctx.viewer)
    sql, params, conn = visible_ids(ctx.viewer, ctx.now, criteria)
    among = (sql, params)
    # One statement matches, applies visibility and the filters, ranks and cuts the page after
    # the cursor's keyset (one row more tells whether there is a next page): a word found only
    # in articles the reader may not see costs what a word found nowhere costs.
    hits = await search_index.ranked_page(conn, terms, among, position, size + 1)
    has_next = len(hits) > size
    hits = hits[:size]
    rows = await ctx.loaders.read_articles(list_columns(info), [hit.id for hit in hits])
    edges = [
        Edge(
            node=Article.from_model(row), made=partial(encode_cursor, {"r": hit.rank, "i": hit.id})
        )
        for hit, row in zip(hits, rows, strict=True)
        if row is not None
    ]

    async def count(cap: int) -> int:
        if position is None and not has_next:
            return len(hits)  # the whole list fits in this page
        return await search_index.count_matching(conn, terms, among, limit=cap + 1)

    return Connection(
        edges=edges,
        page_info=page_info(edges, has_next, position is not None),
        page=None,
        _count=LazyCount(count),
    )
