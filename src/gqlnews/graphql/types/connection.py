"""Generic Relay connections with a lazily counted, bounded ``totalCount``."""

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry
from tortoise.models import Model

from gqlnews.graphql.context import Info
from gqlnews.graphql.counting import LazyCount, bounded_count
from gqlnews.graphql.pagination import Edge as PageEdge
from gqlnews.graphql.pagination import PageResult

T = TypeVar("T")

Cursor = Callable[[], str]
"""Makes an item's cursor (when a query asks for it: a page read for its nodes makes none)."""


@strawberry.type(description="Where a page sits in its list (Relay).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    ends: strawberry.Private[tuple[Cursor, Cursor] | None] = None

    @strawberry.field
    def start_cursor(self) -> str | None:
        return None if self.ends is None else self.ends[0]()

    @strawberry.field
    def end_cursor(self) -> str | None:
        return None if self.ends is None else self.ends[1]()


@strawberry.type
class Edge(Generic[T]):
    node: T
    made: strawberry.Private[Cursor]

    @strawberry.field
    def cursor(self) -> str:
        return self.made()


def page_info(edges: list[Edge[Any]], has_next: bool, has_previous: bool) -> PageInfo:
    """The ``pageInfo`` of a page of ``edges``: its cursors made when asked for."""
    ends = (edges[0].made, edges[-1].made) if edges else None
    return PageInfo(has_next_page=has_next, has_previous_page=has_previous, ends=ends)


@strawberry.type(
    description=(
        "A page of a list, with Relay cursors and a total counted up to a cap "
        "(GQLNEWS_COUNT_CAP): see `totalCountIsExact`."
    )
)
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    page: int | None = strawberry.field(
        description="The page number, when the page was asked for with `page`."
    )
    _count: strawberry.Private[LazyCount]
    _page_size: strawberry.Private[int] = 0

    @strawberry.field(description="The list items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(
        description=(
            "How many items the whole list holds, counted up to the server's cap "
            "(GQLNEWS_COUNT_CAP, 10,000 by default): a longer list answers the cap, and "
            "`totalCountIsExact` is then false. One bounded COUNT query, run only when this, "
            "`totalCountIsExact` or `pageCount` is asked for (once for all three)."
        )
    )
    async def total_count(self, info: Info) -> int:
        return (await self._count.get(info.context.settings.count_cap)).value

    @strawberry.field(
        description=(
            "True when `totalCount` (and `pageCount`) is the list's exact size; false when "
            "the list holds more items than the cap and `totalCount` is the cap: show "
            '"10,000+" rather than a number of pages to the last one.'
        )
    )
    async def total_count_is_exact(self, info: Info) -> bool:
        return (await self._count.get(info.context.settings.count_cap)).exact

    @strawberry.field(
        description=(
            "How many pages of `perPage` items the list fills (at least 1), when the page was "
            "asked for with `page`; null otherwise. Counted from `totalCount`: when "
            "`totalCountIsExact` is false, the list has more pages than this."
        )
    )
    async def page_count(self, info: Info) -> int | None:
        if self.page is None or self._page_size < 1:
            return None
        count = await self._count.get(info.context.settings.count_cap)
        return count.pages(self._page_size)


def to_connection(
    result: PageResult[Any],
    convert: Callable[[Model], T],
    counted: Callable[[int], Awaitable[int]] | None = None,
) -> Connection[T]:
    """Turn a fetched page of rows into a connection of GraphQL objects; ``counted`` counts
    the list under a cap (default: :func:`bounded_count` of the page's list)."""
    edges = [Edge(node=convert(edge.node), made=_cursor_of(edge)) for edge in result.edges]
    query = result.count_query

    def count(cap: int) -> Awaitable[int]:
        return bounded_count(query.get(), cap) if counted is None else counted(cap)

    return Connection(
        edges=edges,
        page_info=page_info(edges, result.has_next_page, result.has_previous_page),
        page=result.page_number,
        _count=LazyCount(count),
        _page_size=result.page_size,
    )


def _cursor_of(edge: PageEdge[Any]) -> Cursor:
    def made() -> str:
        return edge.cursor

    return made
