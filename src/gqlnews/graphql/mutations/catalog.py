"""Catalogue mutations: authors (bylines), tags and images.

Anyone who may write articles (``article.create``: every staff role) may register a tag or an
image they need; changing them, and creating or changing bylines, is the desk's job
(``section.manage``: editors and admins), since every article showing them changes too.

Each returns its payload: the object as it now is, or ``errors`` naming the field and the rule
(nothing was then written). Not being signed in, or not being allowed, is a GraphQL error with
code UNAUTHENTICATED or FORBIDDEN (and nothing is written either).
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

import strawberry

from gqlnews.graphql.context import Info
from gqlnews.graphql.mutations.inputs import attempt, given, language_input, language_patch
from gqlnews.graphql.mutations.purging import purge_row
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.enums import TagKind
from gqlnews.graphql.types.errors import MutationError
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.tag import Tag
from gqlnews.ids import decode_id_of
from gqlnews.models import Author as AuthorModel
from gqlnews.models import Image as ImageModel
from gqlnews.models import Tag as TagModel
from gqlnews.newsroom import catalog
from gqlnews.permissions import Action, require

T = TypeVar("T")


@strawberry.type(description="The result of an author mutation: the author, or errors.")
class AuthorPayload:
    author: Author | None
    errors: list[MutationError]


@strawberry.type(description="The result of a tag mutation: the tag, or errors.")
class TagPayload:
    tag: Tag | None
    errors: list[MutationError]


@strawberry.type(description="The result of an image mutation: the image, or errors.")
class ImagePayload:
    image: Image | None
    errors: list[MutationError]


@strawberry.input(description="A new byline.")
class AuthorCreateInput:
    name: str = strawberry.field(description="1–200 characters.")
    slug: str | None = strawberry.field(
        default=None, description="Made from the name when left out (unique)."
    )
    bio: str | None = strawberry.field(default=None, description="At most 5000 characters.")
    role: str | None = strawberry.field(
        default=None, description='What the author does, e.g. "journaliste" (at most 100).'
    )
    email: str | None = strawberry.field(
        default=None, description="Private to the newsroom; stored lower-case."
    )
    avatar_image_id: strawberry.ID | None = strawberry.field(
        default=None, description="The ID of the author's portrait (an Image)."
    )
    language: str | None = language_input()


@strawberry.input(description="Changes to a byline: only the fields given change.")
class AuthorUpdateInput:
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.field(
        default=strawberry.UNSET, description="Links to the old slug stop working."
    )
    bio: str | None = strawberry.UNSET
    role: str | None = strawberry.UNSET
    email: str | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the email."
    )
    avatar_image_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null removes the portrait."
    )
    language: str | None = language_patch()


@strawberry.input(description="A new tag.")
class TagCreateInput:
    name: str = strawberry.field(description="1–200 characters.")
    slug: str | None = strawberry.field(
        default=None, description="Made from the name when left out (unique)."
    )
    kind: TagKind | None = strawberry.field(default=None, description="THEME when left out.")
    language: str | None = language_input()


@strawberry.input(description="Changes to a tag: only the fields given change.")
class TagUpdateInput:
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    kind: TagKind | None = strawberry.UNSET
    language: str | None = language_patch()


@strawberry.input(description="An image, registered by its URL.")
class ImageCreateInput:
    url: str = strawberry.field(description="An http:// or https:// URL, at most 1000 characters.")
    credit: str | None = strawberry.field(
        default=None, description='What the page prints beside it, e.g. "© D.R" (at most 255).'
    )
    byline: str | None = strawberry.field(
        default=None, description="The photographer (at most 255)."
    )
    caption: str | None = strawberry.field(default=None, description="At most 2000 characters.")
    alt: str | None = strawberry.field(
        default=None, description="Text for readers who cannot see it (at most 500)."
    )
    width: int | None = strawberry.field(default=None, description="Pixels, 1–20000.")
    height: int | None = strawberry.field(default=None, description="Pixels, 1–20000.")
    language: str | None = language_input("its caption and credit")


@strawberry.input(description="Changes to an image: only the fields given change.")
class ImageUpdateInput:
    url: str | None = strawberry.UNSET
    credit: str | None = strawberry.UNSET
    byline: str | None = strawberry.UNSET
    caption: str | None = strawberry.UNSET
    alt: str | None = strawberry.UNSET
    width: int | None = strawberry.field(default=strawberry.UNSET, description="null: unknown.")
    height: int | None = strawberry.field(default=strawberry.UNSET, description="null: unknown.")
    language: str | None = language_patch()


def _image_id(value: strawberry.ID | None, argument: str) -> int | None:
    return None if value is None else decode_id_of("Image", value, argument=argument)


def _author(source: AuthorCreateInput | AuthorUpdateInput) -> catalog.AuthorFields:
    found = given(
        source,
        ("name", "slug", "bio", "role", "email", "avatar_image_id", "language"),
        ("email", "avatar_image_id", "language"),
    )
    if "avatar_image_id" in found:
        found["avatar_id"] = _image_id(found.pop("avatar_image_id"), "avatarImageId")
    return cast(catalog.AuthorFields, found)


def _tag(source: TagCreateInput | TagUpdateInput) -> catalog.TagFields:
    found = given(source, ("name", "slug", "kind", "language"), ("language",))
    return cast(catalog.TagFields, found)


def _image(source: ImageCreateInput | ImageUpdateInput) -> catalog.ImageFields:
    names = ("url", "credit", "byline", "caption", "alt", "width", "height", "language")
    return cast(catalog.ImageFields, given(source, names, ("width", "height", "language")))


async def _author_payload(work: Callable[[], Awaitable[AuthorModel]]) -> AuthorPayload:
    row, errors = await attempt(work)
    if row is not None:
        await purge_row("Author", row)
    return AuthorPayload(author=Author.from_model(row) if row is not None else None, errors=errors)


async def _tag_payload(work: Callable[[], Awaitable[TagModel]]) -> TagPayload:
    row, errors = await attempt(work)
    if row is not None:
        await purge_row("Tag", row)
    return TagPayload(tag=Tag.from_model(row) if row is not None else None, errors=errors)


async def _image_payload(work: Callable[[], Awaitable[ImageModel]]) -> ImagePayload:
    row, errors = await attempt(work)
    if row is not None:
        await purge_row("Image", row)
    return ImagePayload(image=Image.from_model(row) if row is not None else None, errors=errors)


@strawberry.type
class CatalogMutations:
    @strawberry.mutation(description="Create a byline (editors, admins).")
    async def author_create(self, info: Info, input: AuthorCreateInput) -> AuthorPayload:
        require(info.context.viewer, Action.CATALOG_MANAGE)
        fields = _author(input)
        return await _author_payload(lambda: catalog.create_author(fields))

    @strawberry.mutation(description="Change a byline (editors, admins).")
    async def author_update(
        self, info: Info, id: strawberry.ID, input: AuthorUpdateInput
    ) -> AuthorPayload:
        require(info.context.viewer, Action.CATALOG_MANAGE)
        pk, fields = decode_id_of("Author", id), _author(input)
        return await _author_payload(lambda: catalog.update_author(pk, fields))

    @strawberry.mutation(description="Create a tag (every staff role).")
    async def tag_create(self, info: Info, input: TagCreateInput) -> TagPayload:
        require(info.context.viewer, Action.ARTICLE_CREATE)
        fields = _tag(input)
        return await _tag_payload(lambda: catalog.create_tag(fields))

    @strawberry.mutation(description="Rename a tag, change its slug or kind (editors, admins).")
    async def tag_update(self, info: Info, id: strawberry.ID, input: TagUpdateInput) -> TagPayload:
        require(info.context.viewer, Action.CATALOG_MANAGE)
        pk, fields = decode_id_of("Tag", id), _tag(input)
        return await _tag_payload(lambda: catalog.update_tag(pk, fields))

    @strawberry.mutation(description="Register an image by its URL (every staff role).")
    async def image_create(self, info: Info, input: ImageCreateInput) -> ImagePayload:
        require(info.context.viewer, Action.ARTICLE_CREATE)
        fields = _image(input)
        return await _image_payload(lambda: catalog.create_image(fields))

    @strawberry.mutation(description="Change an image's URL, credit or caption (editors, admins).")
    async def image_update(
        self, info: Info, id: strawberry.ID, input: ImageUpdateInput
    ) -> ImagePayload:
        require(info.context.viewer, Action.CATALOG_MANAGE)
        pk, fields = decode_id_of("Image", id), _image(input)
        return await _image_payload(lambda: catalog.update_image(pk, fields))


__all__ = ["AuthorPayload", "CatalogMutations", "ImagePayload", "TagPayload"]
