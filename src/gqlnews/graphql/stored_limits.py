"""A value longer than its column is the client's mistake, not ours: answered BAD_USER_INPUT.

Tortoise checks a value against its field (``CharField(max_length=…)``) whenever it goes into
SQL, filters included: ``tag(slug: <300 characters>)`` raised its ``ValidationError`` deep in a
resolver, which was masked as INTERNAL_SERVER_ERROR. Resolvers cannot foresee every column's
length, so this extension rewrites those errors once execution ends: same path, code
``BAD_USER_INPUT``, and a message naming the field without echoing the value.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from tortoise.exceptions import ValidationError

from gqlnews.errors import BAD_USER_INPUT


def is_stored_limit(error: BaseException | None) -> bool:
    """Whether ``error`` is Tortoise refusing a value its column cannot hold."""
    return isinstance(error, ValidationError)


def _rewritten(error: GraphQLError) -> GraphQLError:
    if not is_stored_limit(error.original_error):
        return error
    field = str(error.original_error).split(":", 1)[0].strip() or "a value"
    return GraphQLError(
        f"{field}: the value is too long or out of range",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": BAD_USER_INPUT},
    )


class StoredLimits(SchemaExtension):
    """Turn Tortoise's validation errors into BAD_USER_INPUT (see the module)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [_rewritten(error) for error in result.errors]
