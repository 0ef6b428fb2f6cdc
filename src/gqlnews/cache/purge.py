"""Which surrogate keys a change touches.

An article that goes public, stops being public or changes while public touches its own keys
(``Article:<id>``, its slug), every list it is (or was) in — its sections and their parents',
its tags', its authors', its edition's and supplement's, the unrestricted lists and search —
and nothing else: an answer about another article keeps its place in the cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gqlnews.cache import keys
from gqlnews.models import Article, ArticleAuthor, ArticleSection, ArticleTag, Author, Section, Tag


def _lineage(section_ids: Iterable[int], parents: Mapping[int, int | None]) -> set[int]:
    """``section_ids`` and all their ancestors."""
    found: set[int] = set()
    for section_id in section_ids:
        current: int | None = section_id
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
    return found


async def _linked(model: Any, column: str, article_ids: Sequence[int]) -> set[int]:
    """The ids in ``column`` of ``model``'s links of these articles."""
    rows = await model.filter(article_id__in=list(article_ids)).values_list(column, flat=True)
    return {int(pk) for pk in rows}


def _links(type_name: str, rows: Iterable[tuple[int, str]]) -> set[str]:
    """The list keys (by id and by slug) of the sections, tags or authors ``rows`` name."""
    found: set[str] = set()
    for pk, slug in rows:
        found.add(keys.articles_of(type_name, pk))
        found.add(keys.articles_of_slug(type_name, slug))
    return found


async def article_keys(
    article_ids: Sequence[int], was: Mapping[str, Sequence[int]] | None = None
) -> set[str]:
    """The keys a change to these articles touches (5 SQL queries). ``was`` holds the
    ``section_ids``, ``tag_ids`` and ``author_ids`` the articles had before the change."""
    was = was or {}
    found = {keys.ARTICLE_LIST, keys.ARTICLE_SEARCH}
    rows: list[Any] = await Article.filter(id__in=list(article_ids)).values(
        "id",
        "slug",
        "genre",
        "edition_id",
        "edition__number",
        "supplement_id",
        "supplement__slug",
    )
    for row in rows:
        found.add(keys.genre(str(row["genre"])))
        found.add(keys.by_slug("Article", row["slug"]))
        if row["edition_id"] is not None:
            found.add(keys.articles_of("Edition", row["edition_id"]))
            found.add(keys.edition_number(row["edition__number"]))
        if row["supplement_id"] is not None:
            found.add(keys.articles_of("Supplement", row["supplement_id"]))
            found.add(keys.articles_of_slug("Supplement", row["supplement__slug"]))
    for pk in article_ids:
        found.add(keys.entity("Article", pk))
    linked = await _linked(ArticleSection, "section_id", article_ids)
    section_ids = set(was.get("section_ids", ())) | linked
    sections: list[tuple[int, int | None, str]] = await Section.all().values_list(
        "id", "parent_id", "slug"
    )
    parents = {pk: parent for pk, parent, _slug in sections}
    lineage = _lineage(section_ids, parents)
    found |= _links("Section", ((pk, slug) for pk, _parent, slug in sections if pk in lineage))
    tag_ids = set(was.get("tag_ids", ())) | await _linked(ArticleTag, "tag_id", article_ids)
    found |= _links("Tag", await Tag.filter(id__in=list(tag_ids)).values_list("id", "slug"))
    linked = await _linked(ArticleAuthor, "author_id", article_ids)
    author_ids = set(was.get("author_ids", ())) | linked
    found |= _links(
        "Author", await Author.filter(id__in=list(author_ids)).values_list("id", "slug")
    )
    return found


def catalog_keys(type_name: str, pk: int, slug: str | None = None) -> set[str]:
    """The keys a created or changed section, author, tag, image, edition or supplement
    touches: its own, its type's lists (slug-filtered and tree lists depend on them too) and
    a look-up by its slug that found nothing before."""
    found = {keys.entity(type_name, pk), keys.catalog(type_name), keys.articles_of(type_name, pk)}
    if slug is not None:
        found.add(keys.by_slug(type_name, slug))
    return found
