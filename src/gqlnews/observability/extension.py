"""A Strawberry extension that times each operation under its (bounded) name."""

from __future__ import annotations

import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gqlnews.observability import metrics


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        name = metrics.operation_label(self.execution_context.operation_name)
        metrics.GRAPHQL_REQUESTS.labels(name).inc()
        metrics.GRAPHQL_SECONDS.labels(name).observe(time.perf_counter() - started)
