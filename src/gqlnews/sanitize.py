"""Article body HTML, cleaned on the way in with an allow-list (nh3, the ammonia sanitiser).

Only the tags and attributes a news article needs survive; ``<script>``, ``<style>`` and
``<iframe>`` go with their content, event handlers (``onerror=`` …) and ``style`` go, and every
attribute that holds a URL (``href``, ``src``, ``cite``: :data:`URL_ATTRIBUTES`) keeps only
http(s), mailto and tel URLs (relative URLs too), so a ``javascript:`` URL never reaches a
reader. ammonia itself checks only ``href`` and ``src``; the ``cite`` of ``<blockquote>`` and
``<q>`` is checked here, the way a browser reads the value (entities decoded, tabs and
newlines ignored, surrounding blanks and control characters trimmed). Links get
``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "cite",
        "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark", "abbr", "time",
        "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "span", "code", "pre",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
"""Allowed attributes whose value is a URL: each keeps only a relative or allowed-scheme URL."""

_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")
_TRIMMED_FROM_URLS = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def is_safe_url(value: str) -> bool:
    """Whether a URL attribute's (decoded) value is relative or uses an allowed scheme.

    The value is read as the WHATWG URL parser reads it: tabs and newlines anywhere are
    ignored, and blanks and control characters around it trimmed; a scheme is letters,
    digits, ``+``, ``-`` and ``.`` before the first ``:``. A value with a ``:`` before any
    ``/``, ``?`` or ``#`` but no valid scheme is refused too (it is not a relative URL).
    """
    url = _IGNORED_IN_URLS.sub("", value).strip(_TRIMMED_FROM_URLS)
    found = _SCHEME.match(url)
    if found:
        return found.group(1).lower() in URL_SCHEMES
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name in URL_ATTRIBUTES and not is_safe_url(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    attribute_filter=_filter_attribute,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed."""
    return _CLEANER.clean(html)
