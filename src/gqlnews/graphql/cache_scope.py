"""A Strawberry extension that tells the response cache which kind of operation ran: only
queries are stored (a mutation's answer never is, whatever it returns)."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gqlnews.cache.deps import current


class CacheScope(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        deps = current()
        if deps is not None:
            deps.operation = self.execution_context.operation_type.value
        yield
