"""The article mapping: an IPTC ninjs 2.1 object (plus our ``gqlnews`` extension) ↔ an
:class:`~gqlnews.archive.records.ArticleRecord`. Both directions live here so they stay inverse.

The full table is in ``docs/archive.md``.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from gqlnews.archive import values as v
from gqlnews.archive.records import ArticleRecord, ImageData, LineError
from gqlnews.models import ArticleStatus, Genre
from gqlnews.models.article_fields import EDITABLE, Kind, NinjsPlace
from gqlnews.text import count_words

NINJS_VERSION = "2.1"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
EXTENSION = "gqlnews"
"""The key of our extension object inside a ninjs article."""
FEATURE_IMAGE = "featureimage"
FRONT_PAGE_SECTION = "une"
"""A front-page flag section: an article may carry it, never as its primary section."""

GENRE_LABELS: dict[Genre, tuple[str, str]] = {
    Genre.NEWS: ("Actualité", "actualite"),
    Genre.REPORT: ("Reportage", "reportage"),
    Genre.ANALYSIS: ("Analyse", "analyse"),
    Genre.INTERVIEW: ("Entretien", "entretien"),
    Genre.INVESTIGATION: ("Enquête", "enquete"),
    Genre.PORTRAIT: ("Portrait", "portrait"),
    Genre.OPINION: ("Tribune", "tribune"),
    Genre.CHRONICLE: ("Chronique", "chronique"),
    Genre.EDITORIAL: ("Éditorial", "editorial"),
    Genre.BRIEF: ("Brève", "breve"),
}
"""ninjs genre name and literal (uri ``urn:gqlnews:genre:<literal>``) for each genre."""

_GENRE_LOOKUP: dict[str, Genre] = {
    key.casefold(): genre
    for genre, (name, literal) in GENRE_LABELS.items()
    for key in (name, literal, genre.value, f"urn:gqlnews:genre:{literal}")
}

_WITHHELD = {ArticleStatus.DRAFT, ArticleStatus.REVIEW}
_SAFE_URN_PART = re.compile(r"^[A-Za-z0-9._-]+$")


# --- ninjs -> record ---------------------------------------------------------------------------


def _role_value(items: list[v.JsonObject], role: str, where: str) -> str | None:
    """The ``value`` of the first item with ``role`` (items without a role count as ``main``)."""
    for item in items:
        if item.get("role", "main") == role:
            return v.optional_str(item, "value", where)
    return None


_TEXTS = tuple(f for f in EDITABLE if f.ninjs is not None)
"""The texts ninjs carries in a place of their own (headlines, descriptions, bodies…)."""


def _texts(ninjs: v.JsonObject) -> dict[str, str]:
    """The columns of the texts of :data:`_TEXTS` ("" when left out; a required one missing is
    refused)."""
    found: dict[str, str] = {}
    for text in _TEXTS:
        place = cast(NinjsPlace, text.ninjs)
        if place.role is None:
            value = v.optional_str(ninjs, place.key)
        else:
            value = _role_value(v.object_list(ninjs, place.key), place.role, f"{place.key}[].")
        if not value and text.required:
            raise LineError(f"missing required field '{place}' (the {text.name})")
        found[cast(str, text.column)] = value or ""
    return found


def _places(values: Mapping[str, Any], body_text: str) -> dict[str, Any]:
    """The ninjs keys of the texts of :data:`_TEXTS`: lists of ``{role, value}`` items (with
    the text's content type; an HTML body with its characters and words counted) and plain
    strings; an empty optional text is left out."""
    found: dict[str, Any] = {}
    for text in _TEXTS:
        place = cast(NinjsPlace, text.ninjs)
        value = values[cast(str, text.column)]
        if not value and not text.required:
            continue
        if place.role is None:
            found[place.key] = value
            continue
        item: dict[str, Any] = {"role": place.role}
        if place.contenttype is not None:
            item["contenttype"] = place.contenttype
        if text.kind is Kind.HTML:
            item.update(charcount=len(body_text), wordcount=count_words(body_text))
        item["value"] = value
        found.setdefault(place.key, []).append(item)
    return found


def _genre(ninjs: v.JsonObject) -> Genre:
    genres = v.object_list(ninjs, "genres")
    if not genres:
        return Genre.NEWS
    first = genres[0]
    for key in ("name", "literal", "uri"):
        label = first.get(key)
        if isinstance(label, str) and label.casefold() in _GENRE_LOOKUP:
            return _GENRE_LOOKUP[label.casefold()]
    known = ", ".join(name for name, _ in GENRE_LABELS.values())
    raise LineError(f"unknown genre {first.get('name') or first.get('literal')!r} (known: {known})")


def _status(ninjs: v.JsonObject, ext: v.JsonObject) -> ArticleStatus:
    raw = v.optional_str(ext, "status", "gqlnews.")
    if raw is not None:
        try:
            return ArticleStatus(raw)
        except ValueError:
            known = ", ".join(s.value for s in ArticleStatus)
            raise LineError(f"unknown gqlnews.status {raw!r} (known: {known})") from None
    pubstatus = ninjs.get("pubstatus", "usable")
    return {
        "withheld": ArticleStatus.DRAFT,
        "canceled": ArticleStatus.UNPUBLISHED,
    }.get(pubstatus, ArticleStatus.PUBLISHED)


def parse_image(association: v.JsonObject) -> ImageData:
    """A ninjs picture association (``featureimage``) as image data."""
    renditions = v.object_list(association, "renditions", "featureimage.")
    original = next((r for r in renditions if r.get("name") == "original"), None)
    rendition = original or (renditions[0] if renditions else None)
    if rendition is None:
        raise LineError("the feature image has no rendition (its url)")
    descriptions = v.object_list(association, "descriptions", "featureimage.")
    return ImageData(
        url=v.required_str(rendition, "href", "featureimage.renditions[]."),
        credit=v.optional_str(association, "copyrightholder", "featureimage.") or "",
        byline=v.optional_str(association, "by", "featureimage.") or "",
        caption=_role_value(descriptions, "caption", "featureimage.descriptions[].") or "",
        alt=_role_value(descriptions, "alt", "featureimage.descriptions[].") or "",
        width=v.optional_int(rendition, "width", "featureimage.renditions[].", minimum=0),
        height=v.optional_int(rendition, "height", "featureimage.renditions[].", minimum=0),
        language=v.optional_language(association, where="featureimage."),
    )


def parse_article(ninjs: v.JsonObject, line: int, default_language: str = "fr") -> ArticleRecord:
    """Map a ninjs article (with its ``gqlnews`` extension) to a record; raise LineError. An
    article that does not say its language is in ``default_language`` (the site's)."""
    ext = v.obj(ninjs, EXTENSION) or {}
    uri = v.required_str(ninjs, "uri")
    texts = _texts(ninjs)
    slug = v.optional_str(ext, "slug", "gqlnews.") or v.optional_str(ninjs, "slugline")
    if not slug:
        raise LineError("missing required field 'gqlnews.slug' (or 'slugline')")

    sections = v.str_list(ext, "sections", "gqlnews.")
    primary = v.optional_str(ext, "primary_section", "gqlnews.")
    if not sections:
        if primary is None:
            raise LineError("missing required field 'gqlnews.sections' (at least one section)")
        sections = [primary]
    if primary is not None and primary != sections[0]:
        raise LineError(
            f"gqlnews.primary_section {primary!r} must be the first of gqlnews.sections"
        )
    if sections[0] == FRONT_PAGE_SECTION:
        raise LineError(f"{FRONT_PAGE_SECTION!r} is a front-page flag, not a primary section")

    tags = v.str_list(ext, "tags", "gqlnews.")
    if tags is None:
        subjects = v.object_list(ninjs, "subjects")
        tags = list(
            dict.fromkeys(s["literal"] for s in subjects if isinstance(s.get("literal"), str))
        )

    edition_number = v.optional_int(ext, "edition_number", "gqlnews.")
    supplement = v.optional_str(ext, "supplement", "gqlnews.")
    if edition_number is not None and supplement is not None:
        raise LineError("an article is printed in an edition or in a supplement, not both")

    status = _status(ninjs, ext)
    created_at = v.required_timestamp(ninjs, "firstcreated")
    embargoed = v.optional_timestamp(ninjs, "embargoed")
    if "published_at" in ext:
        published_at = v.optional_timestamp(ext, "published_at", "gqlnews.")
    elif status in (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED):
        published_at = embargoed or created_at
    else:
        published_at = None

    image = None
    for association in v.object_list(ninjs, "associations"):
        if association.get("name") == FEATURE_IMAGE:
            image = parse_image(association)
            break

    version = ninjs.get("version", "1")
    values: dict[str, Any] = {
        "slug": slug,
        **texts,
        "genre": _genre(ninjs),
        "language": v.optional_language(ninjs) or default_language,
        "status": status,
        "published_at": published_at,
        "embargo_until": embargoed,
        "created_at": created_at,
        "updated_at": v.optional_timestamp(ninjs, "versioncreated") or created_at,
        "version": int(version) if isinstance(version, str) and version.isdigit() else 1,
        "page": v.optional_int(ext, "page", "gqlnews.", minimum=1),
        "print_position": v.optional_int(ext, "print_position", "gqlnews.", minimum=0) or 0,
        "view_count": v.optional_int(ext, "views", "gqlnews.", minimum=0) or 0,
    }
    return ArticleRecord(
        line=line,
        uri=uri,
        values=values,
        sections=sections,
        authors=v.str_list(ext, "authors", "gqlnews.") or [],
        tags=tags,
        edition_number=edition_number,
        supplement=supplement,
        image=image,
    )


# --- record -> ninjs ---------------------------------------------------------------------------


def image_uri(url: str) -> str:
    """A stable uri for an image: ``urn:gqlnews:image:<file name without extension>``."""
    stem = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0].rsplit(".", 1)[0]
    if not _SAFE_URN_PART.match(stem):
        stem = hashlib.sha1(url.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
    return f"urn:gqlnews:image:{stem}"


def image_association(image: ImageData) -> dict[str, Any]:
    """The ninjs ``featureimage`` association of an image."""
    association: dict[str, Any] = {
        "name": FEATURE_IMAGE,
        "uri": image_uri(image.url),
        "type": "picture",
        "representationtype": "partial",
    }
    if image.byline:
        association["by"] = image.byline
    if image.credit:
        association["copyrightholder"] = image.credit
    if image.language is not None:
        association["language"] = image.language
    descriptions = [
        {"role": role, "value": text}
        for role, text in (("caption", image.caption), ("alt", image.alt))
        if text
    ]
    if descriptions:
        association["descriptions"] = descriptions
    rendition: dict[str, Any] = {"name": "original", "href": image.url}
    content_type = mimetypes.guess_type(image.url)[0]
    if content_type:
        rendition["contenttype"] = content_type
    if image.width is not None:
        rendition["width"] = image.width
    if image.height is not None:
        rendition["height"] = image.height
    association["renditions"] = [rendition]
    return association


def _byline(names: list[str]) -> str:
    return " et ".join(names)


def _timestamp(moment: datetime | None) -> str | None:
    return None if moment is None else v.format_timestamp(moment)


def article_ninjs(
    record: ArticleRecord,
    *,
    article_id: int,
    author_names: Mapping[str, str],
    tag_names: Mapping[str, str],
    copyright_holder: str | None = None,
) -> dict[str, Any]:
    """The ninjs 2.1 object of an article, with the ``gqlnews`` extension last."""
    values = record.values
    status = ArticleStatus(values["status"])
    genre = Genre(values["genre"])
    published_at: datetime | None = values["published_at"]
    created_at: datetime = values["created_at"]

    ninjs: dict[str, Any] = {
        "uri": record.uri,
        "type": "text",
        "representationtype": "full",
        "profile": "article",
        "version": str(values["version"]),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "firstcreated": v.format_timestamp(created_at),
        "versioncreated": v.format_timestamp(values["updated_at"]),
        "pubstatus": (
            "withheld"
            if status in _WITHHELD
            else "canceled"
            if status == ArticleStatus.UNPUBLISHED
            else "usable"
        ),
        "language": values["language"],
    }
    if copyright_holder:
        year = (published_at or created_at).year
        ninjs["copyrightholder"] = copyright_holder
        ninjs["copyrightnotice"] = f"© {copyright_holder} {year}"
    ninjs["slugline"] = values["slug"]
    # The lists (headlines, descriptions, bodies) before ``by``, a plain key (located) after
    # it: the order of keys a line has always had.
    places = _places(values, values.get("body_text", ""))
    lists = {key: items for key, items in places.items() if isinstance(items, list)}
    ninjs.update(lists)
    if record.authors:
        ninjs["by"] = _byline([author_names[slug] for slug in record.authors])
    ninjs.update((key, value) for key, value in places.items() if key not in lists)
    name, literal = GENRE_LABELS[genre]
    ninjs["genres"] = [{"name": name, "literal": literal, "uri": f"urn:gqlnews:genre:{literal}"}]
    if record.tags:
        ninjs["subjects"] = [
            {
                "name": tag_names[slug],
                "literal": slug,
                "uri": f"urn:gqlnews:tag:{slug}",
                "rel": "about",
            }
            for slug in record.tags
        ]
    if values["embargo_until"] is not None:
        ninjs["embargoed"] = v.format_timestamp(values["embargo_until"])
    if record.image is not None:
        ninjs["associations"] = [image_association(record.image)]
    ninjs[EXTENSION] = {
        "id": article_id,
        "slug": values["slug"],
        "status": status.value,
        "published_at": _timestamp(published_at),
        "sections": record.sections,
        "primary_section": record.sections[0],
        "authors": record.authors,
        "tags": record.tags,
        "edition_number": record.edition_number,
        "page": values["page"],
        "supplement": record.supplement,
        "views": values["view_count"],
    }
    if values["print_position"]:
        ninjs[EXTENSION]["print_position"] = values["print_position"]
    return ninjs
