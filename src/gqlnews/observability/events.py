"""Metrics of the publishing events' outbox (kept apart from the ``/metrics`` endpoint, so that
the newsroom does not import the web layer)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

EVENTS_ANNOUNCED = Counter(
    "gqlnews_events_announced_total",
    "Publishing events announced: right after their commit (commit) or by the relay (relay).",
    ["path"],
)
EVENTS_FAILED = Counter(
    "gqlnews_events_announce_failures_total",
    "Announces that failed (a core consumer such as Redis did not take the event); the relay "
    "announces those events again.",
)
EVENTS_PENDING = Gauge(
    "gqlnews_events_pending",
    "Outbox events not announced yet, as the last relay round counted them.",
    multiprocess_mode="max",
)
EVENTS_PRUNED = Counter(
    "gqlnews_events_pruned_total",
    "Announced outbox events deleted after GQLNEWS_EVENT_RETENTION_DAYS.",
)
