"""The hot relations of a plan, one load per loader and generation instead of one task per
object.

Each :class:`Relation` answers, for the objects of one generation, what the field's own
resolver answers for each of them, through the same loaders: the request's DataLoaders
(:class:`gqlnews.graphql.loaders.Loaders`, prebuilt statements over the querysets of
:mod:`gqlnews.visibility`), and the same ``from_model`` constructors (so the same cache
keys). The walk (:mod:`.run`) gathers the keys every relation of a generation asks of one
loader and loads them in one call (:meth:`gqlnews.graphql.sharing.SharedLoader.load_now`).
A test runs both paths on the same documents (tests/test_plans.py). Fields that take
arguments, and relations not listed here, are resolved by their own resolvers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader

from gqlnews.graphql.loaders import Loaders
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.section import Section
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.graphql.types.tag import Tag


class Made:
    """The objects one walk made of rows, by row: a row the walk meets again (the section
    "Une" of twenty articles: one row, see :class:`gqlnews.graphql.rows.Links`, and the
    same row of a loader's cache) gives the object made of it the first time, which already
    recorded its cache key. The objects are read only, so that sharing one between places
    of the answer changes nothing in it."""

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[tuple[Callable[[Any], Any], int], tuple[Any, Any]] = {}

    def of(self, convert: Callable[[Any], Any], row: Any) -> Any:
        """``convert(row)``, made once per row."""
        key = (convert, id(row))
        kept = self._made.get(key)
        if kept is not None and kept[0] is row:  # the entry holds the row: its id is its own
            return kept[1]
        value = convert(row)
        self._made[key] = (row, value)
        return value


Finish = Callable[[Loaders, Sequence[Any], list[Any], Made], Awaitable[list[Any]]]
"""Makes a relation's answers from the objects and what ``convert`` made of their rows, when
that needs more (another load)."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A hot relation read through one of the request's loaders: each object's key (None:
    a null foreign key) is loaded with the keys every other relation of the generation asks
    of the same loader, in one call; then each object's value is made of its row (``many``:
    of its list of rows) by ``convert``, and by ``finish`` when given."""

    loader: Callable[[Loaders], DataLoader[int, Any]]
    key: Callable[[Any], int | None]
    convert: Callable[[Any], Any]
    many: bool = False
    finish: Finish | None = None

    def keys(self, sources: Sequence[Any]) -> list[int | None]:
        """The key of each of ``sources``."""
        key = self.key
        return [key(source) for source in sources]

    def values(
        self, keys: Sequence[int | None], found: dict[int | None, Any], made: Made
    ) -> list[Any]:
        """What ``convert`` makes of the row of each of ``keys``, from the rows ``found`` by
        key: None for a null key or a row the loader does not answer; a list for ``many``.
        Each row is converted once in a walk (``made``)."""
        convert, make = self.convert, made.of
        if self.many:
            return [[make(convert, row) for row in found[key]] for key in keys]
        rows = [None if key is None else found[key] for key in keys]
        return [None if row is None else make(convert, row) for row in rows]


def _own_pk(source: Any) -> int:
    return int(source.model.pk)


def _model(name: str) -> Callable[[Any], int | None]:
    def key(source: Any) -> int | None:
        value = getattr(source.model, name)
        return None if value is None else int(value)

    return key


def _list_field(
    loader: Callable[[Loaders], DataLoader[int, Any]], convert: Callable[[Any], Any]
) -> Relation:
    return Relation(loader, _own_pk, convert, many=True)


def _related_field(
    loader: Callable[[Loaders], DataLoader[int, Any]], name: str, convert: Callable[[Any], Any]
) -> Relation:
    return Relation(loader, _model(name), convert)


def _same(row: Any) -> Any:
    return row


async def _primary_sections(
    loaders: Loaders, sources: Sequence[Any], groups: list[Any], made: Made
) -> list[Any]:
    """``Article.primarySection`` from each article's ordered section links: the first that
    is the primary section, else the section by its key (as the resolver does)."""
    rows: list[Any] = []
    for source, group in zip(sources, groups, strict=True):
        wanted = source.model.primary_section_id
        rows.append(next((s for s in group if s.pk == wanted), None))
    missing = [s.model.primary_section_id for s, row in zip(sources, rows, strict=True) if not row]
    if missing:
        found = dict(zip(missing, await loaders.section.load_many(missing), strict=True))
        pairs = zip(sources, rows, strict=True)
        rows = [row or found[s.model.primary_section_id] for s, row in pairs]
    section = Section.from_model
    return [made.of(section, row) if row is not None else None for row in rows]


BATCHED: dict[tuple[str, str], Relation] = {
    ("Article", "primarySection"): Relation(
        lambda loaders: loaders.sections_of_article,
        _own_pk,
        _same,
        many=True,
        finish=_primary_sections,
    ),
    ("Article", "sections"): _list_field(
        lambda loaders: loaders.sections_of_article, Section.from_model
    ),
    ("Article", "authors"): _list_field(
        lambda loaders: loaders.authors_of_article, Author.from_model
    ),
    ("Article", "tags"): _list_field(lambda loaders: loaders.tags_of_article, Tag.from_model),
    ("Article", "image"): _related_field(
        lambda loaders: loaders.image, "image_id", Image.from_model
    ),
    ("Article", "edition"): _related_field(
        lambda loaders: loaders.edition, "edition_id", Edition.from_model
    ),
    ("Article", "supplement"): _related_field(
        lambda loaders: loaders.supplement, "supplement_id", Supplement.from_model
    ),
    ("Section", "children"): _list_field(
        lambda loaders: loaders.children_of_section, Section.from_model
    ),
    ("Section", "parent"): _related_field(
        lambda loaders: loaders.section, "parent_id", Section.from_model
    ),
    ("Edition", "cover"): _related_field(
        lambda loaders: loaders.image, "cover_id", Image.from_model
    ),
    ("Supplement", "cover"): _related_field(
        lambda loaders: loaders.image, "cover_id", Image.from_model
    ),
    ("Author", "avatar"): _related_field(
        lambda loaders: loaders.image, "avatar_id", Image.from_model
    ),
}
"""(type, field) → the relation that answers it for a whole level. Only fields without
arguments; ``Article.image`` is planned only without a preview token (see :mod:`.run`)."""
