"""``gqlnews import``: read an archive, write it in batches, one transaction per batch.

A batch is committed whole or not at all, so an import killed at any moment leaves only whole
articles (row, links, image) behind, and running it again completes it: rows that are already
there are matched by key (article ``uri``, slug, edition number) and count as unchanged.

An article line imported before is unchanged when it is the same line (its import hash, see
:mod:`gqlnews.archive.writer`), even if the article changed since; then nothing is written.
When the import has finished writing, the plugins are told which articles it created or
updated (``gqlnews_archive_imported``), so their indexes are current when it returns.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pluggy
from tortoise.exceptions import OperationalError, ValidationError
from tortoise.transactions import in_transaction

from gqlnews.archive.analyze import Analyzed
from gqlnews.archive.batching import Key, batches
from gqlnews.archive.directory import Directory
from gqlnews.archive.progress import Progress
from gqlnews.archive.reader import ArchiveReader
from gqlnews.archive.records import KINDS, Failure, Record, RecordKind
from gqlnews.archive.writer import BatchWriter, Outcome, StrictStop
from gqlnews.db import connection
from gqlnews.observability.metrics import IMPORT_ARTICLES
from gqlnews.plugins import call_each

DEFAULT_BATCH_SIZE = 500
DEFAULT_JOBS = 2
"""Batches in flight at once on PostgreSQL: one is written while the next is prepared, and the
server computes two batches' search vectors on two cores."""

StopReason = Literal["strict", "interrupted", "unreadable"]
AFTER_IMPORT_HOOK = "gqlnews_archive_imported"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.failed += other.failed


@dataclass
class ImportSummary:
    """What an import did, per line type (``None`` counts lines whose type is unknown)."""

    counts: dict[RecordKind | None, Counts] = field(
        default_factory=lambda: {kind: Counts() for kind in (*KINDS, None)}
    )
    failures: list[Failure] = field(default_factory=list)
    lines: int = 0
    batches: int = 0
    elapsed: float = 0.0
    stopped: StopReason | None = None
    """Why the import ended early, if it did."""
    stop_detail: str = ""
    article_ids: list[int] = field(default_factory=list)
    """Ids of the articles created or updated, in the order their batches committed."""
    plugin_lines: list[tuple[str, str]] = field(default_factory=list)
    """``(plugin, line)``: what the ``gqlnews_archive_imported`` hooks said for the summary."""
    plugin_failures: list[str] = field(default_factory=list)
    """Plugins whose ``gqlnews_archive_imported`` raised (their error is logged)."""
    plugins_elapsed: float = 0.0
    """Seconds the plugins took once the import was written (not part of ``elapsed``)."""
    analyzed: Analyzed | None = None
    """The ``ANALYZE`` after the import and the plugins (None: not run, see the command)."""
    analyze_error: str = ""
    """Why that ``ANALYZE`` failed (the import itself is written)."""

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.counts.values():
            total.add(counts)
        return total

    @property
    def articles_per_second(self) -> float:
        articles = self.counts["article"]
        done = articles.created + articles.updated + articles.unchanged
        return done / self.elapsed if self.elapsed else 0.0


