"""``/metrics``: every metric of :mod:`gqlnews.observability.metrics` in the Prometheus text
format, aggregated over the worker processes when there are several (``MULTIPROC_ENV``), with
the database connections counted at each scrape."""

from __future__ import annotations

import contextlib
import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from starlette.requests import Request
from starlette.responses import Response

from gqlnews import db
from gqlnews.observability.metrics import DB_POOL_SIZE, MULTIPROC_ENV


def _registry() -> CollectorRegistry | None:
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return None


def observe_pool(client: object) -> None:
    """Record the PostgreSQL connections of a database client, its pool's and its read
    lane's (no-op for other backends)."""
    counts = getattr(client, "connection_counts", None)
    if callable(counts):
        size, idle = counts()
        DB_POOL_SIZE.labels("idle").set(idle)
        DB_POOL_SIZE.labels("busy").set(size - idle)


async def metrics_endpoint(request: Request) -> Response:
    """``/metrics`` in the Prometheus text format."""
    with contextlib.suppress(Exception):  # no pool (SQLite) or not open: nothing to report
        observe_pool(db.connection())
    registry = _registry()
    body = generate_latest(registry) if registry is not None else generate_latest()
    return Response(body, media_type=CONTENT_TYPE_LATEST)
