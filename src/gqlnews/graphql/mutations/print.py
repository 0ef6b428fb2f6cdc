"""Print mutations: editions (``edition.manage``) and supplements (``supplement.manage``), and
the articles they carry; editors and admins.

An article is in at most one print product: placing it in an edition takes it out of its
supplement, and the other way round. Each mutation returns its payload: the edition or the
supplement as it now is, or ``errors`` naming the field and the rule (nothing was then
written). Not being signed in, or not being allowed, is a GraphQL error with code
UNAUTHENTICATED or FORBIDDEN (and nothing is written either).
"""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import cast

import strawberry

from gqlnews.graphql.context import Info
from gqlnews.graphql.mutations.inputs import attempt, given, language_input, language_patch
from gqlnews.graphql.mutations.purging import purge_row
from gqlnews.graphql.mutations.sections import section_ref
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.errors import MutationError
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.ids import decode_id_of
from gqlnews.models import Article as ArticleModel
from gqlnews.models import Edition as EditionModel
from gqlnews.models import Supplement as SupplementModel
from gqlnews.newsroom import print as printing
from gqlnews.permissions import Action, require


@strawberry.type(description="The result of an edition mutation: the edition, or errors.")
class EditionPayload:
    edition: Edition | None
    errors: list[MutationError]


@strawberry.type(
    description="The result of placing an article in an edition or removing it: both, or errors."
)
class EditionPlacementPayload:
    edition: Edition | None
    article: Article | None = strawberry.field(
        description="The article, with its new `edition` and `page`."
    )
    errors: list[MutationError]


@strawberry.type(description="The result of a supplement mutation: the supplement, or errors.")
class SupplementPayload:
    supplement: Supplement | None
    errors: list[MutationError]


@strawberry.input(description="A new print edition.")
class EditionCreateInput:
    number: int = strawberry.field(description="1–999999, unique.")
    date: dt.date = strawberry.field(description="Unique: one edition a day.")
    title: str | None = strawberry.field(
        default=None, description='At most 300 characters; "N° <number>" when left out.'
    )
    page_count: int | None = strawberry.field(
        default=None, description="0–1000 (0, the default: not paginated yet)."
    )
    pdf_url: str | None = strawberry.field(default=None, description="An http(s) URL.")
    cover_image_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ID of the front-page picture (an Image)."
    )
    language: str | None = language_input()


@strawberry.input(
    description="Changes to an edition: only the fields given change (cover: editionSetCover)."
)
class EditionUpdateInput:
    number: int | None = strawberry.UNSET
    date: dt.date | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    page_count: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Not below the last page an article is printed on.",
    )
    pdf_url: str | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the PDF."
    )
    language: str | None = language_patch()


@strawberry.input(description="A new special supplement.")
class SupplementCreateInput:
    title: str = strawberry.field(description="1–300 characters.")
    date: dt.date
    slug: str | None = strawberry.field(
        default=None, description="Made from the title when left out (unique)."
    )
    description: str | None = strawberry.field(default=None, description="At most 2000 characters.")
    edition_number: int | None = strawberry.field(
        default=None, description="The number of the edition it ships with."
    )
    section: str | None = strawberry.field(
        default=None, description="The slug or ID of the section it belongs to."
    )
    page_count: int | None = strawberry.field(default=None, description="0–1000.")
    cover_image_id: strawberry.ID | None = None
    language: str | None = language_input()


@strawberry.input(description="Changes to a supplement: only the fields given change.")
class SupplementUpdateInput:
    title: str | None = strawberry.UNSET
    date: dt.date | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    edition_number: int | None = strawberry.field(
        default=strawberry.UNSET, description="null: it ships with no edition."
    )
    section: str | None = strawberry.field(
        default=strawberry.UNSET, description="null: it belongs to no section."
    )
    page_count: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Not below the last page an article is printed on.",
    )
    cover_image_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the cover."
    )
    language: str | None = language_patch()


@strawberry.input(description="An article of a supplement and its page.")
class SupplementArticleInput:
    article_id: strawberry.ID
    page: int = strawberry.field(description="1 … the supplement's pageCount.")


def _image_id(value: strawberry.ID | None) -> int | None:
    return None if value is None else decode_id_of("Image", value, argument="coverImageId")


def _edition(source: EditionCreateInput | EditionUpdateInput) -> printing.EditionFields:
    names = ("number", "date", "title", "page_count", "pdf_url", "language")
    found = given(source, names, ("pdf_url", "language"))
    if isinstance(source, EditionCreateInput) and source.cover_image_id is not None:
        found["cover_id"] = _image_id(source.cover_image_id)
    return cast(printing.EditionFields, found)


def _supplement(source: SupplementCreateInput | SupplementUpdateInput) -> printing.SupplementFields:
    names = (
        "title",
        "date",
        "slug",
        "description",
        "edition_number",
        "section",
        "page_count",
        "cover_image_id",
        "language",
    )
    found = given(source, names, ("edition_number", "section", "cover_image_id", "language"))
    if "cover_image_id" in found:
        found["cover_id"] = _image_id(found.pop("cover_image_id"))
    if found.get("section") is not None:
        found["section"] = section_ref(found["section"], "section")
    return cast(printing.SupplementFields, found)


