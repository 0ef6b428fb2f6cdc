"""The newsroom's catalogue: authors (bylines), tags and images; and the checks every write
service of sections, print and catalogue shares (texts, slugs, URLs, numbers, references).

Each write is one transaction that checks everything first: a refusal (:class:`Refused`, every
problem naming its input field) writes nothing. Fields left out of a ``…Fields`` mapping keep
their value.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Protocol, TypedDict, TypeVar
from urllib.parse import urlsplit

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from gqlnews.accounts.users import AccountError, checked_email
from gqlnews.models import Author, Image, Tag, TagKind
from gqlnews.newsroom.problems import Code, Problems, refuse
from gqlnews.slugs import MAX_LENGTH as MAX_SLUG_LENGTH
from gqlnews.slugs import is_slug, slugify, with_suffix

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


class TagFields(TypedDict, total=False):
    name: str
    slug: str
    kind: TagKind


class ImageFields(TypedDict, total=False):
    url: str
    credit: str
    byline: str
    caption: str
    alt: str
    width: int | None
    height: int | None


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


def check_range(problems: Problems, field: str, value: int, low: int, high: int) -> int:
    """OUT_OF_RANGE unless ``low <= value <= high``."""
    if not low <= value <= high:
        problems.add(field, Code.OUT_OF_RANGE, f"{field} must be between {low} and {high}")
    return value


def check_url(problems: Problems, field: str, value: str, limit: int = URL) -> str:
    """An absolute http(s) URL of at most ``limit`` characters (INVALID, TOO_LONG)."""
    value = value.strip()
    if len(value) > limit:
        problems.add(field, Code.TOO_LONG, f"{field} is {len(value)} characters; at most {limit}")
        return value
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    blank = any(char.isspace() for char in value)
    if parts is None or parts.scheme not in ("http", "https") or not host or blank:
        problems.add(field, Code.INVALID, f"{field} must be an http:// or https:// URL")
    return value


async def check_slug(
    problems: Problems, model: type[Model], slug: str, current_pk: int | None = None
) -> str:
    """A well-formed slug (INVALID) that no other row of ``model`` has (DUPLICATE)."""
    if not is_slug(slug) or len(slug) > MAX_SLUG_LENGTH:
        problems.add(
            "slug",
            Code.INVALID,
            "slug must be lower-case letters and digits joined by hyphens, at most "
            f"{MAX_SLUG_LENGTH} characters",
        )
    elif await model.filter(slug=slug).exclude(id=current_pk or 0).exists():
        problems.add("slug", Code.DUPLICATE, f"the slug {slug!r} is taken")
    return slug


async def free_slug(model: type[Model], text: str, fallback: str) -> str:
    """A slug made from ``text`` (``fallback`` when it has no letter), made unique with a
    ``-2``, ``-3``… suffix."""
    base = slugify(text) or fallback
    rows = await model.filter(slug__startswith=base[:60]).values_list("slug", flat=True)
    taken = {str(slug) for slug in rows}
    number = 2
    slug = base
    while slug in taken:
        slug = with_suffix(base, number)
        number += 1
    return slug


async def check_image(problems: Problems, field: str, image_id: int | None) -> int | None:
    """NOT_FOUND unless the image exists (None, no image, is fine)."""
    if image_id is not None and not await Image.filter(id=image_id).exists():
        problems.add(field, Code.NOT_FOUND, f"{field}: no such image")
    return image_id


@asynccontextmanager
async def writing() -> AsyncIterator[None]:
    """One transaction. A unique or foreign key constraint broken because another request
    wrote at the same moment (between our checks and our write) is refused as CONFLICT."""
    try:
        async with in_transaction():
            yield
    except IntegrityError as error:
        raise refuse(
            None,
            Code.CONFLICT,
            "another change was written at the same moment (a slug, number or reference it "
            "relies on changed): read again and retry",
        ) from error


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
    """The ``slug`` column: the one asked for (well-formed, unique), or, for a new row, one
    made from ``columns[source]`` (the name or title), unique."""
    slug = given.get("slug")
    if slug is not None and (current is None or slug != current.slug):
        columns["slug"] = await check_slug(problems, model, slug, current.pk if current else None)
    elif current is None:
        fallback = model.__name__.lower()
        columns["slug"] = await free_slug(model, str(columns.get(source, "")), fallback)


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
        return await Author.create(**columns)


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
    await slug_column(problems, Tag, given, columns, current, "name")
    return columns


async def create_tag(given: TagFields) -> Tag:
    """A new tag (a theme unless ``kind`` says otherwise)."""
    problems = Problems()
    async with writing():
        columns = await _tag_columns(given, problems, None)
        problems.check()
        return await Tag.create(**columns)


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
