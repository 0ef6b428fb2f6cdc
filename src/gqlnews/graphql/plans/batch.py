"""The hot relations of a plan, one DataLoader call per level instead of one task per object.

Each function answers, for the objects of one level, what the field's own resolver answers for
each of them (the same loaders, so the same statements, visibility and cache keys); a test runs
both paths on the same documents (tests/test_plans.py). Fields that take arguments, and
relations not listed here, are resolved by their own resolvers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from gqlnews.graphql.context import Context
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.section import Section
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.graphql.types.tag import Tag

Batch = Callable[[Context, Sequence[Any]], Awaitable[list[Any]]]


async def _related(
    loader: DataLoader[int, Any], ids: Sequence[int | None], convert: Callable[[Any], Any]
) -> list[Any]:
    """``convert`` the row of each nullable foreign key (None for a null key or a row the
    loader does not answer), one ``load_many``."""
    wanted = [pk for pk in ids if pk is not None]
    found = dict(zip(wanted, await loader.load_many(wanted), strict=True)) if wanted else {}
    rows = [None if pk is None else found[pk] for pk in ids]
    return [None if row is None else convert(row) for row in rows]


async def _lists(
    loader: DataLoader[int, list[Any]], ids: Sequence[int], convert: Callable[[Any], Any]
) -> list[Any]:
    groups = await loader.load_many(list(ids)) if ids else []
    return [[convert(row) for row in group] for group in groups]


def _related_field(
    loader: Callable[[Context], DataLoader[int, Any]],
    key: Callable[[Any], int | None],
    convert: Callable[[Any], Any],
) -> Batch:
    async def batch(context: Context, sources: Sequence[Any]) -> list[Any]:
        return await _related(loader(context), [key(s) for s in sources], convert)

    return batch


def _list_field(
    loader: Callable[[Context], DataLoader[int, list[Any]]], convert: Callable[[Any], Any]
) -> Batch:
    async def batch(context: Context, sources: Sequence[Any]) -> list[Any]:
        return await _lists(loader(context), [int(s.model.pk) for s in sources], convert)

    return batch


async def _primary_sections(context: Context, sources: Sequence[Any]) -> list[Any]:
    """``Article.primarySection``: the first of the ordered links that is the primary
    section, else the section by its key (as the resolver does)."""
    loaders = context.loaders
    groups = await loaders.sections_of_article.load_many([int(s.model.pk) for s in sources])
    rows: list[Any] = []
    for source, group in zip(sources, groups, strict=True):
        wanted = source.model.primary_section_id
        rows.append(next((s for s in group if s.pk == wanted), None))
    missing = [s.model.primary_section_id for s, row in zip(sources, rows, strict=True) if not row]
    if missing:
        found = dict(zip(missing, await loaders.section.load_many(missing), strict=True))
        pairs = zip(sources, rows, strict=True)
        rows = [row or found[s.model.primary_section_id] for s, row in pairs]
    return [Section.from_model(row) if row is not None else None for row in rows]


def _model(name: str) -> Callable[[Any], int | None]:
    def key(source: Any) -> int | None:
        value = getattr(source.model, name)
        return None if value is None else int(value)

    return key


BATCHED: dict[tuple[str, str], Batch] = {
    ("Article", "primarySection"): _primary_sections,
    ("Article", "sections"): _list_field(
        lambda c: c.loaders.sections_of_article, Section.from_model
    ),
    ("Article", "authors"): _list_field(lambda c: c.loaders.authors_of_article, Author.from_model),
    ("Article", "tags"): _list_field(lambda c: c.loaders.tags_of_article, Tag.from_model),
    ("Article", "image"): _related_field(
        lambda c: c.loaders.image, _model("image_id"), Image.from_model
    ),
    ("Article", "edition"): _related_field(
        lambda c: c.loaders.edition, _model("edition_id"), Edition.from_model
    ),
    ("Article", "supplement"): _related_field(
        lambda c: c.loaders.supplement, _model("supplement_id"), Supplement.from_model
    ),
    ("Section", "children"): _list_field(
        lambda c: c.loaders.children_of_section, Section.from_model
    ),
    ("Section", "parent"): _related_field(
        lambda c: c.loaders.section, _model("parent_id"), Section.from_model
    ),
    ("Edition", "cover"): _related_field(
        lambda c: c.loaders.image, _model("cover_id"), Image.from_model
    ),
    ("Supplement", "cover"): _related_field(
        lambda c: c.loaders.image, _model("cover_id"), Image.from_model
    ),
    ("Author", "avatar"): _related_field(
        lambda c: c.loaders.image, _model("avatar_id"), Image.from_model
    ),
}
"""(type, field) → the batch that answers it for a whole level. Only fields without
arguments; ``Article.image`` is planned only without a preview token (see :mod:`.run`)."""
