"""The one function that builds article lists, and the field factory every list is made with.

A page's statement is prebuilt per shape (:class:`gqlnews.graphql.prepared.Template`): the
kind of viewer, which criteria are set and how many values each holds, the order, the cursors
and offset given. The queryset is the one built here for the request (visibility from
:mod:`gqlnews.visibility`, criteria, order, page), built once per shape from stand-ins.
"""

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry

from gqlnews.cache.deps import depends_on_all
from gqlnews.db import ids_statement
from gqlnews.graphql.body_text import rewrite_for
from gqlnews.graphql.context import Info
from gqlnews.graphql.counting import bounded_count, count_statement
from gqlnews.graphql.criteria import (
    ArticleCriteria,
    apply_criteria,
    cache_keys,
    check_columns,
    criteria_from_values,
    criteria_values,
    list_ordering,
    order_articles,
)
from gqlnews.graphql.loaders import Loaders
from gqlnews.graphql.page_batches import PageBatches
from gqlnews.graphql.pagination import (
    ListQuery,
    PageQuery,
    PageRequest,
    given_page,
    page_values,
    paginate,
    select_page,
)
from gqlnews.graphql.prepared import Template, given_viewer, viewer_values
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.article_columns import list_columns
from gqlnews.graphql.types.article_filter import ArticleFilter, criteria_from_filter
from gqlnews.graphql.types.connection import Connection, to_connection
from gqlnews.graphql.types.enums import ArticleOrder
from gqlnews.models import Article as ArticleModel
from gqlnews.models import Section as SectionModel
from gqlnews.visibility import Viewer, visible_articles

ArticleConnection = Connection[Article]

_PAGES = Template(ArticleModel)


class _ListStatements:
    """The prebuilt statements of one article list (its page and its count) for ``viewer`` at
    ``now``: their values are the instant, the viewer's account and the criteria's values,
    then, for a page, the cursors' keys, the offset and the limit (a count's limit is written
    into its text: see :func:`gqlnews.graphql.counting.count_statement`)."""

    def __init__(
        self,
        viewer: Viewer,
        now: datetime,
        criteria: ArticleCriteria,
        order: ArticleOrder,
        columns: tuple[str, ...] | None = None,
        batches: PageBatches | None = None,
    ) -> None:
        self.criteria = criteria
        self.batches = batches
        """The request's pages read together (lists inside lists); None: read alone."""
        self.order = order
        self.columns = columns
        self.criteria_shape, criteria_part = criteria_values(criteria)
        self.viewer_shape, viewer_part = viewer_values(viewer, now)
        self.values: list[Any] = [*viewer_part, *criteria_part]
        self.shape = (*self.viewer_shape, self.criteria_shape, order)

    def base(self, given: Sequence[Any]) -> tuple[Any, list[Any]]:
        """The list's queryset for ``given`` values, and the values left after its own."""
        restricted, who, at, criteria = self.restricted(given[: len(self.values)])
        queryset, _ = order_articles(restricted, self.order, viewer=who, now=at, criteria=criteria)
        return queryset, list(given[len(self.values) :])

    def queryset(self) -> Any:
        """The list's queryset, ordered (built only for what the prebuilt statements do not
        read: a staff list's count of its last page)."""
        return self.base(self.values)[0]

    def restricted(self, given: Sequence[Any]) -> tuple[Any, Viewer, datetime, ArticleCriteria]:
        """The articles the viewer of ``given`` values may see that meet the criteria (no
        order), and the viewer, instant and criteria the values hold."""
        who, at, rest = given_viewer(self.viewer_shape, given)
        criteria = criteria_from_values(self.criteria_shape, rest)
        restricted = apply_criteria(visible_articles(who, at), criteria, viewer=who, now=at)
        return restricted, who, at, criteria

    def ids(self) -> tuple[str, list[Any], Any]:
        """The statement selecting the ids of the viewer's articles that meet the criteria
        (to embed in another: search), its parameters and its connection."""
        check_columns(self.criteria)

        def build(given: Sequence[Any]) -> Any:
            return self.restricted(given)[0].values("id")

        statement = _PAGES.statement((*self.shape, "ids"), self.values, build)
        if statement is None:
            return ids_statement(self.restricted(self.values)[0])
        return statement.filled(self.values)

    async def fetch(self, page: PageQuery) -> list[Any]:
        """The rows of ``page`` (see :func:`gqlnews.graphql.pagination.select_page`), with
        ``columns`` only when they are named (partial instances)."""
        check_columns(self.criteria)
        columns = ArticleModel._meta.fields_map
        for keys in (page.after, page.before):
            for key, value in zip(page.ordering.keys, keys or (), strict=keys is not None):
                if key.attribute in columns:
                    columns[key.attribute].validate(value)
        page_shape, page_part = page_values(page)

        def build(given: Sequence[Any]) -> Any:
            queryset, rest = self.base(given)
            selected = select_page(queryset, given_page(page_shape, rest))
            return selected if self.columns is None else selected.only(*self.columns)

        shape = (*self.shape, *page_shape, self.columns)
        values = [*self.values, *page_part]
        if self.batches is None:
            return await _PAGES.fetch(shape, values, build, rewrite_for(self.columns))
        return await self.batches.fetch(_PAGES, shape, values, build, rewrite_for(self.columns))

    async def count(self, cap: int) -> int:
        """The list's bounded count (see :func:`gqlnews.graphql.counting.bounded_count`)."""
        check_columns(self.criteria)

        def build(given: Sequence[Any]) -> Any:
            return self.base(given)[0].values("id")

        values = self.values
        statement = _PAGES.statement((*self.shape, "count"), values, build)
        if statement is None:
            return await bounded_count(self.base(values)[0], cap)
        sql, params, connection = statement.filled(values)
        if self.batches is None:
            return await count_statement(sql, params, connection, cap + 1)
        return await self.batches.count(sql, params, connection, cap + 1, count_statement)


