"""The hot relations of a plan, one DataLoader call per level instead of one task per object.

Each function answers, for the objects of one level, what the field's own resolver answers for
each of them: the rows come from the querysets the request's DataLoaders use (so the same
visibility rule, from :mod:`gqlnews.visibility`), run as prebuilt statements (:mod:`.prepared`)
by the plan's own loaders; the cache keys come from the same ``from_model`` constructors. A
test runs both paths on the same documents (tests/test_plans.py). Fields that take arguments,
and relations not listed here, are resolved by their own resolvers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from gqlnews.graphql.context import Context
from gqlnews.graphql.loaders import by_key, linked, links_query
from gqlnews.graphql.prepared import Prepared
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.section import Section
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.graphql.types.tag import Tag
from gqlnews.models import ArticleAuthor, ArticleSection, ArticleTag
from gqlnews.models import Edition as EditionModel
from gqlnews.models import Image as ImageModel
from gqlnews.models import Section as SectionModel
from gqlnews.models import Supplement as SupplementModel
from gqlnews.visibility import visible_editions, visible_images, visible_supplements

Batch = Callable[["PlanLoaders", Sequence[Any]], Awaitable[list[Any]]]


def _pk(row: Any) -> int:
    return int(row.pk)


_IMAGES = Prepared(lambda viewer, now, ids: visible_images(viewer, now, among=ids), ImageModel)
_EDITIONS = Prepared(
    lambda viewer, now, ids: visible_editions(viewer, now).filter(id__in=ids), EditionModel
)
_SUPPLEMENTS = Prepared(
    lambda viewer, now, ids: visible_supplements(viewer, now).filter(id__in=ids), SupplementModel
)
_SECTIONS = Prepared(lambda _viewer, _now, ids: SectionModel.filter(id__in=ids), SectionModel)
_SECTION_LINKS = Prepared(
    lambda _v, _n, ids: links_query(ArticleSection, "section", ids), ArticleSection
)
_AUTHOR_LINKS = Prepared(
    lambda _v, _n, ids: links_query(ArticleAuthor, "author", ids), ArticleAuthor
)
_TAG_LINKS = Prepared(lambda _v, _n, ids: links_query(ArticleTag, "tag", ids), ArticleTag)


class PlanLoaders:
    """One plan's loaders: the request's rows by the same querysets as the request's
    DataLoaders (:mod:`gqlnews.graphql.loaders`), through prebuilt statements
    (:mod:`.prepared`)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.image = self._rows(_IMAGES)
        self.edition = self._rows(_EDITIONS)
        self.supplement = self._rows(_SUPPLEMENTS)
        self.section = self._rows(_SECTIONS)
        self.sections_of = self._links(_SECTION_LINKS, "section")
        self.authors_of = self._links(_AUTHOR_LINKS, "author")
        self.tags_of = self._links(_TAG_LINKS, "tag")

    def _rows(self, prepared: Prepared) -> DataLoader[int, Any]:
        loaders = self.context.loaders

        async def load(ids: list[int]) -> list[Any]:
            return by_key(ids, await prepared.fetch(loaders.viewer, loaders.now, ids), _pk)

        return DataLoader(load_fn=load)

    def _links(self, prepared: Prepared, target: str) -> DataLoader[int, list[Any]]:
        loaders = self.context.loaders

        async def load(ids: list[int]) -> list[list[Any]]:
            return linked(ids, await prepared.fetch(loaders.viewer, loaders.now, ids), target)

        return DataLoader(load_fn=load)


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
    groups = await plan.sections_of.load_many([int(s.model.pk) for s in sources])
    rows: list[Any] = []
    for source, group in zip(sources, groups, strict=True):
        wanted = source.model.primary_section_id
        rows.append(next((s for s in group if s.pk == wanted), None))
    missing = [s.model.primary_section_id for s, row in zip(sources, rows, strict=True) if not row]
    if missing:
        found = dict(zip(missing, await plan.section.load_many(missing), strict=True))
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
    ("Article", "sections"): _list_field(lambda p: p.sections_of, Section.from_model),
    ("Article", "authors"): _list_field(lambda p: p.authors_of, Author.from_model),
    ("Article", "tags"): _list_field(lambda p: p.tags_of, Tag.from_model),
    ("Article", "image"): _related_field(lambda p: p.image, _model("image_id"), Image.from_model),
    ("Article", "edition"): _related_field(
        lambda p: p.edition, _model("edition_id"), Edition.from_model
    ),
    ("Article", "supplement"): _related_field(
        lambda p: p.supplement, _model("supplement_id"), Supplement.from_model
    ),
    ("Section", "children"): _list_field(
        lambda p: p.context.loaders.children_of_section, Section.from_model
    ),
    ("Section", "parent"): _related_field(
        lambda p: p.section, _model("parent_id"), Section.from_model
    ),
    ("Edition", "cover"): _related_field(lambda p: p.image, _model("cover_id"), Image.from_model),
    ("Supplement", "cover"): _related_field(
        lambda p: p.image, _model("cover_id"), Image.from_model
    ),
    ("Author", "avatar"): _related_field(lambda p: p.image, _model("avatar_id"), Image.from_model),
}
"""(type, field) → the batch that answers it for a whole level. Only fields without
arguments; ``Article.image`` is planned only without a preview token (see :mod:`.run`)."""
