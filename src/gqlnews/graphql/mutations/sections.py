"""Section mutations: create, update and move sections in the tree (editors, admins:
``section.manage``).

A section is named by its slug (``monde``) or its global ID wherever a parent is asked for.
Each returns a ``SectionPayload``: the section as it now is, or ``errors`` naming the field and
the rule (nothing was then written). Not being signed in, or not being allowed, is a GraphQL
error with code UNAUTHENTICATED or FORBIDDEN (and nothing is written either).
"""

from collections.abc import Awaitable, Callable
from typing import cast

import strawberry

from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.mutations.inputs import attempt, given, language_input, language_patch
from gqlnews.graphql.mutations.purging import purge_row
from gqlnews.graphql.types.errors import MutationError
from gqlnews.graphql.types.section import Section
from gqlnews.ids import decode_id, decode_id_of
from gqlnews.models import Section as SectionModel
from gqlnews.newsroom import sections
from gqlnews.newsroom.problems import Code, refuse
from gqlnews.permissions import Action, require
from gqlnews.slugs import is_slug


@strawberry.type(description="The result of a section mutation: the section, or errors.")
class SectionPayload:
    section: Section | None
    errors: list[MutationError]


@strawberry.input(description="A new section.")
class SectionCreateInput:
    name: str = strawberry.field(description="1–200 characters.")
    parent: str | None = strawberry.field(
        default=None,
        description="The parent section's slug or ID; left out or null: a top-level section.",
    )
    slug: str | None = strawberry.field(
        default=None, description="Made from the name when left out (unique)."
    )
    description: str | None = strawberry.field(default=None, description="At most 2000 characters.")
    position: int | None = strawberry.field(
        default=None,
        description="Place among its siblings, from 0 (later ones move down); last when left out.",
    )
    language: str | None = language_input()


@strawberry.input(description="Changes to a section: only the fields given change.")
class SectionUpdateInput:
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.field(
        default=strawberry.UNSET, description="Links to the old slug stop working."
    )
    description: str | None = strawberry.UNSET
    language: str | None = language_patch()


def section_ref(value: str, field: str) -> sections.SectionRef:
    """A section named by ``value``, a slug in its canonical form (``monde``, not ``ｍonde``:
    see :mod:`gqlnews.slugs`) or a Section's global ID (INVALID otherwise)."""
    if is_slug(value):
        return value
    try:
        type_name, pk = decode_id(value, argument=field)
    except BadUserInput:
        type_name, pk = "", 0
    if type_name != "Section":
        raise refuse(field, Code.INVALID, f"{field} must be a section slug (e.g. monde) or ID")
    return pk


def _fields(source: SectionCreateInput | SectionUpdateInput) -> sections.SectionFields:
    found = given(source, ("name", "slug", "description", "language"), ("language",))
    return cast(sections.SectionFields, found)


async def _payload(work: Callable[[], Awaitable[SectionModel]]) -> SectionPayload:
    row, errors = await attempt(work)
    if row is not None:
        await purge_row("Section", row)
    return SectionPayload(
        section=Section.from_model(row) if row is not None else None, errors=errors
    )


@strawberry.type
class SectionMutations:
    @strawberry.mutation(description="Create a section, at the top level or under a parent.")
    async def section_create(self, info: Info, input: SectionCreateInput) -> SectionPayload:
        require(info.context.viewer, Action.SECTION_MANAGE)

        async def work() -> SectionModel:
            parent = None if input.parent is None else section_ref(input.parent, "parent")
            return await sections.create(_fields(input), parent, input.position)

        return await _payload(work)

    @strawberry.mutation(description="Rename a section, change its slug or its description.")
    async def section_update(
        self, info: Info, id: strawberry.ID, input: SectionUpdateInput
    ) -> SectionPayload:
        require(info.context.viewer, Action.SECTION_MANAGE)
        pk = decode_id_of("Section", id)
        return await _payload(lambda: sections.update(pk, _fields(input)))

    @strawberry.mutation(
        description=(
            "Move a section (with its sub-sections) under `parent` (null: the top level), at "
            "`position` among its new siblings, from 0 (last when left out). Siblings keep "
            "dense positions; a section cannot go under itself or its descendants (CYCLE)."
        )
    )
    async def section_move(
        self,
        info: Info,
        id: strawberry.ID,
        parent: str | None = None,
        position: int | None = None,
    ) -> SectionPayload:
        require(info.context.viewer, Action.SECTION_MANAGE)
        pk = decode_id_of("Section", id)

        async def work() -> SectionModel:
            ref = None if parent is None else section_ref(parent, "parent")
            return await sections.move(pk, ref, position)

        return await _payload(work)


__all__ = ["SectionMutations", "SectionPayload", "section_ref"]
