"""Test helpers: SQL query counting and GraphQL calls through the ASGI app."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

_DB_LOGGER = "tortoise.db_client"

TEST_DATABASE_URL = os.environ.get("GQLNEWS_TEST_DATABASE_URL") or "sqlite://:memory:"
"""Where the tests run: SQLite in memory, or a PostgreSQL URL template ending in ``_{}`` (each
test context then creates and drops its own database). One dialect per process: Tortoise
caches SQL per model, so SQLite and PostgreSQL contexts must not mix in one test run."""


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


class _Collector(logging.Handler):
    def __init__(self, log: QueryLog) -> None:
        super().__init__(logging.DEBUG)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        message = str(record.msg)
        if message.startswith(("Created connection pool", "Closed connection pool")):
            return
        if message == "%s: %s" and record.args:
            message = str(record.args[0])  # type: ignore[index]
        self.log.statements.append(message)


@contextmanager
def count_queries() -> Iterator[QueryLog]:
    """Collect every SQL statement Tortoise sends while the block runs."""
    log = QueryLog()
    logger = logging.getLogger(_DB_LOGGER)
    handler = _Collector(log)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield log
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """POST a query; assert HTTP 200 and return the decoded body."""
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def gql_data(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """POST a query that must succeed; return ``data``."""
    body = await gql(client, query, variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data
