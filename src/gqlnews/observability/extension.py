"""A Strawberry extension that times each operation under its (bounded) name.

Operation names come from clients, and each distinct label is a new series in ``/metrics``
(kept until the process ends). So a name is its own label only while few are known: the
first :data:`MAX_OPERATION_LABELS` distinct names this process sees (well-formed ones, see
:func:`gqlnews.observability.metrics.operation_label`) keep theirs; every later one, and any
name longer or odder than a plain identifier, counts as ``other``. Real clients send a
handful of names, which they use from the start; a flood of made-up names only grows
``other``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gqlnews.observability import metrics

MAX_OPERATION_LABELS = 200
"""Most distinct operation names one process reports under their own label."""
OTHER = "other"


class OperationLabels:
    """The bounded set of operation labels a process has handed out."""

    def __init__(self, limit: int = MAX_OPERATION_LABELS) -> None:
        self.limit = limit
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str | None) -> str:
        """``name``'s label: itself while there is room (or once known), else ``other``."""
        label = metrics.operation_label(name if isinstance(name, str) else None)
        if label in self._known or label in ("anonymous", OTHER):
            return label
        with self._lock:
            if len(self._known) >= self.limit:
                return OTHER
            self._known.add(label)
        return label


LABELS = OperationLabels()


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        name = LABELS.label(self.execution_context.operation_name)
        metrics.GRAPHQL_REQUESTS.labels(name).inc()
        metrics.GRAPHQL_SECONDS.labels(name).observe(time.perf_counter() - started)
