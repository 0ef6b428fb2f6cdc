"""Plain-text helpers shared by models, search and GraphQL fields (no database access)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

READING_WORDS_PER_MINUTE = 230
_RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku", "sd", "ug"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "figcaption",
        "tr",
        "section",
        "article",
        "pre",
    }
)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment, with whitespace folded."""
    if "<" not in html and "&" not in html:
        return _SPACES.sub(" ", html).strip()
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return _SPACES.sub(" ", "".join(collector.parts)).strip()


def count_words(text: str) -> int:
    """Number of words in plain text."""
    return len(_WORD.findall(text))


def reading_time_minutes(word_count: int) -> int:
    """Minutes to read ``word_count`` words at a steady pace; at least one."""
    return max(1, round(word_count / READING_WORDS_PER_MINUTE))


def cut_excerpt(text: str, max_length: int | None, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``max_length`` characters at a word boundary, adding ``ellipsis``.

    The ellipsis counts towards the length. Text that already fits is returned whole.
    """
    text = _SPACES.sub(" ", text).strip()
    if max_length is None or len(text) <= max_length:
        return text
    room = max(0, max_length - len(ellipsis))
    cut = text[: room + 1]
    if len(cut) > room and not cut[room].isspace():
        boundary = cut.rfind(" ", 0, room + 1)
        cut = cut[:boundary] if boundary > 0 else cut[:room]
    cut = cut[:room].rstrip(" ,;:.—–-(«\"'")
    return f"{cut}{ellipsis}" if cut else ellipsis[:max_length]


def text_direction(language: str) -> str:
    """``RTL`` for right-to-left languages (Arabic, Hebrew, Persian…), else ``LTR``."""
    primary = language.split("-", 1)[0].split("_", 1)[0].lower()
    return "RTL" if primary in _RTL_LANGUAGES else "LTR"


def search_terms(query: str) -> list[str]:
    """Words of a search query, lower-cased, with French elisions (l', d', qu'…) dropped."""
    terms: list[str] = []
    for word in _WORD.findall(query.lower()):
        if len(word) == 1 or word in ("qu", "jusqu", "lorsqu", "puisqu", "quoiqu"):
            continue
        if word not in terms:
            terms.append(word)
    return terms
