"""Prebuilt SQL for the strategies' lookups, sent as is through the models' connection.

A lookup runs on every article page, so its statements are written once (at import) instead
of a Tortoise query set built, resolved and rendered per call, and its rows come back as the
driver's tuples instead of being converted column by column. The text is PostgreSQL's, with
``$n`` parameters and ``= ANY($n)`` for a list; for SQLite the same statement is rewritten
once, ``?n`` parameters and the list read with ``json_each`` (one statement text for any
number of articles, so both databases keep it prepared).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from gqlnews.api import Article, connection_dialect

_LIST = re.compile(r"= ANY\(\$(\d+)\)")
_PARAMETER = re.compile(r"\$(\d+)")


class Statement:
    """One SELECT, in both dialects; :meth:`rows` runs it."""

    def __init__(self, postgres: str) -> None:
        # Stripped: the host sends a statement that starts with SELECT or WITH the short way
        # for reads (an idle connection of its read lane), and reads the first word as is.
        self.postgres = postgres.strip()
        self.lists = {int(n) - 1 for n in _LIST.findall(postgres)}
        self.sqlite = _PARAMETER.sub(
            r"?\1", _LIST.sub(r"IN (SELECT value FROM json_each($\1))", self.postgres)
        )

    async def rows(self, *parameters: Any) -> Sequence[Sequence[Any]]:
        """The rows, each indexable by column position (lists given as Python lists)."""
        connection = Article._meta.db
        if connection_dialect(connection) == "postgres":
            _, rows = await connection.execute_query(self.postgres, list(parameters))
        else:
            values = [
                json.dumps(list(value)) if position in self.lists else value
                for position, value in enumerate(parameters)
            ]
            _, rows = await connection.execute_query(self.sqlite, values)
        return rows  # type: ignore[return-value]
