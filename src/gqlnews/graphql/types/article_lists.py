"""The one function that builds article lists, and the field factory every list is made with.

A page's statement is prebuilt per shape (:class:`gqlnews.graphql.prepared.Template`): the
kind of viewer, which criteria are set and how many values each holds, the order, the cursors
and offset given. The queryset is the one built here for the request (visibility from
:mod:`gqlnews.visibility`, criteria, order, page), built once per shape from stand-ins.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry

from gqlnews.cache.deps import depends_on_all
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import (
    ArticleCriteria,
    apply_criteria,
    cache_keys,
    check_columns,
    criteria_from_values,
    criteria_values,
    order_articles,
)
from gqlnews.graphql.pagination import PageQuery, PageRequest, paginate, select_page
from gqlnews.graphql.prepared import Template
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.article_filter import ArticleFilter, criteria_from_filter
from gqlnews.graphql.types.connection import Connection, to_connection
from gqlnews.graphql.types.enums import ArticleOrder
from gqlnews.models import Article as ArticleModel
from gqlnews.visibility import Viewer, visible_articles

ArticleConnection = Connection[Article]

_PAGES = Template(ArticleModel)


def _page_fetch(
    viewer: Viewer, now: datetime, criteria: ArticleCriteria, order: ArticleOrder
) -> Callable[[PageQuery], Any]:
    """Reads a page of the list of ``criteria`` in ``order`` for ``viewer`` at ``now``, through
    its prebuilt statement: the values are the instant, the viewer's account, the criteria's
    values, the cursors' keys, the offset and the limit."""

    async def fetch(page: PageQuery) -> list[Any]:
        check_columns(criteria)
        columns = ArticleModel._meta.fields_map
        for keys in (page.after, page.before):
            for key, value in zip(page.ordering.keys, keys or (), strict=keys is not None):
                if key.field in columns:
                    columns[key.field].validate(value)
        criteria_shape, criteria_part = criteria_values(criteria)
        account = [] if viewer.user_id is None else [viewer.user_id]
        cursors = [*(page.after or ()), *(page.before or ())]
        counts = (
            None if page.after is None else len(page.after),
            None if page.before is None else len(page.before),
        )
        offset = [] if page.offset is None else [page.offset]
        values = [now, *account, *criteria_part, *cursors, *offset, page.limit]
        shape = (viewer.role, len(account), criteria_shape, order)
        shape_of_page = (page.ordering, page.used, counts, len(offset))

        def build(given: Sequence[Any]) -> Any:
            rest = list(given)
            at, rest = rest[0], rest[1:]
            who = Viewer(rest.pop(0), viewer.role) if account else Viewer()
            parts, rest = rest[: len(criteria_part)], rest[len(criteria_part) :]
            restricted = criteria_from_values(criteria_shape, parts)
            queryset, _ = order_articles(
                apply_criteria(visible_articles(who, at), restricted, viewer=who, now=at),
                order,
                may_be_undated=who.is_authenticated,
            )
            after = None if counts[0] is None else tuple(rest[: counts[0]])
            rest = rest[counts[0] or 0 :]
            before = None if counts[1] is None else tuple(rest[: counts[1]])
            rest = rest[counts[1] or 0 :]
            skip = rest.pop(0) if offset else None
            given_page = PageQuery(page.ordering, page.used, after, before, skip, rest.pop(0))
            return select_page(queryset, given_page)

        return await _PAGES.fetch((*shape, *shape_of_page), values, build)

    return fetch


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
    order = order_by or default_order
    queryset, ordering = order_articles(
        apply_criteria(ctx.loaders.visible(), criteria, viewer=ctx.viewer, now=ctx.now),
        order,
        may_be_undated=ctx.viewer.is_authenticated,
    )
    result = await paginate(
        queryset,
        ordering,
        request,
        default_size=ctx.settings.default_page_size,
        max_size=ctx.settings.max_page_size,
        fetch=_page_fetch(ctx.viewer, ctx.now, criteria, order),
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
