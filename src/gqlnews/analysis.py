"""Search analysis: the terms an article is indexed under and a query is searched for.

One analyser, in Python, serves both databases, so SQLite and PostgreSQL index the very same
terms and a query finds the same articles on either (the databases only match and rank).

Each word is analysed by its script: a word in Arabic script by the Arabic analysis, any other
by the French one (a Moroccan daily's Arabic articles quote Latin names, its French ones quote
Arabic words: the script, not the article's language, says how a word is written). A query can
force one analysis for all its words (:func:`parse_language`).

- **Normalisation (every word):** case folded; Latin accents and other combining marks removed
  (``é`` → ``e``, ``œ`` → ``oe``); Arabic alef forms (``أ إ آ ٱ``) → ``ا``, taa marbuta
  ``ة`` → ``ه``, alef maqsura ``ى`` → ``ي``, harakat and tatweel removed, Arabic-Indic digits →
  ``0-9``.
- **French:** elided articles and pronouns (``l' d' qu' j' n' s' c' t' m' jusqu' lorsqu'
  puisqu' quoiqu'``) dropped, then Snowball's French stemmer (``dialogues`` → ``dialogu``).
- **Arabic:** Larkey's *light10* (the article ``ال`` with ``و ف ب ك ل`` before it, ``لل`` or
  ``و``; then the suffixes ``ها ان ات ون ين يه ه ي``), then Snowball's Arabic stemmer (the
  prefixes and suffixes light10 leaves): ``الحوار``, ``والحوار`` and ``الحوارات`` → ``حوار``,
  ``وليبيا`` → ``ليبي``. Snowball alone leaves ``والحوار`` whole and ``حوارات`` half cut
  (``حوارا``), so a plural or a word after ``و`` would miss its singular.
- Words of one character are dropped (the elided ``l``, ``d``…, ``à``, a lone ``و``).

Terms are runs of letters and digits only, so the FTS5 ``unicode61`` tokenizer and PostgreSQL's
``simple`` configuration split an analysed text into exactly these terms.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

import Stemmer


class Analysis(StrEnum):
    """The analyses a word can go through."""

    FRENCH = "fr"
    ARABIC = "ar"


_FOLD = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ı": "i",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",  # alef wasla
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian kaf
        "ـ": None,  # tatweel
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # extended (Persian) digits
        "’": "'",
        "ʼ": "'",
        "‘": "'",
    }
)
_HAMZA = frozenset("\u0653\u0654\u0655")
"""Madda and hamza above/below: kept through the accent stripping, so ؤ and ئ stay letters of
their own (only the alef forms are unified)."""
_ELIDED = r"(?:jusqu|lorsqu|puisqu|quoiqu|qu|[ldjnsctm])'"
_WORD = re.compile(rf"(?:{_ELIDED}(?=[^\W_]))?([^\W_]+)")
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))
_CACHE_SIZE = 200_000


class _Folding(dict[int, str]):
    """What each character becomes, worked out the first time it is met: its compatibility
    decomposition without combining marks (hamza and madda kept, recomposed), then
    :data:`_FOLD`; a combining mark on its own becomes nothing. Used by ``str.translate``,
    which then runs in C for every character already seen."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if unicodedata.combining(char):
            folded = ""
        else:
            parts = unicodedata.normalize("NFKD", char)
            kept = "".join(c for c in parts if c in _HAMZA or not unicodedata.combining(c))
            folded = unicodedata.normalize("NFC", kept).translate(_FOLD)
        self[code] = folded
        return folded


_FOLDING = _Folding()


def normalise(text: str) -> str:
    """``text`` case folded, with accents, harakat and tatweel removed and Arabic letter
    variants unified (see the module's docstring)."""
    return unicodedata.normalize("NFC", text.casefold()).translate(_FOLDING)


def script_of(word: str) -> Analysis:
    """The analysis a normalised word gets by its script: Arabic for Arabic script, else French."""
    code = ord(word[0])
    if any(low <= code <= high for low, high in _ARABIC_RANGES):
        return Analysis.ARABIC
    return Analysis.FRENCH


_french = Stemmer.Stemmer("french")
_arabic = Stemmer.Stemmer("arabic")


def light10(word: str) -> str:
    """``word`` light-stemmed as *light10* does (Larkey, Ballesteros & Connell, 2007; Lucene's
    ArabicStemmer): one prefix, then each suffix once, always leaving two letters or more."""
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) >= len(prefix) + 2:
            word = word[len(prefix) :]
            break
    else:
        if word.startswith("و") and len(word) >= 4:
            word = word[1:]
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


@lru_cache(maxsize=_CACHE_SIZE)
def stem(word: str, analysis: Analysis) -> str:
    """The stem of one normalised word under ``analysis``."""
    if analysis is Analysis.ARABIC:
        stemmed: str = _arabic.stemWord(light10(word))
    else:
        stemmed = _french.stemWord(word)
    # A stemmer may hand back a shorter word than two characters, or a character the
    # tokenizers split on (neither does today): the term stays a run of letters and digits.
    return stemmed if len(stemmed) > 1 and stemmed.isalnum() else word


_BY_SCRIPT: dict[str, str] = {}
"""Word → term when each word is analysed by its script (the index's case), bounded."""


def _term_by_script(word: str) -> str:
    term = _BY_SCRIPT.get(word)
    if term is None:
        if len(_BY_SCRIPT) >= _CACHE_SIZE:
            _BY_SCRIPT.clear()
        term = _BY_SCRIPT[word] = stem(word, script_of(word))
    return term


def terms(text: str, force: Analysis | None = None) -> list[str]:
    """The terms of ``text``, in order (repeats kept): each word analysed by its script, or
    by ``force`` when given. Words of one character are dropped."""
    words = _WORD.findall(normalise(text))
    if force is None:
        return [_term_by_script(word) for word in words if len(word) > 1]
    return [stem(word, force) for word in words if len(word) > 1]


def index_text(text: str) -> str:
    """What the index stores for ``text``: its terms separated by spaces."""
    return " ".join(terms(text))


def query_terms(query: str, force: Analysis | None = None) -> list[str]:
    """The distinct terms of a search query, in order: every one must match."""
    return list(dict.fromkeys(terms(query, force)))


def parse_language(tag: str) -> Analysis:
    """The analysis a BCP-47 language tag asks for (``fr``, ``fr-MA``, ``ar``, ``ar-Latn``…).

    Raises ValueError for a malformed tag or a language search has no analysis for.
    """
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", tag):
        raise ValueError(f"language {tag!r} is not a BCP-47 language tag (e.g. fr, ar, fr-MA)")
    primary = tag.split("-", 1)[0].lower()
    try:
        return Analysis(primary)
    except ValueError:
        supported = ", ".join(a.value for a in Analysis)
        message = f"language {primary!r} has no search analysis: use one of {supported}"
        raise ValueError(message) from None
