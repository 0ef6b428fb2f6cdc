"""ASCII slugs, unique within one demo load."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 80


def _slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, accents stripped: « L'été » → ``l-ete``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_WORD.sub("-", ascii_text).strip("-")
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0]
    return slug


class SlugRegistry:
    """Hands out slugs, appending ``-2``, ``-3``… to repeats; pinned slugs are reserved first."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self._taken: set[str] = set(reserved)

    def claim(self, text: str, fallback: str = "article") -> str:
        """A fresh slug for ``text`` (``fallback`` when ``text`` has no ASCII letters)."""
        base = _slugify(text) or fallback
        slug, n = base, 1
        while slug in self._taken:
            n += 1
            slug = f"{base}-{n}"
        self._taken.add(slug)
        return slug
