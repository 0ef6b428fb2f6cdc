"""Checking an article's fields before anything is written: every rule names its field."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Final

from gqlnews.models import (
    Article,
    ArticleStatus,
    Author,
    Edition,
    Genre,
    Image,
    Section,
    Supplement,
    Tag,
)
from gqlnews.newsroom.catalog import check_slug, check_text
from gqlnews.newsroom.problems import Code, Problems
from gqlnews.slugs import normalize_slug
from gqlnews.text import is_language_tag
from gqlnews.visibility import Viewer, visible_images


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()
"""A field left out of an update: the article keeps its value."""

LIMITS = {"title": 300, "subtitle": 1000, "excerpt": 2000, "dateline": 200}
"""Longest allowed text, in characters."""
MAX_SECTIONS, MAX_AUTHORS, MAX_TAGS = 5, 10, 30


@dataclass
class ArticleFields:
    """What a create or an update asks for; ``KEEP`` leaves a field as it is."""

    title: str | _Keep = KEEP
    subtitle: str | _Keep = KEEP
    excerpt: str | _Keep = KEEP
    body_html: str | _Keep = KEEP
    dateline: str | _Keep = KEEP
    language: str | _Keep = KEEP
    slug: str | _Keep = KEEP
    genre: Genre | _Keep = KEEP
    primary_section: str | _Keep = KEEP
    """A section slug."""
    sections: list[str] | _Keep = KEEP
    """More section slugs (the front page "une", say), in order, after the primary one."""
    authors: list[str] | _Keep = KEEP
    tags: list[str] | _Keep = KEEP
    image_id: int | _Keep | None = KEEP

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not KEEP
        }


@dataclass
class Resolved:
    """Checked values ready to write: column values and the ordered link ids."""

    columns: dict[str, Any] = field(default_factory=dict)
    section_ids: list[int] | None = None
    author_ids: list[int] | None = None
    tag_ids: list[int] | None = None
    slug_from: str | None = None
    """For a new article asked for no slug: the title its slug is made from when it is
    inserted (:func:`gqlnews.newsroom.unique.create_unique`)."""


async def check(
    asked: ArticleFields,
    max_body_bytes: int,
    current: Article | None = None,
    viewer: Viewer | None = None,
) -> Resolved:
    """Check ``asked`` (a new article when ``current`` is None); refuse with every problem.

    ``viewer`` is who asks (None: a command, which may use any image): a picture is refused as
    NOT_FOUND, like an unknown id, unless the viewer may see it or nothing uses it yet."""
    problems = Problems()
    given = asked.given()
    resolved = Resolved()
    if current is None:
        for required in ("title", "primary_section"):
            if required not in given:
                problems.add(_camel(required), Code.REQUIRED, f"{_camel(required)} is required")
    _check_texts(given, problems, resolved)
    body = given.get("body_html")
    if isinstance(body, str):
        size = len(body.encode("utf-8"))
        if size > max_body_bytes:
            problems.add(
                "body",
                Code.TOO_LARGE,
                f"body is {size} bytes; the limit is {max_body_bytes} (GQLNEWS_MAX_BODY_BYTES)",
            )
        else:
            from gqlnews.sanitize import clean_html

            resolved.columns["body_html"] = clean_html(body)
    if "genre" in given:
        resolved.columns["genre"] = given["genre"]
    await _check_slug(given, current, problems, resolved)
    await _check_links(given, current, problems, resolved, viewer)
    problems.check()
    return resolved


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _check_texts(given: dict[str, Any], problems: Problems, resolved: Resolved) -> None:
    for name, limit in LIMITS.items():
        if name not in given:
            continue
        value = str(given[name])
        resolved.columns[name] = check_text(problems, name, value, limit, required=name == "title")
    if "language" in given:
        language = str(given["language"])
        if not is_language_tag(language):
            problems.add(
                "language", Code.INVALID, "language must be an ISO 639-1 code, e.g. fr or ar"
            )
        resolved.columns["language"] = language


async def _check_slug(
    given: dict[str, Any], current: Article | None, problems: Problems, resolved: Resolved
) -> None:
    if "slug" in given:
        slug = normalize_slug(str(given["slug"]))
        if current is not None and slug == current.slug:
            return
        if current is not None and (
            current.status in (ArticleStatus.PUBLISHED, ArticleStatus.UNPUBLISHED)
            or current.released_at is not None
        ):
            problems.add("slug", Code.SLUG_LOCKED, "the slug of a published article cannot change")
        else:
            exclude = current.pk if current else None
            resolved.columns["slug"] = await check_slug(problems, Article, slug, exclude)
    elif current is None and isinstance(given.get("title"), str):
        resolved.slug_from = given["title"]


async def _ids_of(
    model: type[Section] | type[Author] | type[Tag], slugs: list[str], name: str, problems: Problems
) -> list[int]:
    unique = list(dict.fromkeys(slugs))
    rows = await model.filter(slug__in=unique).values_list("slug", "id")
    found = {str(slug): int(pk) for slug, pk in rows}
    missing = [s for s in unique if s not in found]
    if missing:
        problems.add(name, Code.NOT_FOUND, f"unknown {name}: {', '.join(missing)}")
    return [found[s] for s in unique if s in found]


async def _check_links(
    given: dict[str, Any],
    current: Article | None,
    problems: Problems,
    resolved: Resolved,
    viewer: Viewer | None,
) -> None:
    limits = {"sections": MAX_SECTIONS, "authors": MAX_AUTHORS, "tags": MAX_TAGS}
    for name, limit in limits.items():
        if name in given and len(given[name]) > limit:
            problems.add(name, Code.TOO_LONG, f"at most {limit} {name}")
    if "primary_section" in given or "sections" in given:
        primary: list[int] = []
        if "primary_section" in given:
            primary = await _ids_of(Section, [given["primary_section"]], "primarySection", problems)
        elif current is not None:
            primary = [current.primary_section_id]
        extra = await _ids_of(Section, given.get("sections") or [], "sections", problems)
        if primary:
            resolved.columns["primary_section_id"] = primary[0]
            if "sections" in given or current is None:
                resolved.section_ids = list(dict.fromkeys([*primary, *extra]))
    if "authors" in given:
        resolved.author_ids = await _ids_of(Author, given["authors"], "authors", problems)
    if "tags" in given:
        resolved.tag_ids = await _ids_of(Tag, given["tags"], "tags", problems)
    if "image_id" in given:
        image_id = given["image_id"]
        if image_id is not None and not await _may_use_image(image_id, viewer):
            problems.add("imageId", Code.NOT_FOUND, "no such image")
        resolved.columns["image_id"] = image_id


async def _may_use_image(image_id: int, viewer: Viewer | None) -> bool:
    """Whether ``viewer`` may put picture ``image_id`` on an article: one it may see, or one
    nothing uses yet (just registered with ``imageCreate``). A picture only hidden things use
    (another author's draft) is answered like a missing one, so that attaching it can neither
    reveal it nor tell that it exists."""
    if viewer is None:
        return bool(await Image.filter(id=image_id).exists())
    if await visible_images(viewer, among=[image_id]).exists():
        return True
    if not await Image.filter(id=image_id).exists():
        return False
    for model, column in (
        (Article, "image_id"),
        (Edition, "cover_id"),
        (Supplement, "cover_id"),
        (Author, "avatar_id"),
    ):
        if await model.filter(**{column: image_id}).exists():
            return False
    return True
