"""Article criteria and orders as plain data, applied to querysets (no GraphQL here).

Criteria are checked when made, so that what a client's filter asks for cannot overload the
database: a list of values (slugs, genres, languages, statuses) holds at most
:data:`MAX_FILTER_VALUES` items (``BAD_USER_INPUT`` beyond, naming the maximum), and a
date-time given without a time zone is taken as UTC (so zoned and unzoned bounds compare).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from tortoise.expressions import Case, Subquery, When
from tortoise.queryset import QuerySet

from gqlnews.cache import keys
from gqlnews.errors import BadUserInput
from gqlnews.graphql.pagination import Ordering, SortKey
from gqlnews.graphql.prepared import check_column
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleStatus,
    ArticleTag,
    Author,
    Edition,
    Genre,
    Section,
    SectionArticle,
    Supplement,
    Tag,
)
from gqlnews.slugs import normalize_slug
from gqlnews.visibility import Viewer, latest_visible, visible_editions, visible_supplements

MAX_FILTER_VALUES = 100
"""Most values one list of a filter may hold (``filter.tags`` …): a reader's page never
shows more articles than that, and the values become SQL parameters."""

_FILTER_ARGUMENTS = {
    "section_slugs": "filter.sections",
    "tag_slugs": "filter.tags",
    "author_slugs": "filter.authors",
    "genres": "filter.genres",
    "languages": "filter.languages",
    "statuses": "filter.statuses",
}
"""The criteria a client's filter fills, with the argument each comes from."""


