"""Archive lines: decode one JSON line into a record, and encode reference rows as lines.

Article lines are ``{"type": "article", "ninjs": {…}}`` (see :mod:`gqlnews.archive.ninjs`);
reference lines (section, author, tag, edition, supplement) are flat objects described in
``../shared/datasets/FORMAT.md`` and ``docs/archive.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import orjson

from gqlnews.archive import values as v
from gqlnews.archive.ninjs import parse_article
from gqlnews.archive.records import KINDS, ImageData, LineError, Record, Ref, ReferenceRecord
from gqlnews.models import TagKind


def parse_line(number: int, raw: bytes, default_language: str = "fr") -> Record:
    """Decode line ``number``; raise :class:`LineError` saying what is wrong with it. An
    article that does not say its language is in ``default_language``."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise LineError(f"invalid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise LineError("a line must be a JSON object")
    kind = data.get("type")
    if kind is None:
        raise LineError("missing required field 'type'")
    if kind == "article":
        ninjs = v.obj(data, "ninjs")
        if ninjs is None:
            raise LineError("missing required field 'ninjs' (the article)")
        return parse_article(ninjs, number, default_language)
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        raise LineError(f"unknown type {kind!r} (expected one of {', '.join(KINDS)})")
    return parser(data, number)


def _image(data: v.JsonObject, key: str) -> tuple[ImageData | None, bool]:
    """The image under ``key`` and whether the line mentions it at all."""
    if key not in data:
        return None, False
    image = v.obj(data, key)
    if image is None:
        return None, True
    where = f"{key}."
    return (
        ImageData(
            url=v.required_str(image, "url", where),
            credit=v.optional_str(image, "credit", where) or "",
            byline=v.optional_str(image, "byline", where) or "",
            caption=v.optional_str(image, "caption", where) or "",
            alt=v.optional_str(image, "alt", where) or "",
            width=v.optional_int(image, "width", where, minimum=0),
            height=v.optional_int(image, "height", where, minimum=0),
            language=v.optional_language(image, where=where),
        ),
        True,
    )


def _given(data: v.JsonObject, values: dict[str, Any], **parsed: Any) -> dict[str, Any]:
    """Add the ``parsed`` values whose keys the line has (absent keys leave columns alone)."""
    values.update({key: value for key, value in parsed.items() if key in data})
    if "language" in data:  # null or absent: the site's language
        values["language"] = v.optional_language(data)
    return values


def _section(data: v.JsonObject, line: int) -> ReferenceRecord:
    slug = v.required_str(data, "slug")
    values = {"name": v.required_str(data, "name")}
    _given(
        data,
        values,
        description=v.optional_str(data, "description") or "",
        position=v.optional_int(data, "position") or 0,
    )
    refs: dict[str, Ref] = {}
    if "parent" in data:
        parent = v.optional_str(data, "parent")
        if parent == slug:
            raise LineError(f"section {slug!r} cannot be its own parent")
        refs["parent_id"] = ("section", parent)
    return ReferenceRecord("section", line, slug, values, refs)


def _author(data: v.JsonObject, line: int) -> ReferenceRecord:
    values = {"name": v.required_str(data, "name")}
    _given(
        data,
        values,
        role=v.optional_str(data, "role") or "",
        bio=v.optional_str(data, "bio") or "",
        email=v.optional_str(data, "email"),
    )
    image, given = _image(data, "avatar")
    return ReferenceRecord(
        "author", line, v.required_str(data, "slug"), values, image=image, image_given=given
    )


def _tag(data: v.JsonObject, line: int) -> ReferenceRecord:
    values: dict[str, Any] = {"name": v.required_str(data, "name")}
    kind = v.optional_str(data, "kind")
    if kind is not None:
        try:
            values["kind"] = TagKind(kind)
        except ValueError:
            known = ", ".join(k.value for k in TagKind)
            raise LineError(f"unknown tag kind {kind!r} (known: {known})") from None
    _given(data, values)
    return ReferenceRecord("tag", line, v.required_str(data, "slug"), values)


def _edition(data: v.JsonObject, line: int) -> ReferenceRecord:
    values: dict[str, Any] = {
        "date": v.required_date(data, "date"),
        "title": v.required_str(data, "title"),
    }
    _given(
        data,
        values,
        page_count=v.optional_int(data, "page_count", minimum=0) or 0,
        pdf_url=v.optional_str(data, "pdf_url"),
    )
    image, given = _image(data, "cover")
    number = v.required_int(data, "number")
    return ReferenceRecord("edition", line, number, values, image=image, image_given=given)


