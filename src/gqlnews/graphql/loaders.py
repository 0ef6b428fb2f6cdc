"""Per-request DataLoaders: every relation of a list loads in one query, whatever the list size.

Articles, editions, supplements and images load through :mod:`gqlnews.visibility`: a loader
answers None for a row the request's viewer may not see, exactly as for a missing one, so every
path that reaches a row through a loader (``node``, a relation, a cover) follows the one rule.

Each loader is made fresh for each request (see :mod:`gqlnews.graphql.context`), so nothing
cached here outlives a request or crosses readers. What outlives requests is only the SQL of the
hot look-ups by keys: their querysets are rendered once per shape (kind of viewer, number of
keys) and then run with each request's values (:mod:`gqlnews.graphql.prepared`).

The catalog's loaders (sections, authors, tags, images, and an article's sections, authors and
tags, a section's children) answer light read-only rows (:mod:`gqlnews.graphql.rows`), not
model instances: their readers only read columns, and making instances cost more than running
the statements. Articles, editions and supplements are model instances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.queryset import QuerySet

from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on, depends_on_all
from gqlnews.graphql.body_text import rewrite_for
from gqlnews.graphql.page_batches import PageBatches
from gqlnews.graphql.prepared import (
    Prepared,
    Template,
    check_column,
    given_viewer,
    viewer_values,
)
from gqlnews.graphql.rows import (
    AuthorRow,
    ImageRow,
    Links,
    Rows,
    SectionRow,
    TagRow,
)
from gqlnews.graphql.sharing import SharedLoader, SharedResult, load_at_once
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleTag,
    Author,
    Edition,
    Genre,
    Image,
    Section,
    Supplement,
    Tag,
)
from gqlnews.plugins.strategies import RelatedStrategy, Scored
from gqlnews.urls import section_paths
from gqlnews.visibility import (
    Viewer,
    visible_articles,
    visible_editions,
    visible_images,
    visible_supplements,
)

M = TypeVar("M")
K = TypeVar("K")
T = TypeVar("T")


def by_key(keys: Sequence[K], rows: Iterable[M], key: Callable[[M], K]) -> list[M | None]:
    """The row of each key (None where there is none), in the order of ``keys``."""
    found = {key(row): row for row in rows}
    return [found.get(k) for k in keys]


def grouped(keys: Sequence[int], rows: Iterable[M], key: Callable[[M], int]) -> list[list[M]]:
    """The rows of each key, in the order of ``keys`` (and of ``rows`` within a key)."""
    groups: dict[int, list[M]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(k, []) for k in keys]


def links_query(
    link: type[ArticleSection | ArticleAuthor | ArticleTag], target: str, article_ids: list[int]
) -> QuerySet[Any]:
    """The ``link`` rows of articles, with the objects they point at, in ``position`` order."""
    return (
        link.filter(article_id__in=article_ids)
        .select_related(target)
        .order_by("article_id", "position", "id")
    )


def linked(article_ids: list[int], pairs: Iterable[tuple[int, T]]) -> list[list[T]]:
    """For each article, the objects its rows of :func:`links_query` point at, in order, from
    their (article id, object) pairs."""
    groups: dict[int, list[T]] = defaultdict(list)
    for article_id, target in pairs:
        groups[article_id].append(target)
    return [groups.get(k, []) for k in article_ids]


_IMAGES = Prepared(
    lambda viewer, now, ids: visible_images(viewer, now, among=ids),
    Image,
    Rows(ImageRow, Image),
)
_EDITIONS = Prepared(
    lambda viewer, now, ids: visible_editions(viewer, now).filter(id__in=ids), Edition
)
_SUPPLEMENTS = Prepared(
    lambda viewer, now, ids: visible_supplements(viewer, now).filter(id__in=ids), Supplement
)
_ARTICLES = Prepared(
    lambda viewer, now, ids: visible_articles(viewer, now).filter(id__in=ids), Article
)
_SECTIONS = Prepared(
    lambda _viewer, _now, ids: Section.filter(id__in=ids), Section, Rows(SectionRow, Section)
)
_AUTHORS = Prepared(
    lambda _viewer, _now, ids: Author.filter(id__in=ids), Author, Rows(AuthorRow, Author)
)
_TAGS = Prepared(lambda _viewer, _now, ids: Tag.filter(id__in=ids), Tag, Rows(TagRow, Tag))
_CHILDREN = Prepared(
    lambda _viewer, _now, ids: Section.filter(parent_id__in=ids).order_by("position", "id"),
    Section,
    Rows(SectionRow, Section),
)
_SECTION_LINKS = Prepared(
    lambda _viewer, _now, ids: links_query(ArticleSection, "section", ids),
    ArticleSection,
    Links(SectionRow, Section, "section"),
)
_AUTHOR_LINKS = Prepared(
    lambda _viewer, _now, ids: links_query(ArticleAuthor, "author", ids),
    ArticleAuthor,
    Links(AuthorRow, Author, "author"),
)
_TAG_LINKS = Prepared(
    lambda _viewer, _now, ids: links_query(ArticleTag, "tag", ids),
    ArticleTag,
    Links(TagRow, Tag, "tag"),
)
_EDITIONS_BY_NUMBER = Prepared(
    lambda viewer, now, numbers: visible_editions(viewer, now).filter(number__in=numbers),
    Edition,
)
_EDITION_ARTICLES = Prepared(
    lambda viewer, now, ids: (
        visible_articles(viewer, now)
        .filter(edition_id__in=ids)
        .order_by("page", "print_position", "id")
    ),
    Article,
)
_EDITION_SUPPLEMENTS = Prepared(
    lambda viewer, now, ids: (
        visible_supplements(viewer, now).filter(edition_id__in=ids).order_by("date", "id")
    ),
    Supplement,
)
_LIGHT_ARTICLES: dict[tuple[str, ...], Prepared] = {}
"""Look-ups of visible articles by id reading some columns, per tuple of columns (a few:
see :mod:`gqlnews.graphql.types.article_columns`)."""


def _articles_reading(columns: tuple[str, ...]) -> Prepared:
    """The look-up of visible articles by id that reads ``columns`` only."""
    prepared = _LIGHT_ARTICLES.get(columns)
    if prepared is None:
        prepared = _LIGHT_ARTICLES[columns] = Prepared(
            lambda viewer, now, ids: (
                visible_articles(viewer, now).filter(id__in=ids).only(*columns)
            ),
            Article,
            rewrite=rewrite_for(columns),
        )
    return prepared


_WHOLE_ARTICLES = Template(Article)
"""Whole visible articles by slug, and the newest of a genre."""
_BY_SLUG = {model: Template(model) for model in (Section, Author, Tag)}


_Catalog = TypeVar("_Catalog", Section, Author, Tag)


async def catalog_by_slug(model: type[_Catalog], slug: str) -> _Catalog | None:
    """The section, author or tag (``model``) with ``slug``, None if there is none; its
    statement is prebuilt (the slug is checked against its column first, as Tortoise does
    when it builds one)."""
    check_column(model, "slug", [slug])
    found: list[_Catalog] = await _BY_SLUG[model].fetch(
        ("slug",), [slug], lambda given: model.filter(slug=given[0]).limit(1)
    )
    return found[0] if found else None


_TOP_SECTIONS = Template(Section)


async def top_sections() -> list[Section]:
    """The top-level sections in their order (one prebuilt statement)."""
    found: list[Section] = await _TOP_SECTIONS.fetch(
        ("top",),
        [],
        lambda _given: Section.filter(parent_id__isnull=True).order_by("position", "id"),
    )
    return found


def _pick(
    article: Article, suggestions: list[Scored], found: dict[int, Article | None], limit: int
) -> list[tuple[Article, Scored]]:
    """Best suggestions first, without the article itself, repeats or invisible articles."""
    seen = {int(article.pk)}
    picked: list[tuple[Article, Scored]] = []
    for suggestion in sorted(suggestions, key=lambda s: -s.score):
        row = found.get(suggestion.article_id)
        if row is None or suggestion.article_id in seen:
            continue
        seen.add(suggestion.article_id)
        picked.append((row, suggestion))
        if len(picked) == limit:
            break
    return picked


async def _all_section_paths() -> dict[int, str]:
    rows = await Section.all().values_list("id", "parent_id", "slug")
    return section_paths((int(pk), parent, str(slug)) for pk, parent, slug in rows)


async def load_related(
    loader: DataLoader[int, M | None], pk: int | None, convert: Callable[[M], T]
) -> T | None:
    """``convert`` the row ``pk`` of a nullable foreign key, through ``loader``."""
    if pk is None:
        return None
    row = await loader.load(pk)
    return convert(row) if row is not None else None


def _pk(row: Any) -> int:
    return int(row.pk)


class Loaders:
    """The loaders of one request, for one viewer at one instant. Articles, editions and
    supplements come as model instances; sections, authors, tags and images as read-only
    rows with the same column attributes (``pk``, ``slug``, ``parent_id``…), to read."""

    def __init__(self, viewer: Viewer, now: datetime) -> None:
        self.viewer = viewer
        self.now = now
        self._related: dict[tuple[str, int, tuple[str, ...] | None], DataLoader[Article, Any]] = {}
        self._reading: dict[tuple[str, ...], DataLoader[int, Any]] = {}
        self._sections_seen: dict[int, SectionRow] = {}
        """The sections the articles' links brought: the section loader answers them."""
        self._catalog: dict[tuple[type[Any], str], SharedResult[Any]] = {}

    # Each loader is made when a field first asks for it: a request uses a few of them.

    @cached_property
    def page_batches(self) -> PageBatches:
        """The article lists' pages asked together, read together (lists inside lists)."""
        return PageBatches()

    @cached_property
    def image(self) -> DataLoader[int, ImageRow | None]:
        return self._by_id(_IMAGES)

    @cached_property
    def section(self) -> DataLoader[int, SectionRow | None]:
        return self._by_id(_SECTIONS, self._sections_seen)

    @cached_property
    def author(self) -> DataLoader[int, AuthorRow | None]:
        return self._by_id(_AUTHORS)

    @cached_property
    def tag(self) -> DataLoader[int, TagRow | None]:
        return self._by_id(_TAGS)

    @cached_property
    def edition(self) -> DataLoader[int, Any]:
        return self._by_id(_EDITIONS)

    @cached_property
    def supplement(self) -> DataLoader[int, Any]:
        return self._by_id(_SUPPLEMENTS)

    @cached_property
    def article(self) -> DataLoader[int, Any]:
        return self._by_id(_ARTICLES)

    @cached_property
    def article_by_slug(self) -> DataLoader[str, Article | None]:
        return SharedLoader(load_fn=self._articles_by_slug)

    @cached_property
    def sections_of_article(self) -> DataLoader[int, list[SectionRow]]:
        return SharedLoader(load_fn=self._sections_of)

    @cached_property
    def authors_of_article(self) -> DataLoader[int, list[AuthorRow]]:
        return SharedLoader(load_fn=self._authors_of)

    @cached_property
    def tags_of_article(self) -> DataLoader[int, list[TagRow]]:
        return SharedLoader(load_fn=self._tags_of)

    @cached_property
    def section_path(self) -> DataLoader[int, str]:
        return SharedLoader(load_fn=self._section_paths)

    @cached_property
    def _paths(self) -> SharedResult[dict[int, str]]:
        return SharedResult(_all_section_paths)

    @cached_property
    def children_of_section(self) -> DataLoader[int, list[SectionRow]]:
        return SharedLoader(load_fn=self._children_of)

    @cached_property
    def articles_of_edition(self) -> DataLoader[int, list[Article]]:
        return SharedLoader(load_fn=self._edition_articles)

    @cached_property
    def supplements_of_edition(self) -> DataLoader[int, list[Supplement]]:
        return SharedLoader(load_fn=self._edition_supplements)

    @cached_property
    def edition_by_number(self) -> DataLoader[int, Edition | None]:
        return SharedLoader(load_fn=self._editions_by_number)

    def release(self) -> None:
        """Let go of everything loaded so far (the loaders, their keys' futures and rows),
        once the request's answer is built. graphql-core's executor holds the request's
        context in a reference cycle of its own, and each loader holds these loaders (its
        batch function is one of their methods): without this, all of it waited for the
        garbage collector (about 480 objects a front page). Loaders asked for later are
        made anew."""
        for name in _MADE_WHEN_ASKED:
            self.__dict__.pop(name, None)
        self._related.clear()
        self._reading.clear()
        self._sections_seen.clear()

    def _by_id(
        self, prepared: Prepared, seen: dict[int, Any] | None = None
    ) -> DataLoader[int, Any]:
        """A loader of the rows of ``prepared`` by their keys (None for a missing key); the
        rows ``seen`` already (the same rows, read another way) are answered without SQL."""

        async def load(ids: list[int]) -> list[Any]:
            if not seen:
                return by_key(ids, await self._fetch(prepared, ids), _pk)
            unknown = [pk for pk in ids if pk not in seen]
            read = (
                {_pk(row): row for row in await self._fetch(prepared, unknown)} if unknown else {}
            )
            return [seen[pk] if pk in seen else read.get(pk) for pk in ids]

        return SharedLoader(load_fn=load)

    async def _fetch(self, prepared: Prepared, keys: list[int]) -> list[Any]:
        """The rows of ``prepared`` for ``keys``, for this request's viewer and instant."""
        return await prepared.fetch(self.viewer, self.now, keys)

    def catalog_by_slug(self, model: type[_Catalog], slug: str) -> Awaitable[_Catalog | None]:
        """The section, author or tag (``model``) with ``slug`` (see :func:`catalog_by_slug`),
        looked up once in the request: ``section(slug: "une")`` and a list filtered on the
        same slug share the statement."""
        key = (model, slug)
        shared = self._catalog.get(key)
        if shared is None:
            shared = self._catalog[key] = SharedResult(lambda: catalog_by_slug(model, slug))
        found: Awaitable[_Catalog | None] = shared.get()
        return found

    def articles_reading(self, columns: tuple[str, ...] | None) -> DataLoader[int, Any]:
        """Visible articles by id, reading ``columns`` only: partial instances, not kept for
        the other look-ups (see :mod:`gqlnews.graphql.types.article_columns`). None reads
        whole rows: the request's :attr:`article` loader."""
        if columns is None:
            return self.article
        loader = self._reading.get(columns)
        if loader is None:
            loader = self._reading[columns] = self._by_id(_articles_reading(columns))
        return loader

    async def read_articles(self, columns: tuple[str, ...] | None, ids: list[int]) -> list[Any]:
        """The visible articles ``ids`` (None where not visible), read as
        :meth:`articles_reading` reads them, for a caller that has every id at once (search
        hits, related suggestions). The light look-ups are loaded now, in one call
        (:meth:`SharedLoader.load_now`: the ids come all at once, no batch to wait for);
        whole rows go through the request's ``article`` loader, with whatever else asks it."""
        if columns is None:
            return await self.article.load_many(ids)
        return await load_at_once(self.articles_reading(columns), ids)

    def related(
        self, strategy: RelatedStrategy, limit: int, columns: tuple[str, ...] | None = None
    ) -> DataLoader[Article, list[tuple[Article, Scored]]]:
        """Related articles by ``strategy``, one strategy call for every article of the
        request asking with the same ``limit`` and ``columns`` (see
        :meth:`articles_reading`); suggestions go through a visible-article loader, so a
        strategy cannot leak an article the reader may not see."""
        key = (strategy.name, limit, columns)
        if key not in self._related:

            async def load(articles: list[Article]) -> list[list[tuple[Article, Scored]]]:
                suggested = await strategy.related(articles, limit)
                wanted = list(
                    dict.fromkeys(s.article_id for a in articles for s in suggested.get(a.pk, []))
                )
                found = dict(zip(wanted, await self.read_articles(columns, wanted), strict=True))
                return [_pick(a, suggested.get(a.pk, []), found, limit) for a in articles]

            self._related[key] = SharedLoader(load_fn=load, cache_key_fn=lambda a: a.pk)
        return self._related[key]

    async def newest_article(self, genre: Genre) -> Article | None:
        """The newest article of ``genre`` (by publication, then id) this request's viewer may
        see, a whole row, or None: one statement, prebuilt per kind of viewer."""
        viewer_shape, viewer_part = viewer_values(self.viewer, self.now)

        def build(given: Sequence[Any]) -> QuerySet[Article]:
            who, at, _ = given_viewer(viewer_shape, given)
            newest = visible_articles(who, at).filter(genre=genre)
            return newest.order_by("-published_at", "-id").limit(1)

        shape = ("newest", genre, *viewer_shape)
        rows: list[Article] = await _WHOLE_ARTICLES.fetch(shape, viewer_part, build)
        return rows[0] if rows else None

    def visible(self) -> Any:
        """Articles this request's viewer may see at this request's instant."""
        return visible_articles(self.viewer, self.now)

    def prime_articles(self, articles: Iterable[Article]) -> None:
        """Remember articles a list already loaded, so ``node``-style look-ups reuse them
        (whole rows only: a list of teasers reads some columns, see
        :mod:`gqlnews.graphql.types.article_columns`)."""
        for article in articles:
            if not article._partial:
                self.article.prime(article.pk, article)

    def visible_editions(self) -> QuerySet[Edition]:
        """Editions this request's viewer may see at this request's instant."""
        return visible_editions(self.viewer, self.now)

    def visible_supplements(self) -> QuerySet[Supplement]:
        """Supplements this request's viewer may see at this request's instant."""
        return visible_supplements(self.viewer, self.now)

    async def _articles_by_slug(self, slugs: list[str]) -> list[Article | None]:
        check_column(Article, "slug", slugs)
        viewer_shape, viewer_part = viewer_values(self.viewer, self.now)

        def build(given: Sequence[Any]) -> QuerySet[Article]:
            who, at, wanted = given_viewer(viewer_shape, given)
            return visible_articles(who, at).filter(slug__in=wanted)

        shape = ("slug", *viewer_shape, len(slugs))
        rows = await _WHOLE_ARTICLES.fetch(shape, [*viewer_part, *slugs], build)
        return by_key(slugs, rows, lambda a: str(a.slug))

    async def _sections_of(self, article_ids: list[int]) -> list[list[SectionRow]]:
        groups: list[list[SectionRow]] = linked(
            article_ids, await self._fetch(_SECTION_LINKS, article_ids)
        )
        seen = self._sections_seen
        for group in groups:
            for section in group:
                seen[section.pk] = section
        return groups

    async def _authors_of(self, article_ids: list[int]) -> list[list[AuthorRow]]:
        return linked(article_ids, await self._fetch(_AUTHOR_LINKS, article_ids))

    async def _tags_of(self, article_ids: list[int]) -> list[list[TagRow]]:
        return linked(article_ids, await self._fetch(_TAG_LINKS, article_ids))

    async def _section_paths(self, section_ids: list[int]) -> list[str]:
        """The paths (``monde/afrique``) of sections, from the whole tree, read once per
        request (one statement, whatever the batches: the tree is a small catalog, and it
        serves every URL of the request)."""
        depends_on(keys.catalog("Section"))
        paths = await self._paths.get()
        return [paths.get(pk, "") for pk in section_ids]

    async def _children_of(self, section_ids: list[int]) -> list[list[SectionRow]]:
        depends_on(keys.catalog("Section"))
        rows = await self._fetch(_CHILDREN, section_ids)
        return grouped(section_ids, rows, lambda s: s.parent_id or 0)

    async def _edition_articles(self, edition_ids: list[int]) -> list[list[Article]]:
        depends_on_all(keys.articles_of("Edition", pk) for pk in edition_ids)
        rows = await self._fetch(_EDITION_ARTICLES, edition_ids)
        return grouped(edition_ids, rows, lambda a: a.edition_id or 0)

    async def _edition_supplements(self, edition_ids: list[int]) -> list[list[Supplement]]:
        depends_on(keys.catalog("Supplement"))
        rows = await self._fetch(_EDITION_SUPPLEMENTS, edition_ids)
        return grouped(edition_ids, rows, lambda s: s.edition_id or 0)

    async def _editions_by_number(self, numbers: list[int]) -> list[Edition | None]:
        depends_on_all(keys.edition_number(number) for number in numbers)
        rows = await self._fetch(_EDITIONS_BY_NUMBER, numbers)
        return by_key(numbers, rows, lambda e: int(e.number))


_MADE_WHEN_ASKED = tuple(
    name for name, member in vars(Loaders).items() if isinstance(member, cached_property)
)
"""The loaders (and the section tree) a :class:`Loaders` keeps once asked for."""
