"""The hot relations of a plan, one DataLoader call per generation instead of one task per
object.

Each function answers, for the objects of one generation, what the field's own resolver
answers for each of them, through the same loaders: the request's DataLoaders
(:class:`gqlnews.graphql.loaders.Loaders`, prebuilt statements over the querysets of
:mod:`gqlnews.visibility`), called once with every key of the generation, and the same
``from_model`` constructors (so the same cache keys). A test runs both paths on the same
documents (tests/test_plans.py). Fields that take arguments, and relations not listed here,
are resolved by their own resolvers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from gqlnews.graphql.context import Context
from gqlnews.graphql.loaders import Loaders
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.section import Section
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.graphql.types.tag import Tag

Batch = Callable[["PlanLoaders", Sequence[Any]], Awaitable[list[Any]]]


class PlanLoaders:
    """A plan's way to the request's DataLoaders (shared with the resolvers the plan calls,
    so a row loaded by one is not loaded again by the other)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.loaders: Loaders = context.loaders


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
    loader: Callable[[PlanLoaders], DataLoader[int, Any]],
    key: Callable[[Any], int | None],
    convert: Callable[[Any], Any],
) -> Batch:
    async def batch(plan: PlanLoaders, sources: Sequence[Any]) -> list[Any]:
        return await _related(loader(plan), [key(s) for s in sources], convert)

    return batch


def _list_field(
    loader: Callable[[PlanLoaders], DataLoader[int, list[Any]]], convert: Callable[[Any], Any]
) -> Batch:
    async def batch(plan: PlanLoaders, sources: Sequence[Any]) -> list[Any]:
        return await _lists(loader(plan), [int(s.model.pk) for s in sources], convert)

    return batch


async def _primary_sections(plan: PlanLoaders, sources: Sequence[Any]) -> list[Any]:
    """``Article.primarySection``: the first of the ordered links that is the primary
    section, else the section by its key (as the resolver does)."""
    groups = await plan.loaders.sections_of_article.load_many([int(s.model.pk) for s in sources])
    rows: list[Any] = []
    for source, group in zip(sources, groups, strict=True):
        wanted = source.model.primary_section_id
        rows.append(next((s for s in group if s.pk == wanted), None))
    missing = [s.model.primary_section_id for s, row in zip(sources, rows, strict=True) if not row]
    if missing:
        found = dict(zip(missing, await plan.loaders.section.load_many(missing), strict=True))
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
        lambda p: p.loaders.sections_of_article, Section.from_model
    ),
    ("Article", "authors"): _list_field(lambda p: p.loaders.authors_of_article, Author.from_model),
    ("Article", "tags"): _list_field(lambda p: p.loaders.tags_of_article, Tag.from_model),
    ("Article", "image"): _related_field(
        lambda p: p.loaders.image, _model("image_id"), Image.from_model
    ),
    ("Article", "edition"): _related_field(
        lambda p: p.loaders.edition, _model("edition_id"), Edition.from_model
    ),
    ("Article", "supplement"): _related_field(
        lambda p: p.loaders.supplement, _model("supplement_id"), Supplement.from_model
    ),
    ("Section", "children"): _list_field(
        lambda p: p.loaders.children_of_section, Section.from_model
    ),
    ("Section", "parent"): _related_field(
        lambda p: p.loaders.section, _model("parent_id"), Section.from_model
    ),
    ("Edition", "cover"): _related_field(
        lambda p: p.loaders.image, _model("cover_id"), Image.from_model
    ),
    ("Supplement", "cover"): _related_field(
        lambda p: p.loaders.image, _model("cover_id"), Image.from_model
    ),
    ("Author", "avatar"): _related_field(
        lambda p: p.loaders.image, _model("avatar_id"), Image.from_model
    ),
}
"""(type, field) → the batch that answers it for a whole level. Only fields without
arguments; ``Article.image`` is planned only without a preview token (see :mod:`.run`)."""
