"""``gqlnews picks …`` and ``gqlnews slots …``: set, list and clear the editors' choices.

Each command opens the database like the core's commands do (the plugins' model apps
included) and refuses to run on a database that is behind its migrations. Bad input (an
unknown slug, a malformed slot name, a window that has ended) is reported on stderr with exit
code 2, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, cast

import typer

from gqlnews.api import run_on_database

if TYPE_CHECKING:
    from gqlnews.api import Article
    from gqlnews_editorial.models import Pick, Slot

# ``gqlnews --help`` imports this module to list ``picks`` and ``slots``: the service, the
# models and the rules (Tortoise) are imported when a command runs.


def parse_instant(value: str) -> datetime:
    """An ISO 8601 date-time; without an offset it is taken as UTC."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO 8601 date-time, e.g. 2026-12-01T18:00+01:00"
        ) from None
    return instant if instant.utcoffset() is not None else instant.replace(tzinfo=UTC)


Starts = Annotated[
    datetime | None,
    typer.Option(
        "--starts",
        parser=parse_instant,
        metavar="ISO",
        help="Show from this date-time (ISO 8601; UTC unless an offset is given).",
    ),
]
Expires = Annotated[
    datetime | None,
    typer.Option(
        "--expires",
        parser=parse_instant,
        metavar="ISO",
        help="Hide from this date-time on (ISO 8601; UTC unless an offset is given).",
    ),
]


def _run(ctx: typer.Context, work: Callable[[], Awaitable[None]]) -> None:
    """Run ``work`` on the database of the command's settings; bad input exits with 2."""
    from gqlnews.api import Refused

    run_on_database(ctx.obj, work, refused=(Refused,))


def _window(starts_at: datetime | None, expires_at: datetime | None) -> str:
    parts = []
    if starts_at is not None:
        parts.append(f"from {starts_at.isoformat()}")
    if expires_at is not None:
        parts.append(f"until {expires_at.isoformat()}")
    return " ".join(parts)


async def _states(rows: list[Pick] | list[Slot], now: datetime) -> list[str]:
    """For each row: ``shown``, or why a reader does not see it now."""
    from gqlnews.api import visible_articles
    from gqlnews_editorial.rules import window_state

    if not rows:
        return []
    ids = {row.article_id for row in rows}
    visible = set(
        cast(
            list[int],
            await visible_articles(now=now).filter(id__in=list(ids)).values_list("id", flat=True),
        )
    )
    states = []
    for row in rows:
        state = window_state(row.starts_at, row.expires_at, now)
        if state != "current":
            states.append(state)
        elif row.article_id not in visible:
            states.append("article not visible to readers")
        else:
            states.append("shown")
    return states


def _line(label: str, article: Article, window: str, state: str) -> str:
    return "  ".join(part for part in (label, article.slug, window, f"[{state}]") if part)


async def _echo_picks(now: datetime) -> None:
    from gqlnews_editorial import service

    picks = await service.list_picks()
    if not picks:
        typer.echo("no picks")
    for pick, state in zip(picks, await _states(picks, now), strict=True):
        window = _window(pick.starts_at, pick.expires_at)
        typer.echo(_line(f"{pick.position + 1}.", pick.article, window, state))


async def _echo_slots(now: datetime) -> None:
    from gqlnews_editorial import service

    slots = await service.list_slots()
    if not slots:
        typer.echo("no slots")
    for slot, state in zip(slots, await _states(slots, now), strict=True):
        window = _window(slot.starts_at, slot.expires_at)
        typer.echo(_line(slot.name, slot.article, window, state))


def picks_set(
    ctx: typer.Context,
    slugs: Annotated[list[str], typer.Argument(metavar="SLUG", help="Articles, in order.")],
    starts: Starts = None,
    expires: Expires = None,
) -> None:
    """Replace the editors' picks by these articles, in this order."""

    async def work() -> None:
        from gqlnews_editorial import service

        now = datetime.now(UTC)
        articles = await service.find_articles(slugs)
        await service.set_picks(articles, starts_at=starts, expires_at=expires, now=now)
        await _echo_picks(now)

    _run(ctx, work)


def picks_list(ctx: typer.Context) -> None:
    """List the picks in order, with their window and whether readers see them now."""
    _run(ctx, lambda: _echo_picks(datetime.now(UTC)))


def picks_clear(ctx: typer.Context) -> None:
    """Remove every pick."""

    async def work() -> None:
        from gqlnews_editorial import service

        typer.echo(f"removed {await service.clear_picks()} pick(s)")

    _run(ctx, work)


def slots_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Slot name, e.g. une-principale.")],
    slug: Annotated[str, typer.Argument(help="The article to put in it.")],
    starts: Starts = None,
    expires: Expires = None,
) -> None:
    """Put an article in a named front-page slot (replacing what it held)."""

    async def work() -> None:
        from gqlnews_editorial import service
        from gqlnews_editorial.rules import check_slot_name

        now = datetime.now(UTC)
        check_slot_name(name)
        [article] = await service.find_articles([slug])
        await service.set_slot(name, article, starts_at=starts, expires_at=expires, now=now)
        await _echo_slots(now)

    _run(ctx, work)


def slots_list(ctx: typer.Context) -> None:
    """List the slots by name, with their article, window and whether readers see them now."""
    _run(ctx, lambda: _echo_slots(datetime.now(UTC)))


def slots_clear(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The slot to empty.")],
) -> None:
    """Empty a named slot."""

    async def work() -> None:
        from gqlnews_editorial import service

        await service.clear_slot(name, missing_ok=False)
        typer.echo(f"slot {name} cleared")

    _run(ctx, work)


def register(cli: typer.Typer) -> None:
    """Add ``picks`` and ``slots`` to the root ``gqlnews`` command."""
    picks = typer.Typer(
        help="The editors' picks: an ordered list of articles.", rich_markup_mode=None
    )
    picks.command("set")(picks_set)
    picks.command("list")(picks_list)
    picks.command("clear")(picks_clear)
    slots = typer.Typer(
        help="Named front-page slots (une-principale…): one article each.",
        rich_markup_mode=None,
    )
    slots.command("set")(slots_set)
    slots.command("list")(slots_list)
    slots.command("clear")(slots_clear)
    cli.add_typer(picks, name="picks", no_args_is_help=True)
    cli.add_typer(slots, name="slots", no_args_is_help=True)
