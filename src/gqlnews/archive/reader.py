"""Open an archive (a file, gzip or not, or standard input) and read it line by line."""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
STDIN = "-"


class UnreadableArchive(OSError):
    """The archive cannot be opened or stops being readable (a truncated gzip file…)."""


@dataclass
class ArchiveReader:
    """Lines of an archive as bytes, numbered from 1, with how far into the input we are.

    gzip is recognised by its magic number, whatever the file is called. ``position`` and
    ``size`` count bytes of the input as stored (compressed bytes for gzip), for a progress bar;
    ``size`` is None for standard input.
    """

    name: str
    _raw: BinaryIO
    _stream: Iterable[bytes]
    size: int | None
    _stack: ExitStack = field(default_factory=ExitStack)

    @classmethod
    def open(cls, source: str) -> ArchiveReader:
        """Open ``source``: a path, or ``-`` for standard input."""
        stack = ExitStack()
        try:
            if source == STDIN:
                raw: BinaryIO = sys.stdin.buffer
                size = None
                name = "<stdin>"
            else:
                path = Path(source)
                raw = stack.enter_context(path.open("rb"))
                size = os.fstat(raw.fileno()).st_size
                name = str(path)
            stream: Iterable[bytes] = raw
            if _peek(raw, 2) == GZIP_MAGIC:
                unzipped = gzip.GzipFile(fileobj=raw, mode="rb")
                stack.callback(unzipped.close)
                stream = unzipped
        except OSError as exc:
            stack.close()
            raise UnreadableArchive(f"cannot read {source}: {exc.strerror or exc}") from exc
        return cls(name, raw, stream, size, stack)

    @property
    def position(self) -> int:
        """Bytes of the stored input consumed so far (0 when it cannot be told)."""
        try:
            return self._raw.tell()
        except OSError:
            return 0

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """``(line number, bytes)`` for every non-blank line."""
        number = 0
        try:
            for raw_line in self._stream:
                number += 1
                if raw_line.strip():
                    yield number, raw_line
        except (OSError, EOFError) as exc:
            raise UnreadableArchive(
                f"{self.name} is unreadable after line {number}: {exc}"
            ) from exc

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _peek(raw: BinaryIO, size: int) -> bytes:
    peek = getattr(raw, "peek", None)
    if peek is not None:
        data: bytes = peek(size)[:size]
        return data
    start = raw.tell()
    data = raw.read(size)
    raw.seek(start)
    return data
