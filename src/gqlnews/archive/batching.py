"""Cut the stream of archive lines into batches of records, ready to write.

Parsing and validation happen here; the generator yields to the event loop now and then, so
batches already sent to the database make progress while the next one is prepared.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field

from gqlnews.archive.lines import parse_line
from gqlnews.archive.reader import ArchiveReader, UnreadableArchive
from gqlnews.archive.records import KINDS, ArticleRecord, Failure, LineError, Record, RecordKind

_TYPE = re.compile(rb'"type"\s*:\s*"(\w+)"')
_YIELD_EVERY = 64
"""Lines parsed between two turns given to the event loop."""

Key = tuple[str, object]


@dataclass
class Batch:
    """Records to write in one transaction, and what, if anything, ends the import after them."""

    records: list[Record] = field(default_factory=list)
    keys: set[Key] = field(default_factory=set)
    """What the records upsert on; two batches sharing a key must not be written concurrently."""
    references: bool = False
    """Whether it holds reference lines, which later batches may need committed."""
    failure: Failure | None = None
    """Strict mode: the bad line after these records; the import stops there."""
    unreadable: str | None = None
    """The input broke after these records (why)."""

    def add(self, record: Record, keys: set[Key]) -> None:
        self.records.append(record)
        self.keys |= keys
        self.references = self.references or record.kind != "article"


def record_keys(record: Record) -> set[Key]:
    if isinstance(record, ArticleRecord):
        return {("article", record.uri), ("article-slug", record.values["slug"])}
    return {(record.kind, record.key)}


def kind_of(raw: bytes) -> RecordKind | None:
    """The line type of a line that failed to parse, when it can be told."""
    found = _TYPE.search(raw)
    kind = found.group(1).decode() if found else None
    return next((k for k in KINDS if k == kind), None)


async def batches(
    reader: ArchiveReader,
    *,
    batch_size: int,
    strict: bool,
    on_line: Callable[[], None],
    on_failure: Callable[[Failure], None],
    default_language: str = "fr",
) -> AsyncGenerator[Batch, None]:
    """Batches of at most ``batch_size`` records, in file order.

    A bad line goes to ``on_failure`` and is skipped; in strict mode it ends the stream instead
    (as the ``failure`` of the last batch). A batch never holds the same key twice: a repeated
    row starts a new batch, so the later line wins.
    """
    batch = Batch()
    try:
        for count, (number, raw) in enumerate(reader.lines(), start=1):
            on_line()
            if count % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
            try:
                record = parse_line(number, raw, default_language)
            except LineError as exc:
                failure = Failure(number, kind_of(raw), str(exc))
                if strict:
                    batch.failure = failure
                    yield batch
                    return
                on_failure(failure)
                continue
            keys = record_keys(record)
            if batch.keys & keys:
                yield batch
                batch = Batch()
            batch.add(record, keys)
            if len(batch.records) >= batch_size:
                yield batch
                batch = Batch()
    except UnreadableArchive as exc:
        batch.unreadable = str(exc)
    if batch.records or batch.unreadable:
        yield batch