def _supplement(data: v.JsonObject, line: int) -> ReferenceRecord:
    values: dict[str, Any] = {
        "title": v.required_str(data, "title"),
        "date": v.required_date(data, "date"),
    }
    _given(
        data,
        values,
        description=v.optional_str(data, "description") or "",
        page_count=v.optional_int(data, "page_count", minimum=0) or 0,
    )
    refs: dict[str, Ref] = {}
    if "edition_number" in data:
        refs["edition_id"] = ("edition", v.optional_int(data, "edition_number"))
    if "section" in data:
        refs["section_id"] = ("section", v.optional_str(data, "section"))
    image, given = _image(data, "cover")
    return ReferenceRecord(
        "supplement",
        line,
        v.required_str(data, "slug"),
        values,
        refs,
        image=image,
        image_given=given,
    )


_PARSERS = {
    "section": _section,
    "author": _author,
    "tag": _tag,
    "edition": _edition,
    "supplement": _supplement,
}


# --- rows -> lines -----------------------------------------------------------------------------


def image_object(image: ImageData) -> dict[str, Any]:
    """A cover or avatar as a line carries it (empty optional fields left out)."""
    data: dict[str, Any] = {"url": image.url}
    for key in ("credit", "byline", "caption", "alt"):
        if getattr(image, key):
            data[key] = getattr(image, key)
    if image.width is not None:
        data["width"] = image.width
    if image.height is not None:
        data["height"] = image.height
    if image.language is not None:
        data["language"] = image.language
    return data


def _with_language(line: dict[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """``line`` with the row's ``language`` when the newsroom set one (left out: the site's)."""
    if row["language"] is not None:
        line["language"] = row["language"]
    return line


def section_line(row: Mapping[str, Any], parent: str | None) -> dict[str, Any]:
    line = {
        "type": "section",
        "id": row["id"],
        "uri": f"urn:gqlnews:section:{row['slug']}",
        "slug": row["slug"],
        "name": row["name"],
        "position": row["position"],
        "description": row["description"],
    }
    if parent is not None:
        line["parent"] = parent
    return _with_language(line, row)


def author_line(row: Mapping[str, Any], avatar: ImageData | None) -> dict[str, Any]:
    line = {
        "type": "author",
        "id": row["id"],
        "uri": f"urn:gqlnews:author:{row['slug']}",
        "slug": row["slug"],
        "name": row["name"],
        "role": row["role"],
        "bio": row["bio"],
    }
    if row["email"] is not None:
        line["email"] = row["email"]
    if avatar is not None:
        line["avatar"] = image_object(avatar)
    return _with_language(line, row)


def tag_line(row: Mapping[str, Any]) -> dict[str, Any]:
    line = {
        "type": "tag",
        "id": row["id"],
        "uri": f"urn:gqlnews:tag:{row['slug']}",
        "slug": row["slug"],
        "name": row["name"],
        "kind": TagKind(row["kind"]).value,
    }
    return _with_language(line, row)


def edition_line(row: Mapping[str, Any], cover: ImageData | None) -> dict[str, Any]:
    day: date = row["date"]
    line: dict[str, Any] = {
        "type": "edition",
        "id": row["id"],
        "uri": f"urn:gqlnews:edition:{row['number']}",
        "number": row["number"],
        "date": day.isoformat(),
        "title": row["title"],
        "page_count": row["page_count"],
    }
    if cover is not None:
        line["cover"] = image_object(cover)
    if row["pdf_url"] is not None:
        line["pdf_url"] = row["pdf_url"]
    return _with_language(line, row)


def supplement_line(
    row: Mapping[str, Any],
    edition_number: int | None,
    section: str | None,
    cover: ImageData | None,
) -> dict[str, Any]:
    day: date = row["date"]
    line: dict[str, Any] = {
        "type": "supplement",
        "id": row["id"],
        "uri": f"urn:gqlnews:supplement:{row['slug']}",
        "slug": row["slug"],
        "title": row["title"],
    }
    if row["description"]:
        line["description"] = row["description"]
    line.update(
        {
            "date": day.isoformat(),
            "edition_number": edition_number,
            "section": section,
            "page_count": row["page_count"],
        }
    )
    if cover is not None:
        line["cover"] = image_object(cover)
    return _with_language(line, row)
