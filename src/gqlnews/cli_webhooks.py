"""``gqlnews webhooks …``: register, list and remove webhook endpoints and look at their
deliveries from the command line (see docs/webhooks.md). Bad input ends a command with a
message and exit code 2."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from gqlnews.cli_tables import table, when
from gqlnews.command_database import run_on_database
from gqlnews.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from gqlnews.newsroom.problems import Refused
from gqlnews.settings import Settings
from gqlnews.webhooks import endpoints

webhooks_app = typer.Typer(
    help="Webhook endpoints: add, list, remove, enable; their deliveries.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

T = TypeVar("T")


def _run(ctx: typer.Context, work: Callable[[], Awaitable[T]]) -> T:
    return run_on_database(ctx.obj, work, refused=(Refused,))


@webhooks_app.command("add")
def webhooks_add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="Where to POST the events (http or https).")],
    event: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            help="An event kind to send (repeat it); default: all but refused.",
        ),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option("--section", help="Only articles of this section slug (repeat it)."),
    ] = None,
    description: Annotated[str, typer.Option(help="What the endpoint is for.")] = "",
) -> None:
    """Register an endpoint and print its signing secret, once."""
    settings: Settings = ctx.obj

    async def add() -> endpoints.Registered:
        return await endpoints.register(
            url,
            event or (),
            section or (),
            description,
            created_by_id=None,
            allow_private=settings.webhook_allow_private,
        )

    registered = _run(ctx, add)
    typer.echo(registered.secret)
    typer.echo(
        f"webhook endpoint {registered.endpoint.pk} for {registered.endpoint.url} "
        f"({', '.join(registered.endpoint.events)}). Give the secret above to the receiver "
        "now: it cannot be shown again.",
        err=True,
    )


@webhooks_app.command("list")
def webhooks_list(ctx: typer.Context) -> None:
    """List every endpoint (never their secrets)."""

    async def fetch() -> tuple[list[WebhookEndpoint], dict[int, str]]:
        rows = list(await WebhookEndpoint.all().order_by("id"))
        return rows, await endpoints.section_slugs(rows)

    found, slugs = _run(ctx, fetch)
    if not found:
        typer.echo("no webhook endpoints: add one with `gqlnews webhooks add URL`")
        return
    rows = [["ID", "URL", "EVENTS", "SECTIONS", "STATE", "CREATED"]]
    for e in found:
        state = "enabled" if e.enabled else f"disabled: {e.disabled_reason}"
        sections = ",".join(slugs.get(i, "?") for i in e.section_ids) or "all"
        rows.append([str(e.pk), e.url, ",".join(e.events), sections, state, when(e.created_at)])
    table(rows)


@webhooks_app.command("remove")
def webhooks_remove(
    ctx: typer.Context, endpoint: Annotated[int, typer.Argument(help="The endpoint's ID.")]
) -> None:
    """Delete an endpoint with its deliveries."""
    _run(ctx, lambda: endpoints.remove(endpoint))
    typer.echo(f"webhook endpoint {endpoint} removed")


@webhooks_app.command("enable")
def webhooks_enable(
    ctx: typer.Context, endpoint: Annotated[int, typer.Argument(help="The endpoint's ID.")]
) -> None:
    """Turn a disabled endpoint back on."""
    _run(ctx, lambda: endpoints.enable(endpoint))
    typer.echo(f"webhook endpoint {endpoint} enabled")


@webhooks_app.command("deliveries")
def webhooks_deliveries(
    ctx: typer.Context,
    endpoint: Annotated[int, typer.Argument(help="The endpoint's ID.")],
    status: Annotated[DeliveryStatus | None, typer.Option(help="Only these.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="The newest this many.")] = 20,
) -> None:
    """The endpoint's newest deliveries, with their last attempt."""
    found: list[WebhookDelivery] = _run(
        ctx, lambda: endpoints.deliveries(endpoint, limit, status.value if status else None)
    )
    if not found:
        typer.echo(f"no deliveries for webhook endpoint {endpoint}")
        return
    rows = [["EVENT", "KIND", "ARTICLE", "STATUS", "ATTEMPTS", "NEXT", "LAST ATTEMPT"]]
    for d in found:
        attempts = sorted(d.attempt_rows, key=lambda a: a.number)
        last = attempts[-1] if attempts else None
        outcome = "-"
        if last is not None:
            outcome = f"{last.status_code or '-'} {last.duration_ms} ms {last.error}".strip()
        pending = d.status is DeliveryStatus.PENDING
        rows.append(
            [
                str(d.event_id),
                d.event_kind,
                str(d.article_id),
                d.status.value,
                str(d.attempts),
                when(d.next_attempt_at) if pending else "-",
                outcome,
            ]
        )
    table(rows)


def register(app: typer.Typer) -> None:
    """Add ``webhooks`` to the ``gqlnews`` command."""
    app.add_typer(webhooks_app, name="webhooks")