def instant(value: datetime) -> datetime:
    """``value`` with a time zone: one given without is taken as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def check_window(after: datetime | None, before: datetime | None) -> None:
    """``BAD_USER_INPUT`` unless ``after`` comes before ``before`` (when both are given);
    unzoned date-times count as UTC."""
    if after is not None and before is not None and instant(after) >= instant(before):
        raise BadUserInput(
            "filter.publishedAfter must be before filter.publishedBefore",
            argument="filter.publishedAfter",
        )


def check_values(name: str, values: object) -> None:
    """``BAD_USER_INPUT`` when a filter's list ``values`` holds more than
    :data:`MAX_FILTER_VALUES` items (``name`` is the argument, e.g. ``filter.tags``)."""
    if isinstance(values, list | tuple) and len(values) > MAX_FILTER_VALUES:
        raise BadUserInput(
            f"{name} may hold at most {MAX_FILTER_VALUES} values (got {len(values)})",
            argument=name,
            maximum=MAX_FILTER_VALUES,
        )


class ArticleOrder(Enum):
    PUBLISHED_AT_DESC = "published_at_desc"
    PUBLISHED_AT_ASC = "published_at_asc"
    UPDATED_AT_DESC = "updated_at_desc"
    TITLE_ASC = "title_asc"
    MOST_VIEWED = "most_viewed"
    PRINT_ORDER = "print_order"


ORDERINGS: dict[ArticleOrder, Ordering] = {
    ArticleOrder.PUBLISHED_AT_DESC: Ordering((SortKey("published_at", True), SortKey("id", True))),
    ArticleOrder.PUBLISHED_AT_ASC: Ordering((SortKey("published_at"), SortKey("id"))),
    ArticleOrder.UPDATED_AT_DESC: Ordering((SortKey("updated_at", True), SortKey("id", True))),
    ArticleOrder.TITLE_ASC: Ordering((SortKey("title"), SortKey("id"))),
    ArticleOrder.MOST_VIEWED: Ordering((SortKey("view_count", True), SortKey("id", True))),
    # Page may be null (not in print), so cursors of this order carry offsets.
    ArticleOrder.PRINT_ORDER: Ordering(
        (SortKey("page"), SortKey("print_position"), SortKey("id")), keyset=False
    ),
}


@dataclass(frozen=True, slots=True)
class ArticleCriteria:
    """What a list of articles is restricted to; every field that is set must hold.

    ``*_ids`` come from the object a list hangs off (a section's articles…); ``*_slugs`` and
    ``edition_number`` come from a client's filter. Both may be set: both then apply.
    """

    section_ids: tuple[int, ...] | None = None
    section_tree_ids: tuple[int, ...] | None = None
    """Sections whose articles *and* whose sub-sections' articles (two levels down) count."""
    own_links: bool = False
    """With one section in ``section_tree_ids``: only the articles linked to that section
    itself (not to its sub-sections), a join with its links (see
    :func:`gqlnews.graphql.types.article_lists.by_section_rows`)."""
    section_slugs: tuple[str, ...] | None = None
    tag_ids: tuple[int, ...] | None = None
    tag_slugs: tuple[str, ...] | None = None
    author_ids: tuple[int, ...] | None = None
    author_slugs: tuple[str, ...] | None = None
    edition_ids: tuple[int, ...] | None = None
    edition_number: int | None = None
    supplement_ids: tuple[int, ...] | None = None
    supplement_slug: str | None = None
    genres: tuple[Genre, ...] | None = None
    languages: tuple[str, ...] | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None
    statuses: tuple[ArticleStatus, ...] | None = None

    def __post_init__(self) -> None:
        if self.own_links and (self.section_tree_ids is None or len(self.section_tree_ids) != 1):
            raise ValueError("own_links needs exactly one section tree")
        for name, argument in _FILTER_ARGUMENTS.items():
            check_values(argument, getattr(self, name))
        for name in ("section_slugs", "tag_slugs", "author_slugs"):
            slugs = getattr(self, name)
            if slugs is not None:  # looked up as stored: see gqlnews.slugs
                object.__setattr__(self, name, tuple(normalize_slug(s) for s in slugs))
        if self.supplement_slug is not None:
            object.__setattr__(self, "supplement_slug", normalize_slug(self.supplement_slug))
        for bound in ("published_after", "published_before"):
            value = getattr(self, bound)
            if value is not None:
                object.__setattr__(self, bound, instant(value))


UNDATED = "undated"
"""Annotation of staff lists: "1" for an article without a publication date (a draft), else
"0" (text, which sorts the same on every database)."""


_BY_TREE = {
    ordering: Ordering(
        (
            SortKey("tree_entries__published_at", ordering.keys[0].descending, "published_at"),
            SortKey("tree_entries__article_id", ordering.keys[1].descending, "id"),
        )
    )
    for ordering in (
        ORDERINGS[ArticleOrder.PUBLISHED_AT_DESC],
        ORDERINGS[ArticleOrder.PUBLISHED_AT_ASC],
    )
}
"""The orders by publication of one section's tree, read from its index in
:class:`gqlnews.models.SectionArticle` (the same values: cursors do not change)."""


def order_articles(
    qs: QuerySet[Article],
    order: ArticleOrder,
    *,
    viewer: Viewer,
    now: datetime,
    criteria: ArticleCriteria,
) -> tuple[QuerySet[Article], Ordering]:
    """``qs`` (narrowed to ``criteria`` by :func:`apply_criteria`) ready to be paged in
    ``order``, and the ordering to page it with.

    Readers only ever see dated articles. Staff lists (a signed-in ``viewer``) hold drafts
    whose ``published_at`` is null: orders on it then put undated articles last, in both
    directions and on every database, and page with position cursors (a null cannot be a
    keyset bound).

    A reader's list of one section's tree in order of publication sorts by the copy of
    ``published_at`` in the tree's rows (joined by :func:`apply_criteria`), bounded by the
    latest time the reader may see: the database then reads the section's newest articles
    from its index, instead of walking every article by date and checking its links.
    """
    ordering, bound, undated_last = _ordering(order, viewer, now, criteria)
    if bound is not None:
        return qs.filter(tree_entries__published_at__lte=bound), ordering
    if undated_last:
        undated = Case(When(published_at__isnull=True, then="1"), default="0")
        return qs.annotate(**{UNDATED: undated}), ordering
    return qs, ordering


def list_ordering(
    order: ArticleOrder, *, viewer: Viewer, now: datetime, criteria: ArticleCriteria
) -> Ordering:
    """The ordering :func:`order_articles` pages a list in ``order`` with, without its
    queryset (a list read by a prebuilt statement builds that only to count, if asked)."""
    return _ordering(order, viewer, now, criteria)[0]


def _ordering(
    order: ArticleOrder, viewer: Viewer, now: datetime, criteria: ArticleCriteria
) -> tuple[Ordering, datetime | None, bool]:
    """The ordering of :func:`order_articles`; the latest time of a section tree's rows it
    sorts by (None: it sorts by the articles' own columns); whether it puts undated articles
    last (a staff list by publication)."""
    ordering = ORDERINGS[order]
    tree = criteria.section_tree_ids
    bound = latest_visible(viewer, now)
    if bound is not None and tree is not None and len(tree) == 1 and ordering in _BY_TREE:
        return _BY_TREE[ordering], bound, False
    if not viewer.is_authenticated or all(key.field != "published_at" for key in ordering.keys):
        return ordering, None, False
    return Ordering((SortKey(UNDATED), *ordering.keys), keyset=False), None, True


def apply_criteria(
    qs: QuerySet[Article], c: ArticleCriteria, *, viewer: Viewer, now: datetime
) -> QuerySet[Article]:
    """Narrow ``qs`` to ``c``. Memberships are sub-queries: no extra round trip, no repeats.

    An edition or supplement named by the client counts only when ``viewer`` may see it at
    ``now`` (a future edition's articles are not listed as its own before it is out)."""
    if c.section_ids is not None:
        links = ArticleSection.filter(section_id__in=c.section_ids)
        qs = qs.filter(id__in=Subquery(links.values("article_id")))
    if c.section_tree_ids is not None:
        qs = _in_trees(qs, c.section_tree_ids)
        if c.own_links:  # a join, probed for each row of the tree (one link per section)
            qs = qs.filter(section_links__section_id=c.section_tree_ids[0])
    if c.section_slugs is not None:
        links = ArticleSection.filter(section__slug__in=c.section_slugs)
        qs = qs.filter(id__in=Subquery(links.values("article_id")))
    if c.tag_ids is not None:
        tag_links = ArticleTag.filter(tag_id__in=c.tag_ids)
        qs = qs.filter(id__in=Subquery(tag_links.values("article_id")))
    if c.tag_slugs is not None:
        tag_links = ArticleTag.filter(tag__slug__in=c.tag_slugs)
        qs = qs.filter(id__in=Subquery(tag_links.values("article_id")))
    if c.author_ids is not None:
        bylines = ArticleAuthor.filter(author_id__in=c.author_ids)
        qs = qs.filter(id__in=Subquery(bylines.values("article_id")))
    if c.author_slugs is not None:
        bylines = ArticleAuthor.filter(author__slug__in=c.author_slugs)
        qs = qs.filter(id__in=Subquery(bylines.values("article_id")))
    if c.edition_ids is not None:
        qs = qs.filter(edition_id__in=c.edition_ids)
    if c.edition_number is not None:
        editions = visible_editions(viewer, now).filter(number=c.edition_number)
        qs = qs.filter(edition_id__in=Subquery(editions.values("id")))
    if c.supplement_ids is not None:
        qs = qs.filter(supplement_id__in=c.supplement_ids)
    if c.supplement_slug is not None:
        supplements = visible_supplements(viewer, now).filter(slug=c.supplement_slug)
        qs = qs.filter(supplement_id__in=Subquery(supplements.values("id")))
    if c.genres is not None:
        qs = qs.filter(genre__in=list(c.genres))
    if c.languages is not None:
        qs = qs.filter(language__in=list(c.languages))
    if c.published_after is not None:
        qs = qs.filter(published_at__gte=c.published_after)
    if c.published_before is not None:
        qs = qs.filter(published_at__lt=c.published_before)
    if c.statuses is not None:
        qs = qs.filter(status__in=list(c.statuses))
    return qs


def _in_trees(qs: QuerySet[Article], tree: tuple[int, ...]) -> QuerySet[Article]:
    """``qs`` narrowed to the articles of the sections ``tree`` and of their sub-sections
    (two levels down), as :class:`gqlnews.models.SectionArticle` holds them. One section is a
    join with its rows (one per article: a section holds an article once), which
    :func:`order_articles` may sort by; several are a sub-query (no repeats)."""
    if len(tree) == 1:
        return qs.filter(tree_entries__section_id=tree[0])
    rows = SectionArticle.filter(section_id__in=tree)
    return qs.filter(id__in=Subquery(rows.values("article_id")))


def cache_keys(c: ArticleCriteria) -> list[str]:
    """The surrogate keys of a list restricted by ``c`` (see :mod:`gqlnews.cache.keys`):
    those of each section, tag, author, edition or supplement it hangs off or filters on, or
    the genres' keys for lists restricted by genre only, or the key of unrestricted lists
    (by language or dates too). Slug filters and section trees also depend on their type's
    catalog (a renamed slug or a moved section changes what they hold)."""
    found: list[str] = []
    for type_name, ids, slugs in (
        ("Section", c.section_ids, c.section_slugs),
        ("Tag", c.tag_ids, c.tag_slugs),
        ("Author", c.author_ids, c.author_slugs),
        ("Edition", c.edition_ids, None),
        ("Supplement", c.supplement_ids, (c.supplement_slug,) if c.supplement_slug else None),
    ):
        found.extend(keys.articles_of(type_name, pk) for pk in ids or ())
        if slugs is not None:
            found.extend(keys.articles_of_slug(type_name, slug) for slug in slugs)
            found.append(keys.catalog(type_name))
    if c.section_tree_ids is not None:
        found.extend(keys.articles_of("Section", pk) for pk in c.section_tree_ids)
        found.append(keys.catalog("Section"))
    if c.edition_number is not None:
        found.extend((keys.edition_number(c.edition_number), keys.catalog("Edition")))
    if not found and c.genres:
        return [keys.genre(str(genre)) for genre in c.genres]
    return found or [keys.ARTICLE_LIST]


def criteria_values(c: ArticleCriteria) -> tuple[tuple[Any, ...], list[Any]]:
    """``c`` split into its shape (which criteria are set, how many values each holds, and the
    values of :data:`_IN_SHAPE`, which change the statement's text) and its other values,
    flat, in field order: :func:`criteria_from_values` puts them back."""
    shape: list[Any] = []
    values: list[Any] = []
    for name in _FIELDS:
        value = getattr(c, name)
        if value is None:
            shape.append(None)
        elif name in _IN_SHAPE:
            shape.append(value)
        elif isinstance(value, tuple):
            shape.append(len(value))
            values.extend(value)
        else:
            shape.append(-1)
            values.append(value)
    return tuple(shape), values


def criteria_from_values(shape: tuple[Any, ...], values: Sequence[Any]) -> ArticleCriteria:
    """The criteria of ``shape`` holding ``values`` (see :func:`criteria_values`), taken as
    given: values that came out of checked criteria, or stand-ins for them."""
    criteria = object.__new__(ArticleCriteria)
    position = 0
    for name, part in zip(_FIELDS, shape, strict=True):
        if part is None or name in _IN_SHAPE:
            value = part
        elif part == -1:
            value, position = values[position], position + 1
        else:
            value, position = tuple(values[position : position + part]), position + part
        object.__setattr__(criteria, name, value)
    return criteria


_FIELDS = tuple(field.name for field in fields(ArticleCriteria))
_IN_SHAPE = frozenset({"genres", "statuses", "own_links"})
"""Criteria whose values change the statement's text (enum values are constants in it; a
flag adds a condition), kept in the shape, not in the values."""


_COLUMNS: dict[str, tuple[Any, str]] = {
    "section_slugs": (Section, "slug"),
    "tag_slugs": (Tag, "slug"),
    "author_slugs": (Author, "slug"),
    "edition_number": (Edition, "number"),
    "supplement_slug": (Supplement, "slug"),
    "languages": (Article, "language"),
}
"""The criteria a client gives, with the column each is compared with."""


def check_columns(c: ArticleCriteria) -> None:
    """Check the values a client gave against their columns as Tortoise does when it builds a
    statement (its ``ValidationError``, answered ``BAD_USER_INPUT`` by
    :mod:`gqlnews.graphql.stored_limits`): a prebuilt statement skips Tortoise's check."""
    for name, (model, column) in _COLUMNS.items():
        value = getattr(c, name)
        if value is not None:
            check_column(model, column, value if isinstance(value, tuple) else (value,))
