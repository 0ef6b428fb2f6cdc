"""Generic Relay connections with a lazily counted ``totalCount``."""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry
from tortoise.models import Model

from gqlnews.graphql.pagination import PageResult

T = TypeVar("T")


@strawberry.type(description="Where a page sits in its list (Relay).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type(description="A page of a list, with Relay cursors and an exact total.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    page: int | None = strawberry.field(
        description="The page number, when the page was asked for with `page`."
    )
    _count: strawberry.Private[Callable[[], Any]]

    @strawberry.field(description="The list items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many items the whole list holds (one COUNT query).")
    async def total_count(self) -> int:
        return int(await self._count())


def to_connection(result: PageResult[Any], convert: Callable[[Model], T]) -> Connection[T]:
    """Turn a fetched page of rows into a connection of GraphQL objects."""
    edges = [Edge(node=convert(edge.node), cursor=edge.cursor) for edge in result.edges]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=result.has_next_page,
            has_previous_page=result.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        page=result.page_number,
        _count=result.count_query.count,
    )