def visible_ids(
    viewer: Viewer, now: datetime, criteria: ArticleCriteria
) -> tuple[str, list[Any], Any]:
    """The statement selecting the ids of the articles ``viewer`` may see at ``now`` that
    meet ``criteria`` (to embed in another: search), its parameters and its connection:
    prebuilt per shape as the lists' statements are."""
    # A list's statements need an order; the ids statement has none (any order gives it).
    return _ListStatements(viewer, now, criteria, ArticleOrder.PUBLISHED_AT_DESC).ids()


async def by_section_rows(
    criteria: ArticleCriteria, loaders: Loaders
) -> tuple[ArticleCriteria, ArticleCriteria]:
    """The criteria to read a page with, and those to count the list with.

    A filter on one section's slug (``filter: {sections: [slug]}``) selects the articles
    linked to that section. The page is read as the section's rows in
    :class:`gqlnews.models.SectionArticle` (its tree, by publication time) joined with the
    section's own links: the same articles (an article linked to the section is in its
    tree), which a reader's list reads from the rows' index, newest first, instead of
    walking the archive by date and probing each article's links. The count takes the links
    by the section's id (no tree: counting reads every row either way, and the join only
    adds to it). The slug is looked up first (a short statement, shared with the request's
    ``section(slug:)`` of the same slug); an unknown one is left to the filter (it selects
    nothing). Several slugs, or a list that hangs off a section already, are left as they
    are (both criteria are then ``criteria``)."""
    slugs = criteria.section_slugs
    if (
        slugs is None
        or len(slugs) != 1
        or criteria.section_ids is not None
        or criteria.section_tree_ids is not None
    ):
        return criteria, criteria
    section = await loaders.catalog_by_slug(SectionModel, slugs[0])
    if section is None:
        return criteria, criteria
    own = (int(section.pk),)
    page = dataclasses.replace(criteria, section_slugs=None, section_tree_ids=own, own_links=True)
    return page, dataclasses.replace(criteria, section_slugs=None, section_ids=own)


def _nested(info: Info) -> bool:
    """Whether the list hangs off an item of a list (its path is below an index): such lists
    of one shape are read together (:mod:`gqlnews.graphql.page_batches`). Any other list
    (a root field's, or one under a single object: a section's page) has no sibling of its
    shape under another parent, and waiting for a batch would cost it a turn of the event
    loop: 2–4 % of a planned page with one list, on PostgreSQL (bench/plans-results.md,
    sixteenth round)."""
    above = info.path.prev
    return above is not None and isinstance(above.key, int)


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
    depends_on_all(cache_keys(criteria))  # the slug's keys: a renamed slug changes the list
    criteria, counted = await by_section_rows(criteria, ctx.loaders)
    order = order_by or default_order
    batches = ctx.loaders.page_batches if _nested(info) else None
    statements = _ListStatements(ctx.viewer, ctx.now, criteria, order, list_columns(info), batches)
    counting = (
        statements
        if counted is criteria
        else _ListStatements(ctx.viewer, ctx.now, counted, order, batches=batches)
    )
    ordering = list_ordering(order, viewer=ctx.viewer, now=ctx.now, criteria=criteria)
    result = await paginate(
        ListQuery(ArticleModel, statements.queryset),
        ordering,
        request,
        default_size=ctx.settings.default_page_size,
        max_size=ctx.settings.max_page_size,
        fetch=statements.fetch,
    )
    ctx.loaders.prime_articles(edge.node for edge in result.edges)
    return to_connection(result, Article.from_model, counting.count)  # type: ignore[arg-type]


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
