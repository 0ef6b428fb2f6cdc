"""Root fields for print editions and supplements.

Lists and ``latestEdition`` hold what is dated today or earlier, for everyone; a look-up
(``edition``, ``supplement``) finds what the reader may see (:mod:`gqlnews.visibility`: a
future one only for the staff who manage them), else null as for an unknown one.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import strawberry
from tortoise.queryset import QuerySet

from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.pagination import (
    ListQuery,
    Ordering,
    PageQuery,
    PageRequest,
    SortKey,
    given_page,
    page_values,
    paginate,
    select_page,
)
from gqlnews.graphql.prepared import Template
from gqlnews.graphql.types.connection import Connection, to_connection
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.models import Edition as EditionModel
from gqlnews.models import Supplement as SupplementModel
from gqlnews.slugs import normalize_slug
from gqlnews.visibility import dated_by_q, today

T = TypeVar("T")
NEWEST_FIRST = Ordering((SortKey("date", True), SortKey("id", True)))
_DATED = {model: Template(model) for model in (EditionModel, SupplementModel)}
"""The statements of the lists below and of ``latestEdition``, prebuilt per shape: their
first value is the request's day (the rule is :func:`gqlnews.visibility.dated_by_q`)."""


async def _dated_connection(
    info: Info,
    model: type[EditionModel | SupplementModel],
    request: PageRequest,
    convert: Callable[[Any], T],
) -> Connection[T]:
    """Rows of ``model`` dated today or earlier, newest first, as a connection."""
    depends_on(keys.catalog(model.__name__))
    day = today(info.context.now)
    rows: ListQuery[Any] = ListQuery(model, lambda: model.filter(dated_by_q(day)))  # counted

    async def fetch(page: PageQuery) -> list[Any]:
        page_shape, page_part = page_values(page)

        def build(given: Sequence[Any]) -> QuerySet[Any]:
            return select_page(
                model.filter(dated_by_q(given[0])), given_page(page_shape, given[1:])
            )

        return await _DATED[model].fetch(("page", *page_shape), [day, *page_part], build)

    result = await paginate(
        rows,
        NEWEST_FIRST,
        request,
        default_size=info.context.settings.default_page_size,
        max_size=info.context.settings.max_page_size,
        fetch=fetch,
    )
    return to_connection(result, convert)


async def _latest_edition(day: dt.date) -> EditionModel | None:
    """The most recent edition dated ``day`` or earlier (one prebuilt statement)."""

    def build(given: Sequence[Any]) -> QuerySet[Any]:
        return EditionModel.filter(dated_by_q(given[0])).order_by("-date", "-id").limit(1)

    rows = await _DATED[EditionModel].fetch(("latest",), [day], build)
    return rows[0] if rows else None


@strawberry.type
class EditionQueries:
    @strawberry.field(
        description=(
            "An edition by number or by date (give exactly one); null if unknown or not out "
            "yet (dated after today)."
        )
    )
    async def edition(
        self, info: Info, number: int | None = None, date: dt.date | None = None
    ) -> Edition | None:
        if (number is None) == (date is None):
            raise BadUserInput("give exactly one of number and date", argument="number")
        if number is not None:
            depends_on(keys.edition_number(number))
            row = await info.context.loaders.edition_by_number.load(number)
        else:
            depends_on(keys.catalog("Edition"))
            row = await info.context.loaders.visible_editions().filter(date=date).first()
        return Edition.from_model(row) if row else None

    @strawberry.field(description="The most recent edition dated today or earlier.")
    async def latest_edition(self, info: Info) -> Edition | None:
        depends_on(keys.catalog("Edition"))
        row = await _latest_edition(today(info.context.now))
        return Edition.from_model(row) if row else None

    @strawberry.field(description="Editions dated today or earlier, newest first.")
    async def editions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Edition]:
        request = PageRequest(first=first, after=after, last=last, before=before)
        return await _dated_connection(info, EditionModel, request, Edition.from_model)

    @strawberry.field(
        description="A supplement by slug; null if unknown or not out yet (dated after today)."
    )
    async def supplement(self, info: Info, slug: str) -> Supplement | None:
        slug = normalize_slug(slug)
        depends_on(keys.by_slug("Supplement", slug))
        row = await info.context.loaders.visible_supplements().filter(slug=slug).first()
        return Supplement.from_model(row) if row else None

    @strawberry.field(description="Special supplements dated today or earlier, newest first.")
    async def supplements(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Supplement]:
        request = PageRequest(first=first, after=after, last=last, before=before)
        return await _dated_connection(info, SupplementModel, request, Supplement.from_model)
