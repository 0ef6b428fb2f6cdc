"""Slugs from titles: French, Arabic or any script, short, and unique.

``slugify("L'Otan et l’Union européenne")`` is ``"l-otan-et-l-union-europeenne"``: accents are
folded to ASCII where a Latin letter carries them. Letters of scripts without such a folding
(Arabic, say) are kept, with Arabic short vowels (harakat) and the tatweel removed, so
``slugify("ليبيا والناتو")`` is ``"ليبيا-والناتو"`` (browsers show it as such; it travels
percent-encoded). Anything else becomes a single hyphen.

**The slug rule.** A slug is letters and digits (of any script) in words joined by single
hyphens, at most :data:`MAX_LENGTH` characters, in its canonical form:
:func:`normalize_slug` (Unicode NFKC, then case folding, then NFKC again) leaves it unchanged.
A slug a client gives is normalised that way before it is checked and stored, so look-alikes
become the plain letters they look like: fullwidth ``ｍｏｎｄｅ`` is ``monde``, the ligature
``ﬁ`` is ``fi``, ``Monde`` is ``monde``. A word may not mix Latin, Greek and Cyrillic letters
(``mоnde`` with a Cyrillic ``о`` is refused: :func:`is_slug` is false), the usual disguise of a
look-alike; Arabic, Latin and other scripts may each fill a word. Look-ups by slug normalise the
same way, so ``ｍonde`` finds ``monde``.
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
    text = normalize_slug(title).replace(_TATWEEL, "")
    folded = "".join(_fold(c) for c in text)
    words = [w for w in _SEPARATORS.split(folded) if w]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def normalize_slug(value: str) -> str:
    """``value`` in the canonical form of slugs: NFKC, case-folded, NFKC again, without
    surrounding blanks (``"ｍonde"`` and ``"Monde"`` are ``"monde"``, ``"ﬁlm"`` is ``"film"``)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold()).strip()


_CONFUSABLE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


def _mixes_confusable_scripts(word: str) -> bool:
    scripts = {
        name.split(" ", 1)[0]
        for name in (unicodedata.name(c, "") for c in word if c.isalpha())
        if name.startswith(_CONFUSABLE_SCRIPTS)
    }
    return len(scripts) > 1


def is_slug(value: str) -> bool:
    """Whether ``value`` is a slug by the rule above: well-formed (letters and digits joined
    by single hyphens), canonical (see :func:`normalize_slug`), at most :data:`MAX_LENGTH`
    characters, no word mixing Latin, Greek and Cyrillic letters."""
    return (
        len(value) <= MAX_LENGTH
        and bool(SLUG_PATTERN.match(value))
        and value == normalize_slug(value)
        and not any(_mixes_confusable_scripts(word) for word in value.split("-"))
    )


def with_suffix(slug: str, number: int, max_length: int = MAX_LENGTH) -> str:
    """``slug`` made distinct with ``-number``, still within ``max_length``."""
    suffix = f"-{number}"
    return slug[: max_length - len(suffix)].rstrip("-") + suffix
