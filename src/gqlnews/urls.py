"""Where things live on the public site: the ONE function family that builds every public URL.

A headless backend does not render pages, but it is the one that knows an article's slug and
primary section, so it says where the article is: ``Article.url`` in the schema, the links of
every feed and every sitemap all come from :class:`SiteUrls`.

Each kind of page has a template (a setting) with placeholders in braces:

- article: ``{site}``, ``{section}`` (the primary section's path), ``{slug}``, ``{id}``,
  ``{year}``, ``{month}``, ``{day}`` (of the publication date);
- section: ``{site}``, ``{section}`` (its path), ``{slug}``, ``{id}``;
- author and tag: ``{site}``, ``{slug}``, ``{id}``.

A section's *path* is the slugs from the top of the tree down to it, joined by ``/``
(``monde/afrique``). ``{site}`` is the public site's base URL without its trailing slash; with
no site URL configured it is empty, so URLs are paths from the site's root
(``/monde/afrique/un-article``): what a frontend routes on. Feeds and sitemaps need absolute
URLs: they fall back to the origin the request came to (see docs/feeds.md).

Nothing here does I/O: :func:`section_paths` takes the section rows a caller loaded (one
statement for the whole tree).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from gqlnews.settings import Settings

PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "article": frozenset({"site", "section", "slug", "id", "year", "month", "day"}),
    "section": frozenset({"site", "section", "slug", "id"}),
    "author": frozenset({"site", "slug", "id"}),
    "tag": frozenset({"site", "slug", "id"}),
}
"""The placeholders each template may use."""

MAX_SECTION_DEPTH = 20
"""Deepest section path built; a longer parent chain (a loop in the data) is cut there."""


class TemplateError(ValueError):
    """A URL template cannot be used; the message says why (the caller names the setting)."""


def check_site_url(site_url: str) -> str:
    """``site_url`` without its trailing slash; :class:`TemplateError` unless it is empty or an
    absolute ``http(s)://`` URL without query or fragment."""
    if not site_url:
        return ""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TemplateError(f"must be an absolute http:// or https:// URL, got {site_url!r}")
    if parts.query or parts.fragment or any(c in site_url for c in "?#{} \t\n"):
        raise TemplateError(
            f"must be a base URL without query, fragment, braces or spaces, got {site_url!r}"
        )
    return site_url.rstrip("/")


def check_template(kind: str, template: str) -> None:
    """:class:`TemplateError` unless ``template`` is a usable ``kind`` template: braces
    balanced, known placeholders only (no format specs or conversions), starting with
    ``{site}`` or an absolute ``http(s)://`` URL."""
    allowed = PLACEHOLDERS[kind]
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"is not a valid template ({exc}): {template!r}") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed:
            known = ", ".join("{" + p + "}" for p in sorted(allowed))
            raise TemplateError(
                f"uses the unknown placeholder {{{name}}} (allowed in the {kind} URL: {known}): "
                f"{template!r}"
            )
        if spec or conversion:
            raise TemplateError(f"placeholders take no format or conversion: {template!r}")
    if not template.startswith(("{site}", "http://", "https://")):
        raise TemplateError(f"must start with {{site}} or http(s)://, got {template!r}")


def section_paths(rows: Iterable[tuple[int, int | None, str]]) -> dict[int, str]:
    """Each section's path (``monde/afrique``) from ``(id, parent_id, slug)`` rows of the whole
    tree."""
    by_id = {pk: (parent, slug) for pk, parent, slug in rows}
    paths: dict[int, str] = {}
    for pk in by_id:
        slugs: list[str] = []
        current: int | None = pk
        while current is not None and current in by_id and len(slugs) < MAX_SECTION_DEPTH:
            parent, slug = by_id[current]
            slugs.append(slug)
            current = parent
        paths[pk] = "/".join(reversed(slugs))
    return paths


@dataclass(frozen=True, slots=True)
class SiteUrls:
    """The public site's base URL and its four templates; builds every public URL."""

    site: str
    article_template: str
    section_template: str
    author_template: str
    tag_template: str

    def with_site(self, site: str) -> SiteUrls:
        """The same templates on another base URL (feeds: the request's origin when no site
        URL is configured)."""
        return SiteUrls(
            site.rstrip("/"),
            self.article_template,
            self.section_template,
            self.author_template,
            self.tag_template,
        )

    def article(
        self, *, pk: int, slug: str, section_path: str, published_at: datetime | None
    ) -> str:
        """An article's URL; ``{year}``/``{month}``/``{day}`` are empty for an undated one (a
        draft seen by staff)."""
        day = published_at
        return self.article_template.format(
            site=self.site,
            section=section_path,
            slug=slug,
            id=pk,
            year=f"{day.year:04d}" if day else "",
            month=f"{day.month:02d}" if day else "",
            day=f"{day.day:02d}" if day else "",
        )

    def section(self, *, pk: int, slug: str, path: str) -> str:
        """A section front's URL."""
        return self.section_template.format(site=self.site, section=path, slug=slug, id=pk)

    def author(self, *, pk: int, slug: str) -> str:
        """An author page's URL."""
        return self.author_template.format(site=self.site, slug=slug, id=pk)

    def tag(self, *, pk: int, slug: str) -> str:
        """A tag page's URL."""
        return self.tag_template.format(site=self.site, slug=slug, id=pk)


@lru_cache(maxsize=8)
def site_urls(settings: Settings) -> SiteUrls:
    """The URL builder of ``settings`` (made once per settings object)."""
    return SiteUrls(
        site=check_site_url(settings.site_url),
        article_template=settings.article_url_template,
        section_template=settings.section_url_template,
        author_template=settings.author_url_template,
        tag_template=settings.tag_url_template,
    )
