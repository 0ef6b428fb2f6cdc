"""The newsroom's catalogue: authors (bylines), tags and images; and the checks every write
service of sections, print and catalogue shares (texts, slugs, URLs, numbers, references).

Each write is one transaction that checks everything first: a refusal (:class:`Refused`, every
problem naming its input field) writes nothing. Fields left out of a ``…Fields`` mapping keep
their value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any, Protocol, TypedDict, TypeVar
from urllib.parse import urlsplit

from tortoise.models import Model

from gqlnews.accounts.users import AccountError, checked_email
from gqlnews.models import Author, Image, Tag, TagKind
from gqlnews.newsroom.problems import Code, Problems, refuse
from gqlnews.newsroom.unique import create_unique, writing
from gqlnews.slugs import MAX_LENGTH as MAX_SLUG_LENGTH
from gqlnews.slugs import is_slug, normalize_slug
from gqlnews.text import is_language_tag

NAME, BIO, ROLE = 200, 5000, 100
URL, CREDIT, CAPTION, ALT = 1000, 255, 2000, 500
MAX_PIXELS = 20_000
"""Longest texts, in characters, and the largest image side, in pixels."""

M = TypeVar("M", bound=Model)


class AuthorFields(TypedDict, total=False):
    name: str
    slug: str
    bio: str
    role: str
    email: str | None
    avatar_id: int | None
    language: str | None


class TagFields(TypedDict, total=False):
    name: str
    slug: str
    kind: TagKind
    language: str | None


class ImageFields(TypedDict, total=False):
    url: str
    credit: str
    byline: str
    caption: str
    alt: str
    width: int | None
    height: int | None
    language: str | None


# --- checks shared by the write services -------------------------------------------------


def check_text(
    problems: Problems, field: str, value: str, limit: int, *, required: bool = False
) -> str:
    """``value`` without surrounding blanks; REQUIRED when blank (if ``required``), TOO_LONG
    beyond ``limit`` characters."""
    value = value.strip()
    if required and not value:
        problems.add(field, Code.REQUIRED, f"{field} must not be blank")
    elif len(value) > limit:
        problems.add(field, Code.TOO_LONG, f"{field} is {len(value)} characters; at most {limit}")
    return value


def language_column(problems: Problems, given: Mapping[str, Any], columns: dict[str, Any]) -> None:
    """The ``language`` column, when one is asked for: a language tag such as ``fr``, ``ar``
    or ``ar-MA`` (INVALID otherwise), or None for the site's language (GQLNEWS_SITE_LANGUAGE,
    followed when the setting changes)."""
    if "language" not in given:
        return
    value = given["language"]
    if value is not None:
        value = str(value).strip()
        if not is_language_tag(value):
            problems.add(
                "language",
                Code.INVALID,
                "language must be a language tag such as fr, ar or ar-MA (null: the site's)",
            )
    columns["language"] = value


def check_range(problems: Problems, field: str, value: int, low: int, high: int) -> int:
    """OUT_OF_RANGE unless ``low <= value <= high``."""
    if not low <= value <= high:
        problems.add(field, Code.OUT_OF_RANGE, f"{field} must be between {low} and {high}")
    return value


def check_url(problems: Problems, field: str, value: str, limit: int = URL) -> str:
    """An absolute http(s) URL of at most ``limit`` characters (INVALID, TOO_LONG).

    The URL is printed into pages (``<img src>``, links), so it must be one a page can carry
    as it is: a host, no user name or password, a valid port, and none of the characters that
    would end an HTML attribute or hide something (blanks, quotes, ``<``, ``>``, backslashes,
    backticks, braces, control and invisible format characters). Letters of any script are
    fine (Arabic paths are); percent-encode anything else.
    """
    value = value.strip()
    if len(value) > limit:
        problems.add(field, Code.TOO_LONG, f"{field} is {len(value)} characters; at most {limit}")
        return value
    wrong = _url_problem(value)
    if wrong is not None:
        problems.add(
            field,
            Code.INVALID,
            f"{field} must be an http:// or https:// URL with a host, without blanks, quotes, "
            f"<, >, \\, `, ^, {{, }}, | or control characters (percent-encode them); found {wrong}",
        )
    return value


_URL_FORBIDDEN = frozenset("\"<>\\`{}|^'")


def _url_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable absolute http(s) URL (None: it is)."""
    for char in value:
        if char in _URL_FORBIDDEN or char.isspace() or unicodedata.category(char)[0] in "CZ":
            return f"the character {char!r}"
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port
    except ValueError:
        return "its host or port"
    if parts.scheme not in ("http", "https") or not host:
        return "not an http(s) URL with a host"
    if parts.username is not None or parts.password is not None:
        return "a user name or password"
    return None


