"""Write one batch of records inside one transaction: upserts, images, ordered links.

Per run of same-kind records the writer asks the database a handful of questions (existing rows
by key, their images and links), decides for each record whether it is new, changed or
unchanged, then writes with a few batched statements. Records whose references do not resolve
are reported and left out; nothing of them is written.

An article is compared with what was *imported* for it, not with its current row: each import
stores :func:`import_hash` of the line in ``article.import_hash``, and a line whose hash is
the stored one is unchanged and touches nothing, whatever happened to the article since (the
scheduler published it, an editor fixed a typo). A line with another hash, or for an article
without one (made by the write API, or imported before the column existed), is compared with
the row as before; then the new hash is stored, so the next import of the same line is a
no-op. Reference lines (sections, authors…) have no such hash: they are compared with the
current row, column by column, for the keys the line carries.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from gqlnews.archive.bulk import BulkWriter, Row
from gqlnews.archive.directory import REFERENCE_MODELS, Staged
from gqlnews.archive.records import (
    ArticleRecord,
    Failure,
    ImageData,
    LineError,
    Record,
    RecordKind,
    Ref,
    ReferenceRecord,
)
from gqlnews.models import Article, ArticleAuthor, ArticleSection, ArticleTag, Image
from gqlnews.models.article import DERIVED_COLUMNS
from gqlnews.models.article_fields import EDITABLE_COLUMNS

IMAGE_COLUMNS: dict[RecordKind, str] = {
    "author": "avatar_id",
    "edition": "cover_id",
    "supplement": "cover_id",
}
"""The image column of reference kinds that have one."""

ARCHIVED_SYSTEM_COLUMNS = (
    "uri", "status", "published_at", "embargo_until", "created_at", "updated_at", "version",
    "edition_id", "supplement_id", "page", "print_position", "view_count",
)  # fmt: skip
"""The columns an archive line sets besides the editable ones: identity, workflow, times, print
placement and the view count."""

ARTICLE_COLUMNS = (*EDITABLE_COLUMNS, *ARCHIVED_SYSTEM_COLUMNS)
"""The article columns an archive line sets: every editable column
(:data:`gqlnews.models.article_fields.EDITABLE_COLUMNS`) and the system ones above; the derived
columns (``body_text``, ``word_count``, the search terms) follow their sources."""

IMPORT_HASH_VERSION = 1
"""Part of every :func:`import_hash`: bump it when the normalisation changes, so that the next
import compares every article with its row once (and stores the new hashes)."""

_LINKS = (
    (ArticleSection, "section_id", "section"),
    (ArticleAuthor, "author_id", "author"),
    (ArticleTag, "tag_id", "tag"),
)


class StrictStop(Exception):
    """Raised in strict mode at the first record that fails; the batch's transaction rolls back."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


@dataclass
class Outcome:
    """What a batch did, per record (counted by the importer once the batch has committed)."""

    created: list[Record] = field(default_factory=list)
    updated: list[Record] = field(default_factory=list)
    unchanged: list[Record] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    """Ids of the articles created or updated (what plugins are told after the import)."""


class _Images:
    """Image rows a run creates or rewrites, written before the rows that point at them."""

    def __init__(self) -> None:
        self.new: list[tuple[Row, str, ImageData]] = []
        self.changed: list[Row] = []

    def attach(
        self,
        target: Row,
        column: str,
        current_id: int | None,
        current: Row | None,
        wanted: ImageData | None,
    ) -> bool:
        """Point ``target[column]`` at ``wanted``; return whether anything changes.

        An existing image row is rewritten in place; a missing one is created.
        """
        if wanted is None:
            target[column] = None
            return current_id is not None
        target[column] = current_id
        if current_id is None or current is None:
            self.new.append((target, column, wanted))
            return True
        columns = wanted.columns()
        if any(current[key] != value for key, value in columns.items()):
            self.changed.append({"id": current_id, **columns})
            return True
        return False

    async def write(self, bulk: BulkWriter) -> None:
        ids = await bulk.allocate_ids(Image, len(self.new))
        rows = []
        for pk, (target, column, image) in zip(ids, self.new, strict=True):
            target[column] = pk
            rows.append({"id": pk, **image.columns()})
        await bulk.insert(Image, rows)
        await bulk.update(Image, self.changed)


