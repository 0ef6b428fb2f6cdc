"""A teaser's ``body_text``: read only when its excerpt comes from it.

``Article.excerpt`` is the standfirst (``excerpt``), or the start of the plain-text body
(``body_text``) when there is none. A list of teasers that shows excerpts reads
``body_text`` for that alone (see :mod:`gqlnews.graphql.types.article_columns`); most
articles have a standfirst, and for them the body was read for nothing: the database
decompressed and sent it, this process decoded it (on the 10k archive, where every article
has one, the front page's list statement cost PostgreSQL 1.1 against 0.9 ms and this process
0.26 against 0.18 ms: bench/plans-results.md, eleventh round).

:func:`for_excerpts` rewrites such a statement, once per prebuilt shape, to read the body
only for articles without a standfirst: the others' ``body_text`` is empty in the rows
read so (partial instances, which nothing else reads the body from).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ITEM = re.compile(r'(?P<table>"article"\.)?"body_text" "body_text"')


def rewrite_for(columns: tuple[str, ...] | None) -> Callable[[str], str] | None:
    """The rewrite of a statement reading ``columns`` (None: whole rows, never rewritten):
    :func:`for_excerpts` when they name ``body_text``."""
    return for_excerpts if columns is not None and "body_text" in columns else None


def for_excerpts(sql: str) -> str:
    """``sql`` (a SELECT of articles that names ``body_text`` among its columns, as Tortoise
    renders it) reading ``body_text`` only where ``excerpt`` is empty; unchanged when the
    column is not found exactly once before the statement's first ``FROM``."""
    end = sql.find(" FROM ")
    columns = sql[:end] if end > 0 else ""
    found = list(_ITEM.finditer(columns))
    if len(found) != 1:
        return sql
    match = found[0]
    table = match.group("table") or ""
    read = f'CASE WHEN {table}"excerpt"=\'\' THEN {table}"body_text" ELSE \'\' END "body_text"'
    return sql[: match.start()] + read + sql[match.end() :]
