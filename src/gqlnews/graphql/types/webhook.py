"""Webhook endpoints, deliveries and attempts, as admins see them (never the secret)."""

from datetime import datetime

import strawberry

from gqlnews.models import DeliveryStatus
from gqlnews.models import WebhookAttempt as AttemptModel
from gqlnews.models import WebhookDelivery as DeliveryModel
from gqlnews.models import WebhookEndpoint as EndpointModel

strawberry.enum(
    DeliveryStatus,
    description=(
        "PENDING: not delivered yet (waiting for its next attempt); DELIVERED: answered 2xx; "
        "FAILED: given up after GQLNEWS_WEBHOOK_RETRY_HOURS of failed attempts."
    ),
)


@strawberry.type(description="A URL told about publishing events (admins only).")
class WebhookEndpoint:
    id: int = strawberry.field(description="Its number (as `gqlnews webhooks list` shows).")
    url: str
    description: str
    events: list[str] = strawberry.field(
        description="The event kinds it receives: published, released, updated, unpublished, "
        "deleted, restored, refused."
    )
    sections: list[str] = strawberry.field(
        description="Slugs of the sections it is limited to; empty: every article."
    )
    enabled: bool = strawberry.field(
        description="False once disabled (after GQLNEWS_WEBHOOK_DISABLE_AFTER_HOURS of failures)."
    )
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None = strawberry.field(
        description="The first failed attempt since its last success; null: not failing."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, m: EndpointModel, slugs: dict[int, str]) -> "WebhookEndpoint":
        return cls(
            id=m.pk,
            url=m.url,
            description=m.description,
            events=list(m.events),
            sections=[slugs[i] for i in m.section_ids if i in slugs],
            enabled=m.enabled,
            disabled_reason=m.disabled_reason or None,
            disabled_at=m.disabled_at,
            failing_since=m.failing_since,
            created_at=m.created_at,
        )


@strawberry.type(description="One HTTP request of a webhook delivery.")
class WebhookAttempt:
    number: int
    at: datetime
    status_code: int | None = strawberry.field(
        description="The HTTP status answered; null: no answer (timeout, refused address…)."
    )
    duration_ms: int
    response_excerpt: str = strawberry.field(description="The answer's first KiB.")
    error: str | None

    @classmethod
    def from_model(cls, m: AttemptModel) -> "WebhookAttempt":
        return cls(
            number=m.number,
            at=m.at,
            status_code=m.status_code,
            duration_ms=m.duration_ms,
            response_excerpt=m.response_excerpt,
            error=m.error or None,
        )


@strawberry.type(description="One outbox event to send to one endpoint, and its attempts.")
class WebhookDelivery:
    id: int
    event_id: int = strawberry.field(description="The outbox event (webhook-id is built on it).")
    event_kind: str
    article_id: int
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried again; null once delivered or failed."
    )
    delivered_at: datetime | None
    attempts: list[WebhookAttempt] = strawberry.field(description="Oldest first.")

    @classmethod
    def from_model(cls, m: DeliveryModel) -> "WebhookDelivery":
        rows = sorted(m.attempt_rows, key=lambda a: a.number)
        return cls(
            id=m.pk,
            event_id=m.event_id,
            event_kind=m.event_kind,
            article_id=m.article_id,
            status=m.status,
            attempt_count=m.attempts,
            next_attempt_at=m.next_attempt_at if m.status is DeliveryStatus.PENDING else None,
            delivered_at=m.delivered_at,
            attempts=[WebhookAttempt.from_model(a) for a in rows],
        )
