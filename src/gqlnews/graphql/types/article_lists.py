"""The one function that builds article lists, and the field factory every list is made with."""

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from gqlnews.cache.deps import depends_on_all
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import ArticleCriteria, apply_criteria, cache_keys, order_articles
from gqlnews.graphql.pagination import PageRequest, paginate
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.article_filter import ArticleFilter, criteria_from_filter
from gqlnews.graphql.types.connection import Connection, to_connection
from gqlnews.graphql.types.enums import ArticleOrder

ArticleConnection = Connection[Article]


async def article_connection(
    info: Info,
    request: PageRequest,
    flt: ArticleFilter | None,
    order_by: ArticleOrder | None,
    base: ArticleCriteria | None = None,
    default_order: ArticleOrder = ArticleOrder.PUBLISHED_AT_DESC,
) -> Connection[Article]:
    """The one path every article list takes: visibility, criteria, order, page."""
    ctx = info.context
    criteria = criteria_from_filter(flt, base, viewer=ctx.viewer)
    depends_on_all(cache_keys(criteria))
    queryset, ordering = order_articles(
        apply_criteria(ctx.loaders.visible(), criteria, viewer=ctx.viewer, now=ctx.now),
        order_by or default_order,
        may_be_undated=ctx.viewer.is_authenticated,
    )
    result = await paginate(
        queryset,
        ordering,
        request,
        default_size=ctx.settings.default_page_size,
        max_size=ctx.settings.max_page_size,
    )
    ctx.loaders.prime_articles(edge.node for edge in result.edges)
    return to_connection(result, Article.from_model)  # type: ignore[arg-type]


def articles_field(
    criteria_of: Callable[[Any], ArticleCriteria],
    description: str,
    default_order: ArticleOrder = ArticleOrder.PUBLISHED_AT_DESC,
) -> Any:
    """A connection field of visible articles, restricted by ``criteria_of(parent)``.

    Every article list of the schema is made here, so they all take the same arguments.
    """

    async def resolve(
        root: strawberry.Parent[Any],
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        page: Annotated[
            int | None,
            strawberry.argument(description="Page number (from 1), for numbered section fronts."),
        ] = None,
        per_page: Annotated[
            int | None, strawberry.argument(description="Items per numbered page.")
        ] = None,
        offset: Annotated[
            int | None, strawberry.argument(description="Items to skip before the page.")
        ] = None,
        filter: ArticleFilter | None = None,
        order_by: ArticleOrder | None = None,
    ) -> Connection[Article]:
        request = PageRequest(first, after, last, before, offset, page, per_page)
        return await article_connection(
            info, request, filter, order_by, criteria_of(root), default_order
        )

    return strawberry.field(resolver=resolve, description=description)
