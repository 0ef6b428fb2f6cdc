"""Root fields for print editions and supplements.

Lists and ``latestEdition`` hold what is dated today or earlier, for everyone; a look-up
(``edition``, ``supplement``) finds what the reader may see (:mod:`gqlnews.visibility`: a
future one only for the staff who manage them), else null as for an unknown one.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from tortoise.queryset import QuerySet

from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.pagination import Ordering, PageRequest, SortKey, paginate
from gqlnews.graphql.types.connection import Connection, to_connection
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.models import Edition as EditionModel
from gqlnews.models import Supplement as SupplementModel
from gqlnews.slugs import normalize_slug
from gqlnews.visibility import dated_q

T = TypeVar("T")
NEWEST_FIRST = Ordering((SortKey("date", True), SortKey("id", True)))


async def _dated_connection(
    info: Info,
    model: type[EditionModel | SupplementModel],
    request: PageRequest,
    convert: Callable[[Any], T],
) -> Connection[T]:
    """Rows of ``model`` dated today or earlier, newest first, as a connection."""
    depends_on(keys.catalog(model.__name__))
    rows: QuerySet[Any] = model.filter(dated_q(info.context.now))
    result = await paginate(
        rows,
        NEWEST_FIRST,
        request,
        default_size=info.context.settings.default_page_size,
        max_size=info.context.settings.max_page_size,
    )
    return to_connection(result, convert)


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
        row = await EditionModel.filter(dated_q(info.context.now)).order_by("-date", "-id").first()
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
