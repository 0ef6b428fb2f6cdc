"""XML building blocks shared by the feeds and the sitemaps (the standard library's
ElementTree: it escapes ``&``, ``<``, ``>`` and quotes; this module also drops the characters
XML 1.0 cannot carry at all)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

NAMESPACES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "media": "http://search.yahoo.com/mrss/",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
"""Prefixes the documents use (registered once, so the output has readable prefixes)."""

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control characters, lone
    surrogates); escaping is ElementTree's job."""
    return _NOT_XML.sub("", text)


def ns(prefix: str, name: str) -> str:
    """The ElementTree name of ``prefix:name``."""
    return f"{{{NAMESPACES[prefix]}}}{name}"


def child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A new element under ``parent``, with ``text`` and attributes (cleaned)."""
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean(text)
    return element


def iso(moment: datetime) -> str:
    """A W3C date-time in UTC, to the second (Atom, JSON Feed, sitemaps)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def root_element(tag: str, default_namespace: str, **attrs: str) -> ET.Element:
    """A document's root ``tag`` in ``default_namespace``: its children are written without a
    prefix (plain tags), other namespaces get theirs (ElementTree's ``default_namespace``
    option refuses unprefixed attributes, which every format here has)."""
    return ET.Element(tag, {"xmlns": default_namespace, **attrs})


def serialize(root: ET.Element) -> bytes:
    """The document as UTF-8 bytes with its XML declaration."""
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def with_direction(html: str, language: str, direction: str) -> str:
    """An article body as feed HTML: wrapped with its language and direction when it is
    right-to-left, so a reader lays out Arabic as Arabic."""
    if direction != "rtl":
        return html
    return f'<div dir="rtl" lang="{language}">{html}</div>'