class BatchWriter:
    """Writes a batch on ``conn`` (the batch's transaction), resolving keys through ``staged``."""

    def __init__(self, conn: BaseDBAsyncClient, staged: Staged, *, strict: bool) -> None:
        self.conn = conn
        self.staged = staged
        self.strict = strict
        self.bulk = BulkWriter(conn)
        self.outcome = Outcome()

    async def write(self, records: Sequence[Record]) -> Outcome:
        """Write ``records`` in order, a run of same-kind records at a time."""
        for kind, run in groupby(records, key=lambda record: record.kind):
            if kind == "article":
                await self._articles([r for r in run if isinstance(r, ArticleRecord)])
            else:
                await self._references(kind, [r for r in run if isinstance(r, ReferenceRecord)])
        return self.outcome

    def _fail(self, record: Record, reason: str) -> None:
        failure = Failure(record.line, record.kind, reason)
        if self.strict:
            raise StrictStop(failure)
        self.outcome.failed.append(failure)

    def _resolve(self, ref: Ref) -> int | None:
        kind, key = ref
        if key is None:
            return None
        found = self.staged.get(kind, key)
        if found is None:
            raise LineError(f"unknown {kind} {key!r}")
        return found

    async def _prefetch(self, refs: Sequence[Ref]) -> None:
        by_kind: dict[RecordKind, set[Any]] = defaultdict(set)
        for kind, key in refs:
            by_kind[kind].add(key)
        for kind, keys in by_kind.items():
            await self.staged.find_missing(self.conn, kind, keys)

    async def _images_by_id(self, ids: Sequence[int | None]) -> dict[int, Row]:
        wanted = [pk for pk in ids if pk is not None]
        if not wanted:
            return {}
        rows = await Image.filter(id__in=wanted).using_db(self.conn).values()
        return {row["id"]: row for row in rows}

    # --- sections, authors, tags, editions, supplements -------------------------------------

    async def _references(self, kind: RecordKind, records: list[ReferenceRecord]) -> None:
        model, key_column = REFERENCE_MODELS[kind]
        image_column = IMAGE_COLUMNS.get(kind)
        await self._prefetch([ref for record in records for ref in record.refs.values()])
        existing = {
            row[key_column]: row
            for row in await model.filter(**{f"{key_column}__in": [r.key for r in records]})
            .using_db(self.conn)
            .values()
        }
        images = await self._images_by_id(
            [row[image_column] for row in existing.values()] if image_column else []
        )
        fresh_ids = iter(
            await self.bulk.allocate_ids(model, sum(r.key not in existing for r in records))
        )
        images_out = _Images()
        inserts: list[Row] = []
        updates: list[Row] = []
        for record in records:
            try:
                wanted = dict(record.values)
                wanted.update({col: self._resolve(ref) for col, ref in record.refs.items()})
                check_lengths(model, {key_column: record.key, **wanted})
                if record.image is not None:
                    check_lengths(Image, record.image.columns())
            except LineError as exc:
                self._fail(record, str(exc))
                continue
            current = existing.get(record.key)
            if current is None:
                row = {"id": next(fresh_ids), key_column: record.key, **wanted}
                if image_column and record.image_given:
                    images_out.attach(row, image_column, None, None, record.image)
                inserts.append(row)
                self.staged.add(kind, record.key, row["id"])
                self.outcome.created.append(record)
                continue
            row = {"id": current["id"]}
            row.update({col: value for col, value in wanted.items() if current[col] != value})
            image_changed = False
            if image_column and record.image_given:
                current_image = current[image_column]
                image_changed = images_out.attach(
                    row, image_column, current_image, images.get(current_image), record.image
                )
                if row[image_column] == current_image:
                    del row[image_column]
            if len(row) > 1 or image_changed:
                updates.append(row)
                self.outcome.updated.append(record)
            else:
                self.outcome.unchanged.append(record)
        await images_out.write(self.bulk)
        await self.bulk.insert(model, inserts)
        await self.bulk.update(model, updates)

    # --- articles -----------------------------------------------------------------------------

    def _article_refs(self, record: ArticleRecord) -> list[Ref]:
        refs: list[Ref] = [("section", slug) for slug in record.sections]
        refs += [("author", slug) for slug in record.authors]
        refs += [("tag", slug) for slug in record.tags]
        refs += [("edition", record.edition_number), ("supplement", record.supplement)]
        return refs

    async def _existing_links(self, article_ids: list[int]) -> dict[str, dict[int, list[int]]]:
        links: dict[str, dict[int, list[int]]] = {}
        for model, column, kind in _LINKS:
            rows = (
                await model.filter(article_id__in=article_ids)
                .using_db(self.conn)
                .order_by("article_id", "position")
                .values_list("article_id", column)
            )
            per_article: dict[int, list[int]] = defaultdict(list)
            for article_id, target in rows:
                per_article[article_id].append(target)
            links[kind] = per_article
        return links

    async def _articles(self, records: list[ArticleRecord]) -> None:
        await self._prefetch([ref for record in records for ref in self._article_refs(record)])
        uris = [record.uri for record in records]
        existing = {
            row["uri"]: row
            for row in await Article.filter(uri__in=uris)
            .using_db(self.conn)
            .values("id", "import_hash", *ARTICLE_COLUMNS)
        }
        slug_owners = dict(
            await Article.filter(slug__in=[r.values["slug"] for r in records])
            .using_db(self.conn)
            .values_list("slug", "uri")
        )
        links = await self._existing_links([row["id"] for row in existing.values()])
        images = await self._images_by_id([row["image_id"] for row in existing.values()])
        fresh_ids = iter(
            await self.bulk.allocate_ids(Article, sum(r.uri not in existing for r in records))
        )
        images_out = _Images()
        inserts: list[Row] = []
        updates: list[Row] = []
        new_links: dict[str, list[Row]] = defaultdict(list)
        relinked: list[int] = []
        adopted: list[Row] = []
        for record in records:
            slug = record.values["slug"]
            if slug in slug_owners and slug_owners[slug] != record.uri:
                owner = slug_owners[slug] or "an article without uri"
                self._fail(record, f"slug {slug!r} already belongs to {owner}")
                continue
            try:
                wanted = self._article_row(record)
                targets = {
                    "section": [self._resolve(("section", s)) for s in record.sections],
                    "author": [self._resolve(("author", s)) for s in record.authors],
                    "tag": [self._resolve(("tag", s)) for s in record.tags],
                }
            except LineError as exc:
                self._fail(record, str(exc))
                continue
            digest = import_hash(wanted, targets, record.image)
            current = existing.get(record.uri)
            if current is None:
                row = {"id": next(fresh_ids), **wanted, **_derived_text(record)}
                row["import_hash"] = digest
                images_out.attach(row, "image_id", None, None, record.image)
                inserts.append(row)
                self.outcome.created.append(record)
                self.outcome.article_ids.append(row["id"])
            elif current["import_hash"] == digest:
                self.outcome.unchanged.append(record)
                continue
            else:
                row = {"id": current["id"], **wanted, "import_hash": digest}
                image_changed = images_out.attach(
                    row, "image_id", current["image_id"], images.get(current["image_id"]),
                    record.image,
                )  # fmt: skip
                same_links = all(
                    links[kind].get(current["id"], []) == targets[kind] for kind in targets
                )
                if (
                    same_links
                    and not image_changed
                    and all(current[c] == row[c] for c in ARTICLE_COLUMNS)
                ):
                    adopted.append({"id": current["id"], "import_hash": digest})
                    self.outcome.unchanged.append(record)
                    continue
                row.update(_derived_text(record))
                updates.append(row)
                self.outcome.updated.append(record)
                self.outcome.article_ids.append(row["id"])
                if same_links:
                    continue
                relinked.append(current["id"])
            for kind, ids in targets.items():
                column = f"{kind}_id"
                new_links[kind].extend(
                    {"article_id": row["id"], column: pk, "position": position}
                    for position, pk in enumerate(ids)
                )
        await images_out.write(self.bulk)
        await self.bulk.insert(Article, inserts)
        await self.bulk.update(Article, [*updates, *adopted])
        for model, _column, kind in _LINKS:
            await self.bulk.delete_in(model, "article_id", relinked)
            await self.bulk.insert(model, new_links[kind])

    def _article_row(self, record: ArticleRecord) -> Row:
        """The ``article`` columns of a record, references resolved (raises LineError)."""
        row: Row = {"uri": record.uri, **record.values}
        row["primary_section_id"] = self._resolve(("section", record.sections[0]))
        row["edition_id"] = self._resolve(("edition", record.edition_number))
        row["supplement_id"] = self._resolve(("supplement", record.supplement))
        check_lengths(Article, row)
        if record.image is not None:
            check_lengths(Image, record.image.columns())
        return row


def import_hash(article: Row, links: dict[str, list[int | None]], image: ImageData | None) -> str:
    """sha256 (hex) of what an article line sets: its ``article`` columns (references
    resolved), its ordered section, author and tag ids and its image, as sorted JSON."""
    source = {
        "version": IMPORT_HASH_VERSION,
        "article": {c: article[c] for c in ARTICLE_COLUMNS if c != "image_id"},
        "links": links,
        "image": None if image is None else image.columns(),
    }
    return hashlib.sha256(orjson.dumps(source, option=orjson.OPT_SORT_KEYS)).hexdigest()


def check_lengths(model: type[Model], values: Row) -> None:
    """Refuse text longer than its column allows (PostgreSQL would, SQLite would not)."""
    for name, value in values.items():
        limit = getattr(model._meta.fields_map.get(name), "max_length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            raise LineError(
                f"{model.__name__.lower()} {name} is {len(value)} characters long (at most {limit})"
            )


def _derived_text(record: ArticleRecord) -> Row:
    """``body_text``, ``word_count`` and the search terms of a new or changed article (not
    computed for the others)."""
    if "body_terms" not in record.values:
        record.derive_text()
    return {name: record.values[name] for names in DERIVED_COLUMNS.values() for name in names}