async def check_slug(
    problems: Problems, model: type[Model], slug: str, current_pk: int | None = None
) -> str:
    """``slug`` in its canonical form (:func:`gqlnews.slugs.normalize_slug`: ``ｍonde`` is
    ``monde``), well-formed (INVALID) and that no other row of ``model`` has (DUPLICATE)."""
    slug = normalize_slug(slug)
    if not is_slug(slug):
        problems.add(
            "slug",
            Code.INVALID,
            "slug must be lower-case letters and digits joined by hyphens, at most "
            f"{MAX_SLUG_LENGTH} characters, no word mixing Latin, Greek and Cyrillic letters",
        )
    elif await model.filter(slug=slug).exclude(id=current_pk or 0).exists():
        problems.add("slug", Code.DUPLICATE, f"the slug {slug!r} is taken")
    return slug


async def check_image(problems: Problems, field: str, image_id: int | None) -> int | None:
    """NOT_FOUND unless the image exists (None, no image, is fine)."""
    if image_id is not None and not await Image.filter(id=image_id).exists():
        problems.add(field, Code.NOT_FOUND, f"{field}: no such image")
    return image_id


async def get_or_refuse(model: type[M], pk: int, what: str) -> M:
    """The row ``pk`` of ``model``, or a NOT_FOUND refusal naming ``id``."""
    row = await model.filter(id=pk).first()
    if row is None:
        raise refuse("id", Code.NOT_FOUND, f"no such {what}")
    return row


# --- authors ---------------------------------------------------------------------------


async def _author_columns(
    given: AuthorFields, problems: Problems, current: Author | None
) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    required_text(problems, given, columns, "name", NAME, current is None)
    if "bio" in given:
        columns["bio"] = check_text(problems, "bio", given["bio"], BIO)
    if "role" in given:
        columns["role"] = check_text(problems, "role", given["role"], ROLE)
    if "email" in given:
        email = (given["email"] or "").strip()
        if email:
            try:
                email = checked_email(email)
            except AccountError as error:
                problems.add("email", Code.INVALID, str(error))
        columns["email"] = email or None
    if "avatar_id" in given:
        columns["avatar_id"] = await check_image(problems, "avatarImageId", given["avatar_id"])
    language_column(problems, given, columns)
    await slug_column(problems, Author, given, columns, current, "name")
    return columns


class SluggedRow(Protocol):
    """A row with a slug (an author, tag, section, supplement…)."""

    @property
    def pk(self) -> Any: ...
    @property
    def slug(self) -> str: ...


async def slug_column(
    problems: Problems,
    model: type[Model],
    given: Mapping[str, Any],
    columns: dict[str, Any],
    current: SluggedRow | None,
    source: str,
) -> None:
    """The ``slug`` column, when one is asked for (canonical, well-formed, unique); a new row
    asked for none gets one made from its name or title when it is inserted
    (:func:`create_slugged`)."""
    slug = given.get("slug")
    if slug is not None and (current is None or normalize_slug(slug) != current.slug):
        columns["slug"] = await check_slug(problems, model, slug, current.pk if current else None)


