"""Which statements only read: the ones a client may send by a shorter way (PostgreSQL's read
lane, SQLite's reader in the event loop's thread) and send again when that way fails."""

from __future__ import annotations

import re
from functools import lru_cache

_READS = ("SELECT", "WITH", "SHOW")
_WRITES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|REPLACE)\b", re.IGNORECASE)


def is_read(query: str) -> bool:
    """Whether ``query`` only reads. Its first word is read whatever the case and the blanks
    before it (as Tortoise writes them, at no cost); a ``WITH`` that names a write (a
    data-modifying CTE, or SQLite's ``WITH … INSERT``) is a write, and so, to be safe, is a
    ``WITH`` that merely names one of those words (in a string, say)."""
    if not query.startswith(_READS):
        query = query.lstrip()
        if not query[:6].upper().startswith(_READS):
            return False
    return not (query[:4].upper() == "WITH" and _names_a_write(query))


@lru_cache(maxsize=512)
def _names_a_write(query: str) -> bool:
    """Whether a ``WITH`` statement names a write (remembered: the search costs about 30 µs
    on a 1 KB statement, and such statements are written once and sent again and again)."""
    return _WRITES.search(query) is not None
