"""After a catalog write commits: purge the cached answers that showed what it changed."""

from typing import Any

from gqlnews.cache import bus, keys
from gqlnews.cache.purge import article_keys, catalog_keys


async def purge_row(type_name: str, row: Any, *, articles: tuple[int, ...] = ()) -> None:
    """Purge the keys of ``row`` (a section, author, tag, image, edition or supplement) and
    of ``articles`` whose placement it changed."""
    found = catalog_keys(type_name, int(row.pk), getattr(row, "slug", None))
    number = getattr(row, "number", None)
    if isinstance(number, int):
        found.add(keys.edition_number(number))
    if articles:
        found |= await article_keys(articles)
    await bus.purge(found)
