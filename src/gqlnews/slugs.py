"""Slugs from titles: French, Arabic or any script, short, and unique.

``slugify("L'Otan et l’Union européenne")`` is ``"l-otan-et-l-union-europeenne"``: accents are
folded to ASCII where a Latin letter carries them. Letters of scripts without such a folding
(Arabic, say) are kept, with Arabic short vowels (harakat) and the tatweel removed, so
``slugify("ليبيا والناتو")`` is ``"ليبيا-والناتو"`` (browsers show it as such; it travels
percent-encoded). Anything else becomes a single hyphen.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 80
_SEPARATORS = re.compile(r"[^\w]+|_+")
_TATWEEL = "\u0640"
SLUG_PATTERN = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")


_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}


def _is_latin(char: str) -> bool:
    return char < "\u0250" or "\u1e00" <= char <= "\u1eff"


def _fold(char: str) -> str:
    """A Latin letter without its accent; a combining mark (an Arabic haraka too) removed;
    other letters (Arabic ones, hamza forms included) kept as they are."""
    if char in _LIGATURES:
        return _LIGATURES[char]
    if unicodedata.combining(char):
        return ""
    if not _is_latin(char):
        return char
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


def slugify(title: str, max_length: int = MAX_LENGTH) -> str:
    """A lower-case, hyphenated slug of ``title``, cut at a word boundary (``""`` when the
    title has no letter or digit)."""
    text = unicodedata.normalize("NFKC", title).replace(_TATWEEL, "")
    folded = "".join(_fold(c) for c in text.lower())
    words = [w for w in _SEPARATORS.split(folded) if w]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def is_slug(value: str) -> bool:
    """Whether ``value`` is a well-formed slug (letters and digits joined by single hyphens)."""
    return bool(SLUG_PATTERN.match(value)) and value == value.lower()


def with_suffix(slug: str, number: int, max_length: int = MAX_LENGTH) -> str:
    """``slug`` made distinct with ``-number``, still within ``max_length``."""
    suffix = f"-{number}"
    return slug[: max_length - len(suffix)].rstrip("-") + suffix