async def _edition_payload(work: Callable[[], Awaitable[EditionModel]]) -> EditionPayload:
    row, errors = await attempt(work)
    if row is not None:
        await purge_row("Edition", row)
    return EditionPayload(
        edition=Edition.from_model(row) if row is not None else None, errors=errors
    )


async def _placement_payload(
    work: Callable[[], Awaitable[tuple[EditionModel, ArticleModel]]],
) -> EditionPlacementPayload:
    rows, errors = await attempt(work)
    if rows is None:
        return EditionPlacementPayload(edition=None, article=None, errors=errors)
    edition, article = rows
    await purge_row("Edition", edition, articles=(article.pk,))
    return EditionPlacementPayload(
        edition=Edition.from_model(edition), article=Article.from_model(article), errors=[]
    )


async def _supplement_payload(
    work: Callable[[], Awaitable[SupplementModel]], articles: tuple[int, ...] = ()
) -> SupplementPayload:
    row, errors = await attempt(work)
    if row is not None:
        await purge_row("Supplement", row, articles=articles)
    supplement = Supplement.from_model(row) if row is not None else None
    return SupplementPayload(supplement=supplement, errors=errors)


@strawberry.type
class PrintMutations:
    @strawberry.mutation(description="Create a print edition (editors, admins).")
    async def edition_create(self, info: Info, input: EditionCreateInput) -> EditionPayload:
        require(info.context.viewer, Action.EDITION_MANAGE)
        fields = _edition(input)
        return await _edition_payload(lambda: printing.create_edition(fields))

    @strawberry.mutation(description="Change an edition's number, date, title, pages or PDF.")
    async def edition_update(
        self, info: Info, id: strawberry.ID, input: EditionUpdateInput
    ) -> EditionPayload:
        require(info.context.viewer, Action.EDITION_MANAGE)
        pk, fields = decode_id_of("Edition", id), _edition(input)
        return await _edition_payload(lambda: printing.update_edition(pk, fields))

    @strawberry.mutation(description="Set an edition's front-page picture (null removes it).")
    async def edition_set_cover(
        self, info: Info, id: strawberry.ID, image_id: strawberry.ID | None = None
    ) -> EditionPayload:
        require(info.context.viewer, Action.EDITION_MANAGE)
        pk = decode_id_of("Edition", id)
        image = None if image_id is None else decode_id_of("Image", image_id, argument="imageId")
        return await _edition_payload(lambda: printing.set_edition_cover(pk, image))

    @strawberry.mutation(
        description=(
            "Print an article on `page` (1 … pageCount) of an edition, at `position` on the "
            "page (from 1, the lead; last when left out). It leaves the page, edition or "
            "supplement it was on; the pages it leaves close up."
        )
    )
    async def edition_place_article(
        self,
        info: Info,
        id: strawberry.ID,
        article_id: strawberry.ID,
        page: int,
        position: int | None = None,
    ) -> EditionPlacementPayload:
        require(info.context.viewer, Action.EDITION_MANAGE)
        pk = decode_id_of("Edition", id)
        article = decode_id_of("Article", article_id, argument="articleId")
        return await _placement_payload(
            lambda: printing.place_in_edition(pk, article, page, position)
        )

    @strawberry.mutation(description="Take an article out of an edition.")
    async def edition_remove_article(
        self, info: Info, id: strawberry.ID, article_id: strawberry.ID
    ) -> EditionPlacementPayload:
        require(info.context.viewer, Action.EDITION_MANAGE)
        pk = decode_id_of("Edition", id)
        article = decode_id_of("Article", article_id, argument="articleId")
        return await _placement_payload(lambda: printing.remove_from_edition(pk, article))

    @strawberry.mutation(description="Create a special supplement (editors, admins).")
    async def supplement_create(
        self, info: Info, input: SupplementCreateInput
    ) -> SupplementPayload:
        require(info.context.viewer, Action.SUPPLEMENT_MANAGE)
        return await _supplement_payload(lambda: printing.create_supplement(_supplement(input)))

    @strawberry.mutation(description="Change a supplement.")
    async def supplement_update(
        self, info: Info, id: strawberry.ID, input: SupplementUpdateInput
    ) -> SupplementPayload:
        require(info.context.viewer, Action.SUPPLEMENT_MANAGE)
        pk = decode_id_of("Supplement", id)
        return await _supplement_payload(lambda: printing.update_supplement(pk, _supplement(input)))

    @strawberry.mutation(
        description=(
            "Make `articles` the supplement's articles, in print order (list order on each "
            "page): they leave their edition, and articles no longer listed leave the "
            "supplement. All or nothing."
        )
    )
    async def supplement_set_articles(
        self, info: Info, id: strawberry.ID, articles: list[SupplementArticleInput]
    ) -> SupplementPayload:
        require(info.context.viewer, Action.SUPPLEMENT_MANAGE)
        pk = decode_id_of("Supplement", id)
        placements = [
            (decode_id_of("Article", a.article_id, argument="articles"), a.page) for a in articles
        ]
        # The articles that leave it and those that come in both change.
        leaving: list[int] = await ArticleModel.filter(supplement_id=pk).values_list(
            "id", flat=True
        )  # type: ignore[assignment]
        moved = (*leaving, *(a for a, _page in placements))
        return await _supplement_payload(
            lambda: printing.set_supplement_articles(pk, placements), articles=moved
        )


__all__ = [
    "EditionPayload",
    "EditionPlacementPayload",
    "PrintMutations",
    "SupplementPayload",
]
