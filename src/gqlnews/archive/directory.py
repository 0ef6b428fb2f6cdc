"""Ids of reference rows (sections, authors, tags, editions, supplements) by their archive key.

Lines refer to each other by slug (or edition number); the importer resolves those keys through a
:class:`Directory`. A batch works on a :class:`Staged` view whose new ids join the directory only
once the batch's transaction has committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from gqlnews.archive.records import REFERENCE_KINDS, RecordKind
from gqlnews.models import Author, Edition, Section, Supplement, Tag

Key = str | int

REFERENCE_MODELS: dict[RecordKind, tuple[type[Model], str]] = {
    "section": (Section, "slug"),
    "author": (Author, "slug"),
    "tag": (Tag, "slug"),
    "edition": (Edition, "number"),
    "supplement": (Supplement, "slug"),
}
"""Model and key column of each reference kind."""


class Directory:
    """Committed ``key → id`` maps, one per reference kind."""

    def __init__(self) -> None:
        self._ids: dict[RecordKind, dict[Key, int]] = {kind: {} for kind in REFERENCE_KINDS}

    @classmethod
    async def load(cls, conn: BaseDBAsyncClient) -> Directory:
        """Every reference row of the database (a few thousand rows at most)."""
        directory = cls()
        for kind, (model, key) in REFERENCE_MODELS.items():
            rows = await model.all().using_db(conn).values_list(key, "id")
            directory._ids[kind].update((row[0], row[1]) for row in rows)
        return directory

    def get(self, kind: RecordKind, key: Key) -> int | None:
        return self._ids[kind].get(key)

    def add(self, kind: RecordKind, key: Key, pk: int) -> None:
        self._ids[kind][key] = pk

    def staged(self) -> Staged:
        """A view for one batch: lookups see this directory, additions stay apart."""
        return Staged(self)


class Staged:
    """The ids a batch adds, on top of the committed directory; :meth:`commit` merges them."""

    def __init__(self, base: Directory) -> None:
        self.base = base
        self._ids: dict[RecordKind, dict[Key, int]] = {kind: {} for kind in REFERENCE_KINDS}

    def get(self, kind: RecordKind, key: Key) -> int | None:
        found = self._ids[kind].get(key)
        return found if found is not None else self.base.get(kind, key)

    def add(self, kind: RecordKind, key: Key, pk: int) -> None:
        self._ids[kind][key] = pk

    async def find_missing(
        self, conn: BaseDBAsyncClient, kind: RecordKind, keys: Iterable[Any]
    ) -> None:
        """Look up in the database the ``keys`` this view does not know (rows made elsewhere)."""
        missing = {key for key in keys if key is not None and self.get(kind, key) is None}
        if not missing:
            return
        model, column = REFERENCE_MODELS[kind]
        rows = (
            await model.filter(**{f"{column}__in": missing})
            .using_db(conn)
            .values_list(column, "id")
        )
        for key, pk in rows:
            self.base.add(kind, key, pk)

    def commit(self) -> None:
        """Make this batch's ids part of the directory (after its transaction committed)."""
        for kind, ids in self._ids.items():
            for key, pk in ids.items():
                self.base.add(kind, key, pk)
