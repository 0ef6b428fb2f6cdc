"""The filter input of article lists, and the criteria it adds to a list's own."""

from dataclasses import replace
from datetime import datetime
from typing import TypeVar

import strawberry

from gqlnews.graphql.criteria import ArticleCriteria, check_window
from gqlnews.graphql.types.enums import ArticleStatus, Genre
from gqlnews.permissions import Unauthenticated
from gqlnews.visibility import Viewer

T = TypeVar("T")


@strawberry.input(description="Restricts an article list. Every field given must hold.")
class ArticleFilter:
    sections: list[str] | None = strawberry.field(
        default=None, description="Section slugs: articles in any of them."
    )
    tags: list[str] | None = strawberry.field(
        default=None, description="Tag slugs: articles with any of them."
    )
    authors: list[str] | None = strawberry.field(
        default=None, description="Author slugs: articles by any of them."
    )
    genres: list[Genre] | None = None
    languages: list[str] | None = None
    edition: int | None = strawberry.field(
        default=None, description="Edition number: articles printed in it."
    )
    supplement: str | None = strawberry.field(
        default=None, description="Supplement slug: articles printed in it."
    )
    published_after: datetime | None = strawberry.field(
        default=None, description="Published at or after this instant."
    )
    published_before: datetime | None = strawberry.field(
        default=None, description="Published strictly before this instant."
    )
    statuses: list[ArticleStatus] | None = strawberry.field(
        default=None,
        description=(
            "Workflow statuses: articles in any of them (signed-in staff only; readers get "
            "UNAUTHENTICATED). Staff see drafts in every list without it."
        ),
    )


def criteria_from_filter(
    flt: ArticleFilter | None, base: ArticleCriteria | None = None, *, viewer: Viewer
) -> ArticleCriteria:
    """Add ``viewer``'s filter to ``base`` (the restriction of the object the list hangs off)."""
    base = base or ArticleCriteria()
    if flt is None:
        return base
    if flt.statuses is not None and not viewer.is_authenticated:
        raise Unauthenticated(
            "filter.statuses is for signed-in staff: readers only see published articles",
            argument="filter.statuses",
        )
    check_window(flt.published_after, flt.published_before)
    return replace(
        base,
        section_slugs=_tuple(flt.sections),
        tag_slugs=_tuple(flt.tags),
        author_slugs=_tuple(flt.authors),
        edition_number=flt.edition,
        supplement_slug=flt.supplement,
        genres=_tuple(flt.genres),
        languages=_tuple(flt.languages),
        published_after=flt.published_after,
        published_before=flt.published_before,
        statuses=_tuple(flt.statuses),
    )


def _tuple(values: list[T] | None) -> tuple[T, ...] | None:
    return None if values is None else tuple(values)
