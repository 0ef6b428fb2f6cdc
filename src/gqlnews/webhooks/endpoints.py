"""Registering, listing, removing and re-enabling webhook endpoints (the CLI and the GraphQL
mutations both call these; who may is their business: admins only).

A new endpoint gets a signing secret (``whsec_`` and 32 random bytes in base64, the Standard
Webhooks format), returned once: it is stored to sign each delivery, and never shown again.
It receives the events written after its registration only.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from gqlnews.models import PublishEvent, Section, WebhookDelivery, WebhookEndpoint
from gqlnews.newsroom.events import EventKind
from gqlnews.newsroom.problems import Code, Problems, Refused, refuse
from gqlnews.webhooks.addresses import AddressRefused, Resolver, parse_url, resolve, system_resolver

PUBLIC_EVENTS = (
    EventKind.PUBLISHED,
    EventKind.RELEASED,
    EventKind.UPDATED,
    EventKind.UNPUBLISHED,
    EventKind.DELETED,
    EventKind.RESTORED,
)
"""What an endpoint receives when no events are named (every kind but ``refused``)."""
MAX_DESCRIPTION = 200


@dataclass(frozen=True, slots=True)
class Registered:
    endpoint: WebhookEndpoint
    secret: str
    """The signing secret: shown once."""


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def event_kinds(names: Sequence[str]) -> list[str]:
    """``names`` as event kinds (lower case, deduplicated, in the order of
    :class:`EventKind`); :class:`Refused` names the unknown ones."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    known = {kind.value for kind in EventKind}
    unknown = sorted(wanted - known)
    if unknown:
        raise refuse(
            "events",
            Code.INVALID,
            f"unknown event {unknown[0]!r} (known: {', '.join(k.value for k in EventKind)})",
        )
    if not wanted:
        raise refuse("events", Code.REQUIRED, "name at least one event")
    return [kind.value for kind in EventKind if kind.value in wanted]


async def register(
    url: str,
    events: Sequence[str] = (),
    sections: Sequence[str] = (),
    description: str = "",
    *,
    created_by_id: int | None,
    allow_private: bool,
    resolver: Resolver = system_resolver,
) -> Registered:
    """Check and store a new endpoint (``events`` empty: :data:`PUBLIC_EVENTS`; ``sections``
    are slugs, empty: every article); :class:`Refused` with every problem found."""
    problems = Problems()
    kinds: list[str] = []
    try:
        kinds = event_kinds(events) if events else [k.value for k in PUBLIC_EVENTS]
    except Refused as refused:
        problems.found.extend(refused.problems)
    try:
        await resolve(parse_url(url.strip()), allow_private, resolver)
    except AddressRefused as exc:
        problems.add("url", Code.INVALID, str(exc))
    wanted = list(dict.fromkeys(s.strip() for s in sections if s.strip()))
    found = dict(await Section.filter(slug__in=wanted).values_list("slug", "id")) if wanted else {}
    for slug in wanted:
        if slug not in found:
            problems.add("sections", Code.NOT_FOUND, f"no section {slug!r}")
    if len(description) > MAX_DESCRIPTION:
        problems.add("description", Code.TOO_LONG, f"at most {MAX_DESCRIPTION} characters")
    if problems:
        raise Refused(problems.found)
    secret = new_secret()
    endpoint = await WebhookEndpoint.create(
        url=url.strip(),
        description=description.strip(),
        events=kinds,
        section_ids=[int(found[slug]) for slug in wanted],
        secret=secret,
        last_event_id=await newest_event_id(),
        created_by_id=created_by_id,
    )
    return Registered(endpoint, secret)


async def newest_event_id() -> int:
    """The id of the newest event in the outbox (0: none yet)."""
    newest = await PublishEvent.all().order_by("-id").first().values_list("id", flat=True)
    return int(newest) if isinstance(newest, int) else 0


async def get(endpoint_id: int) -> WebhookEndpoint:
    endpoint = await WebhookEndpoint.get_or_none(id=endpoint_id)
    if endpoint is None:
        raise refuse("id", Code.NOT_FOUND, f"no webhook endpoint {endpoint_id}")
    return endpoint


async def remove(endpoint_id: int) -> None:
    """Delete an endpoint with its deliveries and their attempts."""
    if not await WebhookEndpoint.filter(id=endpoint_id).delete():
        raise refuse("id", Code.NOT_FOUND, f"no webhook endpoint {endpoint_id}")


async def enable(endpoint_id: int) -> WebhookEndpoint:
    """Turn a disabled endpoint back on: its pending deliveries are attempted again, and it
    receives the events written from now on (not those written while it was disabled)."""
    endpoint = await get(endpoint_id)
    if endpoint.enabled:
        return endpoint
    endpoint.enabled = True
    endpoint.disabled_reason = ""
    endpoint.disabled_at = None
    endpoint.failing_since = None
    endpoint.last_event_id = await newest_event_id()
    fields = ["enabled", "disabled_reason", "disabled_at", "failing_since", "last_event_id"]
    await endpoint.save(update_fields=fields)
    return endpoint


async def section_slugs(endpoints: Sequence[WebhookEndpoint]) -> dict[int, str]:
    """Section id → slug for the filters of ``endpoints`` (one statement)."""
    ids = {i for e in endpoints for i in e.section_ids}
    return dict(await Section.filter(id__in=ids).values_list("id", "slug")) if ids else {}


async def deliveries(
    endpoint_id: int, limit: int, status: str | None = None
) -> list[WebhookDelivery]:
    """The newest ``limit`` deliveries of an endpoint, with their attempts (two statements)."""
    await get(endpoint_id)
    query = WebhookDelivery.filter(endpoint_id=endpoint_id)
    if status is not None:
        query = query.filter(status=status)
    return list(await query.order_by("-event_id").limit(limit).prefetch_related("attempt_rows"))
