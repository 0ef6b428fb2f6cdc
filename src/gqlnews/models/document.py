"""Trusted GraphQL documents: the registry every server process reads (see
:mod:`gqlnews.documents`)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PersistedDocument(Model):
    """A GraphQL document registered with ``gqlnews documents add``, validated against the
    schema then, and named by the SHA-256 of its exact text."""

    id = fields.IntField(primary_key=True)
    sha256 = fields.CharField(max_length=64, unique=True)
    """SHA-256 of the text as registered (its UTF-8 bytes), lower-case hex."""
    text = fields.TextField()
    operation_names = fields.JSONField[list[str]](default=list)
    """Names of the operations the document defines (an anonymous one has none)."""
    source = fields.CharField(max_length=200, default="")
    """Where it came from: the file or manifest it was added from."""
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "persisted_document"
