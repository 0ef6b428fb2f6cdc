"""The three feed formats: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1, from one list of
:class:`~gqlnews.feeds.items.FeedItem`.

Pictures go out as an enclosure (RSS ``enclosure``, Atom ``link rel="enclosure"``, JSON Feed
``image``) and as Media RSS ``media:content`` with ``media:credit`` and
``media:description`` (the caption); JSON Feed has no field for those, so they sit in the
``_gqlnews`` extension object, with the item's text direction.
"""

from __future__ import annotations

import json
import mimetypes
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from gqlnews.feeds.items import FeedItem, Picture
from gqlnews.feeds.xml import (
    NAMESPACES,
    XML_LANG,
    child,
    iso,
    ns,
    root_element,
    serialize,
    with_direction,
)

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "gqlnews"

MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
"""The ``Content-Type`` of each format."""


@dataclass(frozen=True, slots=True)
class FeedMeta:
    """What a feed says about itself."""

    title: str
    description: str
    home_url: str
    """The page the feed follows (the site, the section front, the author page…)."""
    self_url: str
    """The feed's own URL."""
    language: str
    updated: datetime
    publisher: str


def _picture_type(picture: Picture) -> str:
    guessed, _ = mimetypes.guess_type(picture.url.split("?", 1)[0])
    return guessed if guessed and guessed.startswith("image/") else "image/jpeg"


def _media(parent: ET.Element, picture: Picture) -> None:
    attrs = {"url": picture.url, "medium": "image", "type": _picture_type(picture)}
    if picture.width:
        attrs["width"] = str(picture.width)
    if picture.height:
        attrs["height"] = str(picture.height)
    media = child(parent, ns("media", "content"), **attrs)
    if picture.credit:
        child(media, ns("media", "credit"), picture.credit)
    if picture.caption:
        child(media, ns("media", "description"), picture.caption, type="plain")


def rss(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    """An RSS 2.0 document (with the content, Dublin Core, Atom and Media RSS modules)."""
    root = ET.Element("rss", {"version": "2.0"})
    channel = child(root, "channel")
    child(channel, "title", meta.title)
    child(channel, "link", meta.home_url)
    child(channel, "description", meta.description)
    child(channel, "language", meta.language)
    child(channel, "lastBuildDate", format_datetime(meta.updated.astimezone(UTC), usegmt=True))
    child(channel, "generator", GENERATOR)
    child(channel, ns("atom", "link"), href=meta.self_url, rel="self", type="application/rss+xml")
    for item in items:
        entry = child(channel, "item")
        child(entry, "title", item.title)
        child(entry, "link", item.url)
        child(entry, "guid", item.guid, isPermaLink="false")
        child(entry, "pubDate", format_datetime(item.published.astimezone(UTC), usegmt=True))
        child(entry, ns("dcterms", "modified"), iso(item.updated))
        for author in item.authors:
            child(entry, ns("dc", "creator"), author.name)
        for category in (*item.sections, *item.tags):
            child(entry, "category", category.name, domain=category.url)
        child(entry, "description", item.excerpt)
        if item.body_html is not None:
            html = with_direction(item.body_html, item.language, item.direction)
            child(entry, ns("content", "encoded"), html)
        child(entry, ns("dc", "language"), item.language)
        if item.picture is not None:
            picture = item.picture
            child(entry, "enclosure", url=picture.url, length="0", type=_picture_type(picture))
            _media(entry, picture)
    return serialize(root)


def atom(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    """An Atom 1.0 document; each entry carries its language in ``xml:lang``."""
    root = root_element("feed", NAMESPACES["atom"], **{XML_LANG: meta.language})
    child(root, "id", meta.self_url)
    child(root, "title", meta.title)
    child(root, "subtitle", meta.description)
    child(root, "updated", iso(meta.updated))
    child(root, "link", rel="self", type="application/atom+xml", href=meta.self_url)
    child(root, "link", rel="alternate", type="text/html", href=meta.home_url)
    publisher = child(root, "author")
    child(publisher, "name", meta.publisher)
    child(root, "generator", GENERATOR)
    for item in items:
        entry = child(root, "entry", **{XML_LANG: item.language})
        child(entry, "id", item.guid)
        child(entry, "title", item.title, type="text")
        child(entry, "link", rel="alternate", type="text/html", href=item.url)
        child(entry, "published", iso(item.published))
        child(entry, "updated", iso(item.updated))
        for author in item.authors:
            person = child(entry, "author")
            child(person, "name", author.name)
            child(person, "uri", author.url)
        for category in (*item.sections, *item.tags):
            child(
                entry, "category", term=category.term, label=category.name,
                scheme=category.url,
            )  # fmt: skip
        child(entry, "summary", item.excerpt, type="text")
        if item.body_html is not None:
            html = with_direction(item.body_html, item.language, item.direction)
            child(entry, "content", html, type="html")
        if item.picture is not None:
            picture = item.picture
            child(
                entry, "link", rel="enclosure", type=_picture_type(picture),
                href=picture.url, length="0",
            )  # fmt: skip
            _media(entry, picture)
    return serialize(root)


def json_feed(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    """A JSON Feed 1.1 document (every item has ``content_html`` or ``content_text``)."""
    feed = {
        "version": JSON_FEED_VERSION,
        "title": meta.title,
        "home_page_url": meta.home_url,
        "feed_url": meta.self_url,
        "description": meta.description,
        "language": meta.language,
        "authors": [{"name": meta.publisher}],
        "items": [_json_item(item) for item in items],
    }
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode()


def _json_item(item: FeedItem) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": item.guid,
        "url": item.url,
        "title": item.title,
        "summary": item.excerpt,
        "date_published": iso(item.published),
        "date_modified": iso(item.updated),
        "authors": [{"name": a.name, "url": a.url} for a in item.authors],
        "tags": [c.name for c in (*item.sections, *item.tags)],
        "language": item.language,
    }
    if item.body_html is not None:
        entry["content_html"] = with_direction(item.body_html, item.language, item.direction)
    else:
        entry["content_text"] = item.excerpt
    extension: dict[str, object] = {
        "direction": item.direction,
        "sections": [{"name": s.name, "slug": s.term, "url": s.url} for s in item.sections],
        "tags": [{"name": t.name, "slug": t.term, "url": t.url} for t in item.tags],
    }
    if item.picture is not None:
        picture = item.picture
        entry["image"] = picture.url
        extension["image"] = {
            "credit": picture.credit,
            "caption": picture.caption,
            "alt": picture.alt,
            "width": picture.width,
            "height": picture.height,
        }
    entry["_gqlnews"] = extension
    return entry
