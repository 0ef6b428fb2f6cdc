"""Every change of an article, kept in full, and the outbox of publishing events."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from gqlnews.models.account import User
from gqlnews.models.article import Article


class ArticleRevision(Model):
    """The full content of an article after one change, who made it and when."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name="revisions", on_delete=fields.CASCADE
    )
    article_id: int
    number = fields.IntField()
    """1 for the creation, then one more per change."""
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    user_id: int | None
    action = fields.CharField(max_length=40)
    """What the change was: create, update, submit, publish, schedule, restore…"""
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    content: dict[str, Any] = fields.JSONField()

    class Meta:
        table = "article_revision"
        unique_together = (("article", "number"),)


class PublishEvent(Model):
    """An outbox row per publishing event, written in the transaction that caused it."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=30)
    """published, released (an embargo lifted), unpublished, deleted, restored, refused,
    updated (see :class:`gqlnews.newsroom.events.EventKind`)."""
    article_id = fields.IntField()
    """Kept without a foreign key: the event outlives the article."""
    created_at = fields.DatetimeField(auto_now_add=True)
    payload: dict[str, Any] = fields.JSONField(default=dict)
    announced_at = fields.DatetimeField(null=True)
    """When the event was announced (the ``gqlnews_event`` hook and Redis); None until then:
    the event relay announces it again (see :mod:`gqlnews.newsroom.relay`)."""

    class Meta:
        table = "publish_event"
        indexes = (
            Index(fields=("article_id", "created_at"), name="publish_event_article_idx"),
            Index(fields=("announced_at", "id"), name="publish_event_announced_idx"),
        )
