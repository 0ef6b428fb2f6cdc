"""Checking an article's fields before anything is written: every rule names its field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.models import Model

from gqlnews.models import (
    Article,
    ArticleStatus,
    Author,
    Edition,
    Image,
    Section,
    Supplement,
)
from gqlnews.models.article_fields import BY_NAME, EDITABLE, EditableField, Kind
from gqlnews.models.article_fields import SECTION_LINKS as SECTIONS
from gqlnews.newsroom.catalog import check_slug, check_text
from gqlnews.newsroom.problems import Code, Problems
from gqlnews.slugs import normalize_slug
from gqlnews.text import is_language_tag
from gqlnews.visibility import Viewer, visible_images

LIMITS = {f.name: f.max_length for f in EDITABLE if f.kind is Kind.TEXT and f.max_length}
"""Longest allowed text, in characters (from :data:`gqlnews.models.article_fields.EDITABLE`)."""
MAX_ITEMS = {f.name: f.max_items for f in EDITABLE if f.max_items is not None}
"""The most slugs each list may hold."""


class ArticleFields:
    """What a create or an update asks for, by the names of
    :data:`gqlnews.models.article_fields.EDITABLE`; a field left out keeps its value."""

    def __init__(self, **asked: Any) -> None:
        unknown = sorted(set(asked) - set(BY_NAME))
        if unknown:
            raise TypeError(f"not an editable article field: {', '.join(unknown)}")
        self._asked = asked

    def given(self) -> dict[str, Any]:
        """The fields asked for, by name."""
        return dict(self._asked)

    def setdefault(self, name: str, value: Any) -> None:
        """Ask for ``value`` in field ``name`` unless it was asked for already."""
        if name not in BY_NAME:
            raise TypeError(f"not an editable article field: {name}")
        self._asked.setdefault(name, value)

    def __repr__(self) -> str:
        return f"ArticleFields({self._asked!r})"


@dataclass
class Resolved:
    """Checked values ready to write: column values and the ordered link ids."""

    columns: dict[str, Any] = field(default_factory=dict)
    links: dict[str, list[int]] = field(default_factory=dict)
    """The ordered ids of each list that changes, by its revision key (``section_ids``…, see
    :class:`~gqlnews.models.article_fields.Links`); a list left out keeps its rows."""
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
        for required in (f for f in EDITABLE if f.required and f.name not in given):
            name = required.camel_name
            problems.add(name, Code.REQUIRED, f"{name} is required")
    for asked_field in (f for f in EDITABLE if f.name in given and f.column is not None):
        _check_value(asked_field, given[asked_field.name], max_body_bytes, problems, resolved)
    await _check_slug(given, current, problems, resolved)
    await _check_links(given, current, problems, resolved, viewer)
    problems.check()
    return resolved


def _check_value(
    asked: EditableField, value: Any, max_body_bytes: int, problems: Problems, resolved: Resolved
) -> None:
    """Check one field stored in a column by its kind (slugs, sections and images are checked
    against the database by :func:`_check_slug` and :func:`_check_links`)."""
    name, column = asked.camel_name, str(asked.column)
    if asked.kind is Kind.TEXT:
        limit = asked.max_length or 0
        resolved.columns[column] = check_text(
            problems, name, str(value), limit, required=asked.required
        )
    elif asked.kind is Kind.HTML and isinstance(value, str):
        size = len(value.encode("utf-8"))
        if size > max_body_bytes:
            problems.add(
                name,
                Code.TOO_LARGE,
                f"{name} is {size} bytes; the limit is {max_body_bytes} (GQLNEWS_MAX_BODY_BYTES)",
            )
        else:
            from gqlnews.sanitize import clean_html

            resolved.columns[column] = clean_html(value)
    elif asked.kind is Kind.LANGUAGE:
        language = str(value)
        if not is_language_tag(language):
            problems.add(name, Code.INVALID, f"{name} must be an ISO 639-1 code, e.g. fr or ar")
        resolved.columns[column] = language
    elif asked.kind is Kind.GENRE:
        resolved.columns[column] = value


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


async def _ids_of(model: type[Model], slugs: list[str], name: str, problems: Problems) -> list[int]:
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
    for name, limit in MAX_ITEMS.items():
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
                resolved.links[SECTIONS.revision_key] = list(dict.fromkeys([*primary, *extra]))
    for listed in EDITABLE:
        if listed.links is None or listed.links is SECTIONS or listed.name not in given:
            continue
        ids = await _ids_of(listed.links.target, given[listed.name], listed.camel_name, problems)
        resolved.links[listed.links.revision_key] = ids
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
