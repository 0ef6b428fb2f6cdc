"""Search results: ranked ids from the search index, intersected with what the reader sees."""

from typing import Any

from gqlnews import db, search_index
from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import apply_criteria
from gqlnews.graphql.pagination import PageRequest, decode_cursor, encode_cursor, validate
from gqlnews.graphql.types.article import Article, ArticleFilter, criteria_from_filter
from gqlnews.graphql.types.connection import Connection, Edge, PageInfo
from gqlnews.text import search_terms

MAX_QUERY_LENGTH = 500


async def search_articles(
    info: Info, query: str, first: int | None, after: str | None, flt: ArticleFilter | None
) -> Connection[Article]:
    """One page of visible articles matching ``query``, by relevance (3 SQL queries)."""
    ctx = info.context
    validate(PageRequest(first=first), ctx.settings.max_page_size)
    if len(query) > MAX_QUERY_LENGTH:
        raise BadUserInput(f"query must be at most {MAX_QUERY_LENGTH} characters", argument="query")
    if not search_terms(query):
        raise BadUserInput("query must contain at least one word", argument="query")
    start = 0
    if after:
        offset: Any = decode_cursor(after, "after").get("o")
        if not isinstance(offset, int) or offset < 0:
            raise BadUserInput("after is a cursor of another list", argument="after")
        start = offset + 1
    depends_on(keys.ARTICLE_SEARCH)
    ranked = await search_index.ranked_ids(db.connection(), query)
    criteria = criteria_from_filter(flt, viewer=ctx.viewer)
    visible: set[int] = set()
    if ranked:
        matching = apply_criteria(ctx.loaders.visible(), criteria).filter(id__in=ranked)
        found: list[Any] = list(await matching.values_list("id", flat=True))
        visible = {int(pk) for pk in found}
    ordered = [pk for pk in ranked if pk in visible]
    size = first if first is not None else ctx.settings.default_page_size
    page_ids = ordered[start : start + size]
    rows = await ctx.loaders.article.load_many(page_ids)
    edges = [
        Edge(node=Article.from_model(row), cursor=encode_cursor({"o": start + i}))
        for i, row in enumerate(rows)
        if row is not None
    ]
    total = len(ordered)

    async def count() -> int:
        return total

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + size < total,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        page=None,
        _count=count,
    )
