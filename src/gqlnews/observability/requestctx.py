"""What the current request is: its id and how many SQL queries it has sent so far.

Both live in context variables, so tasks spawned while serving a request (DataLoader batches)
count towards it, and nothing leaks between concurrent requests.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


@dataclass(slots=True)
class RequestState:
    request_id: str
    sql_queries: int = 0


current: ContextVar[RequestState | None] = ContextVar("gqlnews_request", default=None)


def new_request_id(incoming: str | None = None) -> str:
    """Reuse a well-formed id sent by a proxy (X-Request-ID), else make one."""
    if incoming and _SAFE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def count_statement(message: str) -> None:
    """Count a statement Tortoise's client logs (``message``, its first argument) against the
    running request, if any (the clients' ``log``: :mod:`gqlnews.db_clients.statement_log`);
    a connection pool's "Created"/"Closed" lines are not statements."""
    state = current.get()
    if state is not None and not message.startswith(("Created", "Closed")):
        state.sql_queries += 1


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        state = current.get()
        record.request_id = state.request_id if state else "-"
        return True
