"""``gqlnews import`` and ``gqlnews export``: options, signals, summaries and exit codes.

Exit codes of ``import`` (also in ``docs/archive.md``):

* 0: every line was imported (created, updated or already there);
* 1: the import went to the end, but some lines failed (each was reported with its number);
* 2: it stopped early: ``--strict`` met a bad line, or the file is unreadable;
* 130 / 143: SIGINT / SIGTERM stopped it at a batch boundary (run it again to finish).
"""

from __future__ import annotations

import gzip
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import IO, Annotated

import typer

from gqlnews.archive.analyze import analyze_tables
from gqlnews.archive.exporter import Exporter, ExportFilter, ExportSummary, UnknownSection
from gqlnews.archive.importer import DEFAULT_BATCH_SIZE, DEFAULT_JOBS, Importer, ImportSummary
from gqlnews.archive.progress import make_progress
from gqlnews.archive.reader import STDIN, ArchiveReader, UnreadableArchive
from gqlnews.archive.records import KINDS
from gqlnews.command_database import command_database, run_command
from gqlnews.db import connection, dialect_of
from gqlnews.plugins import PluginError, make_plugin_manager, model_apps
from gqlnews.settings import Settings

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_STOPPED = 2
_SIGNAL_EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}


class ProgressChoice(StrEnum):
    auto = "auto"
    bar = "bar"
    plain = "plain"
    off = "off"