class Importer:
    """Streams records from a reader into the database, ``batch_size`` records per transaction.

    Up to ``jobs`` batches are written at once (each on its own connection; useful on
    PostgreSQL only); ``strict`` stops at the first bad line, after writing the lines before it
    (and implies one job). ``should_stop`` is asked between batches (a signal handler sets it);
    the import then ends after the batches in flight, with ``stopped = "interrupted"``.
    An article that does not say its language is in ``default_language`` (the site's).
    """

    def __init__(
        self,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        jobs: int = 1,
        strict: bool = False,
        progress: Progress,
        should_stop: Callable[[], bool] = lambda: False,
        default_language: str = "fr",
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self.jobs = 1 if strict else max(1, jobs)
        self.strict = strict
        self.progress = progress
        self.should_stop = should_stop
        self.default_language = default_language
        self.summary = ImportSummary()
        self._directory = Directory()
        self._reader: ArchiveReader | None = None

    async def run(
        self, reader: ArchiveReader, plugins: pluggy.PluginManager | None = None
    ) -> ImportSummary:
        """Import everything ``reader`` yields; return the summary (also on early stops).

        Then, unless the import was interrupted, tell the ``plugins`` what was written
        (``gqlnews_archive_imported``) and wait for them.
        """
        started = time.perf_counter()
        self._reader = reader
        self._directory = await Directory.load(connection())
        self.progress.start(reader.size)
        try:
            await self._stream(reader)
        except _Stop as stop:
            self.summary.stopped = stop.reason
            self.summary.stop_detail = stop.detail
        finally:
            self.summary.elapsed = time.perf_counter() - started
            self._report_progress()
            self.progress.stop()
        if plugins is not None and self.summary.stopped != "interrupted":
            await self._tell_plugins(plugins)
        return self.summary

    async def _tell_plugins(self, plugins: pluggy.PluginManager) -> None:
        """Call ``gqlnews_archive_imported``; keep each plugin's summary line, or its failure."""
        names = [impl.plugin_name for impl in plugins.hook.gqlnews_archive_imported.get_hookimpls()]
        if not names:
            return
        self.progress.note(f"import written; updating plugins: {', '.join(reversed(names))}")
        started = time.perf_counter()
        results = await call_each(
            plugins, AFTER_IMPORT_HOOK, article_ids=list(self.summary.article_ids)
        )
        self.summary.plugins_elapsed = time.perf_counter() - started
        answered = {name for name, _line in results}
        self.summary.plugin_failures = [name for name in reversed(names) if name not in answered]
        self.summary.plugin_lines = [(name, str(line)) for name, line in results if line]

    async def _stream(self, reader: ArchiveReader) -> None:
        """Send batches to the database, up to ``jobs`` at once, as they are prepared.

        Batches with reference lines, and batches sharing a key with one in flight, wait for
        everything before them: a line only ever depends on lines above it.
        """
        running: dict[asyncio.Task[None], set[Key]] = {}
        stream = batches(
            reader,
            batch_size=self.batch_size,
            strict=self.strict,
            on_line=self._count_line,
            on_failure=self._failed,
            default_language=self.default_language,
        )
        try:
            async for batch in stream:
                if batch.references or any(batch.keys & keys for keys in running.values()):
                    await self._wait(running, everything=True)
                while len(running) >= self.jobs:
                    await self._wait(running, everything=False)
                task = asyncio.create_task(self._flush(batch.records))
                running[task] = batch.keys
                if batch.references or batch.failure or batch.unreadable:
                    await self._wait(running, everything=True)
                if batch.failure is not None:
                    self._failed(batch.failure)
                if batch.unreadable is not None:
                    raise _Stop("unreadable", batch.unreadable)
                if self.should_stop():
                    await self._wait(running, everything=True)
                    raise _Stop("interrupted", "stopped at a batch boundary")
            await self._wait(running, everything=True)
        finally:
            await stream.aclose()
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    @staticmethod
    async def _wait(running: dict[asyncio.Task[None], set[Key]], *, everything: bool) -> None:
        """Wait for one batch in flight (or all of them); re-raise what a batch raised."""
        if not running:
            return
        done, _ = await asyncio.wait(
            running, return_when=asyncio.ALL_COMPLETED if everything else asyncio.FIRST_COMPLETED
        )
        for task in done:
            del running[task]
        for task in done:
            task.result()

    def _count_line(self) -> None:
        self.summary.lines += 1

    def _failed(self, failure: Failure) -> None:
        """Count and show a final failure; in strict mode, end the import."""
        self.summary.failures.append(failure)
        self.summary.counts[failure.kind].failed += 1
        if failure.kind == "article":
            IMPORT_ARTICLES.labels("failed").inc()
        kind = failure.kind or "line"
        self.progress.note(f"line {failure.line}: {kind}: {failure.reason}")
        if self.strict:
            raise _Stop("strict", f"line {failure.line}: {failure.reason}")

    async def _flush(self, records: Sequence[Record]) -> None:
        """Write ``records`` as one transaction; on a database error, one record at a time."""
        if not records:
            return
        staged = self._directory.staged()
        try:
            async with in_transaction() as conn:
                outcome = await BatchWriter(conn, staged, strict=self.strict).write(records)
        except StrictStop as stop:
            await self._flush([r for r in records if r.line < stop.failure.line])
            self._failed(stop.failure)
            return
        except (OperationalError, ValidationError) as exc:
            if len(records) > 1:
                for record in records:
                    await self._flush([record])
                return
            record = records[0]
            self._failed(Failure(record.line, record.kind, f"database refused it: {exc}"))
            return
        staged.commit()
        self._count(outcome)

    def _count(self, outcome: Outcome) -> None:
        self.summary.batches += 1
        self.summary.article_ids.extend(outcome.article_ids)
        for name in ("created", "updated", "unchanged"):
            for record in getattr(outcome, name):
                counts = self.summary.counts[record.kind]
                setattr(counts, name, getattr(counts, name) + 1)
                if record.kind == "article":
                    IMPORT_ARTICLES.labels(name).inc()
        for failure in outcome.failed:
            self._failed(failure)
        self._report_progress()

    def _report_progress(self) -> None:
        position = self._reader.position if self._reader else 0
        self.progress.update(position, self.summary.lines, _describe(self.summary))


class _Stop(Exception):
    def __init__(self, reason: StopReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _describe(summary: ImportSummary) -> str:
    total = summary.total
    return (
        f"created {total.created}, updated {total.updated}, "
        f"skipped {total.unchanged}, failed {total.failed}"
    )
