"""``gqlnews views import FILE``: historical view counts from a ninjs archive."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from gqlnews.api import Settings, run_on_database

if TYPE_CHECKING:
    from gqlnews.api import ArchiveReader
    from gqlnews_ranking.history import ImportSummary

# ``gqlnews --help`` imports this module to list ``views``: the archive reader and the history
# (Tortoise, the models) are imported when the command runs.

views_app = typer.Typer(
    help="Reading statistics of the ranking plugin.", no_args_is_help=True, rich_markup_mode=None
)


def _moment(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM:SSZ)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@views_app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A .jsonl or .jsonl.gz archive, or - for stdin.")
    ],
    cutoff: Annotated[
        str | None,
        typer.Option(
            metavar="DATE|DATETIME",
            help="When the archive's counts stop (UTC unless a zone is given); no view is "
            "placed at or after it. Default: now.",
        ),
    ] = None,
) -> None:
    """Import the articles' view counts (gqlnews.views) as bucketed history for the rankings.

    Articles are matched by uri, else by slug; import the archive itself first. Each total is
    spread over the article's first week, halving each day. Running it again replaces the
    imported counts (never adds them twice); live counts are kept. One transaction.

    Exit code: 0 all read, 1 some lines failed (the others were imported), 2 unreadable file.
    """
    from gqlnews.api import ArchiveReader, UnreadableArchive

    settings: Settings = ctx.obj
    until = _moment(cutoff)
    try:
        reader = ArchiveReader.open(file)
    except UnreadableArchive as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    with reader:
        try:
            summary = run_on_database(settings, lambda: _run(reader, until))
        except UnreadableArchive as exc:
            typer.echo(f"error: {exc} (nothing imported)", err=True)
            raise typer.Exit(2) from None
    _print(reader.name, summary)
    raise typer.Exit(1 if summary.failures else 0)


async def _run(reader: ArchiveReader, until: datetime) -> ImportSummary:
    from gqlnews_ranking.history import import_views

    return await import_views(reader, until)


def _print(name: str, summary: ImportSummary) -> None:
    for failure in summary.failures:
        typer.echo(f"failed: {failure}", err=True)
    typer.echo(
        f"views imported from {name}: {summary.views} views of {summary.articles} articles "
        f"in {summary.buckets} hourly buckets"
    )
    if summary.missing:
        typer.echo(
            f"  {summary.missing} articles are not in the database (run `gqlnews import` first)"
        )
    if summary.unplaced:
        typer.echo(
            f"  {summary.unplaced} articles with views were not published before the cut-off"
        )
    if summary.failures:
        typer.echo(f"  {len(summary.failures)} lines failed")
