"""How the commands print what they list: a table of columns, times in UTC to the minute."""

from __future__ import annotations

from datetime import UTC, datetime

import typer


def when(value: datetime | None) -> str:
    """A time in a command's table: UTC, to the minute; ``-`` for none."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value else "-"


def table(rows: list[list[str]]) -> None:
    """Print rows (the first is the header) as columns."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