class _StopRequest:
    """Remembers the first SIGINT/SIGTERM; a second one ends the process at once."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.signal = signum
        signal.signal(signum, signal.SIG_DFL)

    def requested(self) -> bool:
        return self.signal is not None


@contextmanager
def _graceful_stop(request: _StopRequest) -> Iterator[_StopRequest]:
    previous = {sig: signal.signal(sig, request) for sig in _SIGNAL_EXIT}
    try:
        yield request
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _error(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_STOPPED)


# --- import ------------------------------------------------------------------------------------


def import_command(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A .jsonl or .jsonl.gz archive, or - for stdin.")
    ],
    batch_size: Annotated[
        int, typer.Option(min=1, help="Lines written per transaction.")
    ] = DEFAULT_BATCH_SIZE,
    strict: Annotated[
        bool, typer.Option(help="Stop at the first bad line (lines before it are imported).")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(min=1, help="Batches written at once on PostgreSQL (SQLite: always 1)."),
    ] = DEFAULT_JOBS,
    progress: Annotated[
        ProgressChoice,
        typer.Option(help="A bar on a terminal (auto), plain lines, or none."),
    ] = ProgressChoice.auto,
    analyze: Annotated[
        bool,
        typer.Option(
            help="ANALYZE the tables afterwards when anything was written (planner statistics)."
        ),
    ] = True,
) -> None:
    """Import a ninjs archive (sections, authors, tags, editions, supplements, articles).

    Re-importing a file changes nothing; an article whose uri exists is updated.

    Bad lines are reported with their number and skipped (--strict: the import stops there).

    Exit code: 0 all imported, 1 some lines failed, 2 stopped early, 130/143 interrupted.
    """
    settings: Settings = ctx.obj
    try:
        reader = ArchiveReader.open(file)
    except UnreadableArchive as exc:
        raise _error(str(exc)) from None
    stop = _StopRequest()
    with reader:
        importer = Importer(
            batch_size=batch_size,
            jobs=jobs if dialect_of(settings.database_url) == "postgres" else 1,
            strict=strict,
            progress=make_progress(progress.value, "import", "lines"),
            should_stop=stop.requested,
            default_language=settings.site_language,
        )
        summary = run_command(_run_import(settings, importer, reader, stop, analyze=analyze))
    _print_import_summary(reader.name, summary, stop.signal)
    if summary.stopped == "interrupted" and stop.signal is not None:
        raise typer.Exit(_SIGNAL_EXIT[signal.Signals(stop.signal)])
    if summary.stopped is not None:
        raise typer.Exit(EXIT_STOPPED)
    raise typer.Exit(EXIT_SOME_FAILED if summary.total.failed else EXIT_OK)


async def _run_import(
    settings: Settings,
    importer: Importer,
    reader: ArchiveReader,
    stop: _StopRequest,
    *,
    analyze: bool = True,
) -> ImportSummary:
    try:
        plugins = make_plugin_manager(settings)
    except PluginError as exc:
        raise _error(str(exc)) from None
    async with command_database(settings, model_apps(plugins), migrate_empty=True):
        # Ctrl-C ends the command at once until the import writes; from then on it stops at
        # a batch boundary (a second one ends it at once).
        with _graceful_stop(stop):
            summary = await importer.run(reader, plugins=plugins)
        written = bool(summary.total.created or summary.total.updated)
        if analyze and written and summary.stopped != "interrupted":
            try:
                summary.analyzed = await analyze_tables(connection())
            except Exception as exc:  # the import is written: warn, do not fail it
                summary.analyze_error = str(exc) or type(exc).__name__
        if written:
            from gqlnews.cache import bus
            from gqlnews.cache.keys import EVERYTHING

            await bus.purge({EVERYTHING})  # the running servers hear it (command_database)
        return summary


def _print_import_summary(name: str, summary: ImportSummary, signum: int | None) -> None:
    articles = summary.counts["article"]
    headline = {
        None: "import finished",
        "strict": "import stopped at the first bad line (--strict)",
        "interrupted": (
            f"import interrupted by {signal.Signals(signum).name if signum else 'a signal'}; "
            "run the same command again to finish it"
        ),
        "unreadable": "import stopped: the file became unreadable",
    }[summary.stopped]
    typer.echo(
        f"{headline}: {name}, {summary.lines} lines in {summary.elapsed:.1f} s "
        f"({articles.created + articles.updated + articles.unchanged} articles, "
        f"{summary.articles_per_second:.0f} articles/s)"
    )
    typer.echo(f"  {'':<12}{'created':>9}{'updated':>9}{'skipped':>9}{'failed':>9}")
    for kind in (*KINDS, None):
        counts = summary.counts[kind]
        if kind is None and not counts.failed:
            continue
        label = kind or "unknown"
        typer.echo(
            f"  {label:<12}{counts.created:>9}{counts.updated:>9}"
            f"{counts.unchanged:>9}{counts.failed:>9}"
        )
    total = summary.total
    typer.echo(
        f"  {'total':<12}{total.created:>9}{total.updated:>9}{total.unchanged:>9}{total.failed:>9}"
    )
    if summary.plugin_lines or summary.plugin_failures:
        typer.echo(
            f"plugins, after the import: {summary.plugins_elapsed:.1f} s "
            f"({summary.elapsed + summary.plugins_elapsed:.1f} s in all)"
        )
    for plugin, line in summary.plugin_lines:
        typer.echo(f"  {plugin}: {line}")
    if summary.analyzed is not None:
        typer.echo(summary.analyzed.describe())
    if summary.analyze_error:
        typer.echo(
            f"warning: ANALYZE after the import failed ({summary.analyze_error}); the import "
            "is written: run ANALYZE on the database by hand",
            err=True,
        )
    for plugin in summary.plugin_failures:
        typer.echo(
            f"warning: plugin {plugin!r} failed after the import (see the log); "
            "the import itself is written",
            err=True,
        )
    if summary.stopped in ("strict", "unreadable"):
        typer.echo(f"error: {summary.stop_detail}", err=True)


# --- export ------------------------------------------------------------------------------------


def _parse_since(value: str) -> datetime:
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SSZ)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@contextmanager
def _output(file: str) -> Iterator[IO[bytes]]:
    """A binary stream for ``file`` (``-``: stdout; ``*.gz``: gzip), replaced only once written."""
    if file == STDIN:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(file)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed on success
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial", delete=False
    )
    try:
        with handle:
            if path.suffix == ".gz":
                with gzip.GzipFile(fileobj=handle, mode="wb", filename=path.stem, mtime=0) as gz:
                    yield gz  # type: ignore[misc]
            else:
                yield handle
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def export_command(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="Where to write (.gz: compressed), or - for stdout."),
    ],
    since: Annotated[
        str | None,
        typer.Option(
            metavar="DATE|DATETIME",
            help="Only articles modified at or after this (UTC when no zone is given).",
        ),
    ] = None,
    section: Annotated[
        str | None, typer.Option(metavar="SLUG", help="Only articles in this section (or below).")
    ] = None,
    copyright_holder: Annotated[
        str | None,
        typer.Option(help="Add ninjs copyrightholder/copyrightnotice with this name."),
    ] = None,
    progress: Annotated[
        ProgressChoice, typer.Option(help="A bar on a terminal (auto), plain lines, or none.")
    ] = ProgressChoice.auto,
) -> None:
    """Export articles as a ninjs archive (the format `gqlnews import` reads).

    Reference lines (sections, authors, tags, editions, supplements) come first, then articles.
    """
    settings: Settings = ctx.obj
    filters = ExportFilter(since=None if since is None else _parse_since(since), section=section)
    started = time.perf_counter()
    exporter = Exporter(
        filters=filters,
        copyright_holder=copyright_holder,
        progress=make_progress(progress.value, "export", "articles"),
    )
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with _output(file) as out:
            summary = run_command(_run_export(settings, exporter, out))
    except UnknownSection as exc:
        raise _error(str(exc)) from None
    except OSError as exc:
        raise _error(f"cannot write {file}: {exc.strerror or exc}") from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    _print_export_summary(file, summary, time.perf_counter() - started)


async def _run_export(settings: Settings, exporter: Exporter, out: IO[bytes]) -> ExportSummary:
    # Notes go to stderr, like the summary: stdout may be the archive itself.
    async with command_database(settings, migrate_empty=True, notes_to_stderr=True):
        return await exporter.run(out)


def _print_export_summary(file: str, summary: ExportSummary, elapsed: float) -> None:
    counts = ", ".join(f"{count} {kind}s" for kind, count in summary.counts.items())
    target = "stdout" if file == STDIN else file
    typer.echo(f"export finished: {counts} to {target} in {elapsed:.1f} s", err=True)


def register(app: typer.Typer) -> None:
    """Add the archive commands to the ``gqlnews`` command."""
    app.command("import")(import_command)
    app.command("export")(export_command)
