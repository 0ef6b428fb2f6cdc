"""Errors a client can act on, each with a stable ``extensions.code``."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
TIMEOUT = "TIMEOUT"
"""The request (HTTP 503) or one of its SQL statements ran past its deadline."""
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
"""The database was busy or unreachable; the request may be retried."""


class ClientError(GraphQLError):
    """An error caused by the request, shown to the client as is (never masked)."""

    code = BAD_USER_INPUT

    def __init__(self, message: str, *, code: str | None = None, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code or self.code, **extensions})


PLUGIN_ERROR = "PLUGIN_ERROR"


class PluginFieldError(GraphQLError):
    """A field added by a plugin failed; the rest of the response is still served."""

    def __init__(self, plugin: str, field: str) -> None:
        super().__init__(
            f"the {plugin!r} plugin failed to resolve {field}",
            extensions={"code": PLUGIN_ERROR, "plugin": plugin, "field": field},
        )


class BadUserInput(ClientError):
    """An argument has a value that is not allowed; the message says what is."""

    code = BAD_USER_INPUT
