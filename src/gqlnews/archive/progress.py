"""Progress for long archive commands: a rich bar on a terminal, plain lines otherwise.

Everything goes to standard error, so standard output stays free for data (``export -``) and
for the final summary. Notes (bad lines) are printed in every mode, above the bar when there is
one.
"""

from __future__ import annotations

import sys
import time
from typing import Literal, Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress

ProgressMode = Literal["auto", "bar", "plain", "off"]


class Progress(Protocol):
    """What the importer and exporter report while they work."""

    def start(self, total: int | None) -> None:
        """Work begins; ``total`` in the unit of ``completed`` (bytes, articles), if known."""

    def update(self, completed: int, items: int, detail: str) -> None:
        """``completed`` of ``total`` done, ``items`` handled, a short ``detail`` (counts)."""

    def note(self, text: str) -> None:
        """A message that must be seen (a bad line)."""

    def stop(self) -> None:
        """Work ended (normally or not)."""


class SilentProgress:
    """No progress; notes still go to ``stream`` (or nowhere when it is None)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def start(self, total: int | None) -> None:
        pass

    def update(self, completed: int, items: int, detail: str) -> None:
        pass

    def note(self, text: str) -> None:
        if self.stream is not None:
            print(text, file=self.stream, flush=True)

    def stop(self) -> None:
        pass


class PlainProgress(SilentProgress):
    """One line per update, at most every ``interval`` seconds (and always the first and last):
    ``import: 1500 lines (42%), 310.2/s: created 1200, updated 0, skipped 300, failed 0``."""

    def __init__(self, stream: TextIO, label: str, unit: str, interval: float = 1.0) -> None:
        super().__init__(stream)
        self.label = label
        self.unit = unit
        self.interval = interval
        self._total: int | None = None
        self._started = 0.0
        self._last_print: float | None = None
        self._last_line = ""
        self._pending = ""

    def start(self, total: int | None) -> None:
        self._total = total
        self._started = time.monotonic()

    def update(self, completed: int, items: int, detail: str) -> None:
        now = time.monotonic()
        elapsed = max(now - self._started, 1e-9)
        share = f" ({min(completed * 100 // self._total, 100)}%)" if self._total else ""
        line = f"{self.label}: {items} {self.unit}{share}, {items / elapsed:.1f} {self.unit}/s"
        if detail:
            line += f": {detail}"
        if self._last_print is None or now - self._last_print >= self.interval:
            self._emit(line)
            self._last_print = now
            self._pending = ""
        else:
            self._pending = line

    def _emit(self, line: str) -> None:
        if line != self._last_line:
            print(line, file=self.stream, flush=True)
            self._last_line = line

    def stop(self) -> None:
        if self._pending:
            self._emit(self._pending)
            self._pending = ""


class BarProgress:
    """A rich progress bar on the terminal of ``console``."""

    def __init__(self, console: Console, label: str, unit: str) -> None:
        self.console = console
        self.label = label
        self.unit = unit
        self._bar = RichProgress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[items]} " + unit),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console,
        )
        self._task: TaskID | None = None

    def start(self, total: int | None) -> None:
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=total, items=0, detail="")

    def update(self, completed: int, items: int, detail: str) -> None:
        if self._task is not None:
            self._bar.update(self._task, completed=completed, items=items, detail=detail)

    def note(self, text: str) -> None:
        self._bar.console.print(text, markup=False, highlight=False)

    def stop(self) -> None:
        self._bar.stop()


def make_progress(
    mode: ProgressMode, label: str, unit: str, stream: TextIO | None = None
) -> Progress:
    """The progress for ``mode``; ``auto`` draws a bar only when ``stream`` is a terminal."""
    out = stream if stream is not None else sys.stderr
    if mode == "off":
        return SilentProgress(out)
    if mode == "plain":
        return PlainProgress(out, label, unit)
    console = Console(file=out)
    if mode == "bar" or console.is_terminal:
        return BarProgress(console, label, unit)
    return PlainProgress(out, label, unit)