async def create_slugged(model: type[M], columns: dict[str, Any], source: str) -> M:
    """Insert a row of ``model``: with the slug of ``columns`` if one was asked for, else with
    a free one made from ``columns[source]`` (the name or title) even when requests race."""
    if "slug" in columns:
        return await create_unique(model, columns)
    text = str(columns.get(source, ""))
    return await create_unique(model, columns, slug_from=text, fallback=model.__name__.lower())


def required_text(
    problems: Problems,
    given: Mapping[str, Any],
    columns: dict[str, Any],
    field: str,
    limit: int,
    creating: bool,
) -> None:
    """A text column that must not be blank and must be given when the row is created."""
    if field in given:
        columns[field] = check_text(problems, field, given[field], limit, required=True)
    elif creating:
        problems.add(field, Code.REQUIRED, f"{field} is required")


async def create_author(given: AuthorFields) -> Author:
    """A new byline; its slug is made from the name when not given."""
    problems = Problems()
    async with writing():
        columns = await _author_columns(given, problems, None)
        problems.check()
        return await create_slugged(Author, columns, "name")


async def update_author(author_id: int, given: AuthorFields) -> Author:
    """Change a byline (its slug too: links to the old one stop working)."""
    problems = Problems()
    async with writing():
        author = await get_or_refuse(Author, author_id, "author")
        columns = await _author_columns(given, problems, author)
        problems.check()
        return await save_columns(author, columns)


# --- tags ------------------------------------------------------------------------------


async def _tag_columns(given: TagFields, problems: Problems, current: Tag | None) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    required_text(problems, given, columns, "name", NAME, current is None)
    if "kind" in given:
        columns["kind"] = given["kind"]
    language_column(problems, given, columns)
    await slug_column(problems, Tag, given, columns, current, "name")
    return columns


async def create_tag(given: TagFields) -> Tag:
    """A new tag (a theme unless ``kind`` says otherwise)."""
    problems = Problems()
    async with writing():
        columns = await _tag_columns(given, problems, None)
        problems.check()
        return await create_slugged(Tag, columns, "name")


async def update_tag(tag_id: int, given: TagFields) -> Tag:
    """Rename a tag, change its slug or its kind."""
    problems = Problems()
    async with writing():
        tag = await get_or_refuse(Tag, tag_id, "tag")
        columns = await _tag_columns(given, problems, tag)
        problems.check()
        return await save_columns(tag, columns)


# --- images ----------------------------------------------------------------------------


def _image_columns(given: ImageFields, problems: Problems, creating: bool) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    if "url" in given:
        columns["url"] = check_url(problems, "url", given["url"])
    elif creating:
        problems.add("url", Code.REQUIRED, "url is required")
    texts = {
        "credit": (given.get("credit"), CREDIT),
        "byline": (given.get("byline"), CREDIT),
        "caption": (given.get("caption"), CAPTION),
        "alt": (given.get("alt"), ALT),
    }
    for name, (text, limit) in texts.items():
        if text is not None:
            columns[name] = check_text(problems, name, text, limit)
    for side, pixels in (("width", given.get("width")), ("height", given.get("height"))):
        if side in given:
            if pixels is not None:
                check_range(problems, side, pixels, 1, MAX_PIXELS)
            columns[side] = pixels
    language_column(problems, given, columns)
    return columns


async def create_image(given: ImageFields) -> Image:
    """Register an image by its URL, with the credit and caption a page prints."""
    problems = Problems()
    columns = _image_columns(given, problems, creating=True)
    problems.check()
    async with writing():
        return await Image.create(**columns)


async def update_image(image_id: int, given: ImageFields) -> Image:
    """Change an image's URL or metadata (every article showing it shows the change)."""
    problems = Problems()
    async with writing():
        image = await get_or_refuse(Image, image_id, "image")
        columns = _image_columns(given, problems, creating=False)
        problems.check()
        return await save_columns(image, columns)


async def save_columns(row: M, columns: dict[str, Any]) -> M:
    """Write the changed ``columns`` of ``row`` (nothing when there are none)."""
    if columns:
        row.update_from_dict(columns)
        await row.save(update_fields=list(columns))
    return row
