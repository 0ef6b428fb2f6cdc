"""Prometheus metrics, correct with several worker processes: the counters, gauges and
histograms the code records into (``/metrics`` itself is :mod:`gqlnews.observability.endpoint`,
so that recording a metric needs neither Starlette nor the database).

With more than one worker, ``gqlnews serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a shared
folder; every process then writes its samples there and ``/metrics`` (answered by any worker)
aggregates all of them. With one process the default in-memory registry is used.
"""

from __future__ import annotations

import re

from prometheus_client import Counter, Gauge, Histogram

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")

GRAPHQL_REQUESTS = Counter(
    "gqlnews_graphql_requests_total", "GraphQL operations served.", ["operation"]
)
GRAPHQL_SECONDS = Histogram(
    "gqlnews_graphql_request_seconds",
    "Time to execute a GraphQL operation (parse, validate, execute).",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
GRAPHQL_ERRORS = Counter(
    "gqlnews_graphql_errors_total", "Errors returned to clients, by extensions.code.", ["code"]
)
GRAPHQL_COST = Histogram(
    "gqlnews_graphql_query_cost",
    'Static cost of the GraphQL operations analysed (see docs/api.md, "Query cost").',
    buckets=(10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000),
)
GRAPHQL_REFUSED = Counter(
    "gqlnews_graphql_refused_total",
    "Operations refused before running: cost (over the maximum) or complexity (validation bound).",
    ["reason"],
)
GRAPHQL_PLANS = Counter(
    "gqlnews_graphql_plans_total",
    "Operations run as plans (planned), given back to execution "
    "at run time (fallback), or executed after a fault of the planner (error, logged); "
    "see docs/plans.md.",
    ["outcome"],
)
SQL_PER_REQUEST = Histogram(
    "gqlnews_sql_queries_per_request",
    "SQL statements sent while serving one HTTP request.",
    buckets=(0, 1, 2, 4, 8, 12, 16, 24, 32, 64, 128),
)
HTTP_REQUESTS = Counter(
    "gqlnews_http_requests_total", "HTTP requests by route and status.", ["route", "status"]
)
DB_POOL_SIZE = Gauge(
    "gqlnews_db_pool_connections",
    "PostgreSQL connections (the pool and the read lane), by state.",
    ["state"],
    multiprocess_mode="livesum",
)
IMPORT_ARTICLES = Counter(
    "gqlnews_import_articles_total",
    "Articles handled by `gqlnews import`, by outcome.",
    ["outcome"],
)
SCHEDULER_ACTIONS = Counter(
    "gqlnews_scheduler_actions_total",
    "Articles the scheduler acted on, by event (published, released, refused).",
    ["event"],
)
CACHE_REQUESTS = Counter(
    "gqlnews_cache_requests_total",
    "GraphQL requests seen by the response cache: hit (by tier), miss, or bypass (why).",
    ["result", "tier"],
)
CACHE_PURGES = Counter(
    "gqlnews_cache_purges_total",
    "Purges handled, by where they came from (this process, or another through Redis).",
    ["origin"],
)
CACHE_PURGED = Counter(
    "gqlnews_cache_purged_entries_total", "Stored answers dropped by purges, by tier.", ["tier"]
)
CACHE_EVICTIONS = Counter(
    "gqlnews_cache_evictions_total", "Answers evicted from the in-process tier to stay in size."
)
CACHE_BYTES = Gauge(
    "gqlnews_cache_bytes",
    "Bytes of answers held by the in-process tier (summed over live processes).",
    multiprocess_mode="livesum",
)
CACHE_ENTRIES = Gauge(
    "gqlnews_cache_entries",
    "Answers held by the in-process tier (summed over live processes).",
    multiprocess_mode="livesum",
)
CACHE_DEGRADED = Gauge(
    "gqlnews_cache_degraded",
    "1 while Redis is configured but unreachable (short lifetimes, in-process tier only).",
    multiprocess_mode="max",
)
WEBHOOK_ATTEMPTS = Counter(
    "gqlnews_webhook_attempts_total",
    "Webhook delivery attempts, by outcome: delivered (2xx), rejected (another status), "
    "error (no answer: timeout, refused address, connection error).",
    ["outcome"],
)
WEBHOOK_ENDPOINTS_DISABLED = Counter(
    "gqlnews_webhook_endpoints_disabled_total",
    "Webhook endpoints disabled because their attempts failed for "
    "GQLNEWS_WEBHOOK_DISABLE_AFTER_HOURS.",
)


def operation_label(name: str | None) -> str:
    """A bounded label for an operation name: clients choose names, so odd ones collapse."""
    if not name:
        return "anonymous"
    return name if _OPERATION_NAME.match(name) else "other"
