"""Webhook endpoints (each with its cursor in the outbox), their deliveries (one per endpoint
and outbox event) and each delivery's attempts."""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from gqlnews.models.account import User
from gqlnews.models.enums import DeliveryStatus


class WebhookEndpoint(Model):
    """A URL an admin registered to be told about publishing events."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=2000)
    description = fields.CharField(max_length=200, default="")
    events: list[str] = fields.JSONField(default=list)
    """The event kinds sent to it (``published``, ``released``…)."""
    section_ids: list[int] = fields.JSONField(default=list)
    """Only events of articles in one of these sections; empty: every article."""
    secret = fields.CharField(max_length=100)
    """The signing secret (``whsec_…``), kept to sign each delivery; shown once, at creation."""
    enabled = fields.BooleanField(default=True)
    disabled_reason = fields.TextField(default="")
    disabled_at = fields.DatetimeField(null=True)
    failing_since = fields.DatetimeField(null=True)
    """The first failed attempt since its last success (None: not failing)."""
    last_event_id = fields.BigIntField(default=0)
    """Its cursor in the outbox: events up to this id have been turned into deliveries for it
    (or happened before it was registered, or while it was disabled)."""
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    deliveries: fields.ReverseRelation[WebhookDelivery]

    class Meta:
        table = "webhook_endpoint"


class WebhookDelivery(Model):
    """One outbox event to send to one endpoint, until it is delivered or given up."""

    id = fields.BigIntField(primary_key=True)
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "models.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    endpoint_id: int
    event_id = fields.BigIntField()
    event_kind = fields.CharField(max_length=30)
    article_id = fields.IntField()
    body = fields.TextField()
    """The JSON sent, fixed when the delivery was made (each attempt sends the same bytes)."""
    status = fields.CharEnumField(DeliveryStatus, max_length=12, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    created_at = fields.DatetimeField()
    next_attempt_at = fields.DatetimeField()
    lease_until = fields.DatetimeField(null=True)
    """While an attempt is in flight: no other process may claim it before this time."""
    claim = fields.CharField(max_length=32, null=True)
    """Who holds the lease (a random token per claim)."""
    delivered_at = fields.DatetimeField(null=True)
    attempt_rows: fields.ReverseRelation[WebhookAttempt]

    class Meta:
        table = "webhook_delivery"
        unique_together = (("endpoint", "event_id"),)
        indexes = (Index(fields=("status", "next_attempt_at"), name="webhook_delivery_due_idx"),)


class WebhookAttempt(Model):
    """One HTTP request of a delivery and what came of it."""

    id = fields.BigIntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[WebhookDelivery] = fields.ForeignKeyField(
        "models.WebhookDelivery",
        related_name="attempt_rows",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    delivery_id: int
    number = fields.IntField()
    at = fields.DatetimeField()
    status_code = fields.IntField(null=True)
    """The HTTP status answered (None: no answer: refused address, timeout, connection error)."""
    duration_ms = fields.IntField()
    response_excerpt = fields.TextField(default="")
    error = fields.TextField(default="")

    class Meta:
        table = "webhook_attempt"
