"""Execution that closes the resolvers it dropped before they started.

When a field fails in a way that nulls its parent (a non-null field, or an item of a list of
non-null items), graphql-core cancels the sibling work still pending
(``gather_with_cancel``). A sibling whose task had not run yet is cancelled before its first
step: its coroutine (``complete_awaitable_value``) is closed without running, and the
resolver's coroutine it was handed, already created, is never awaited nor closed. Python then
reports "coroutine ... was never awaited" whenever the garbage collector reaches it: in the
server's log, and in the tests as an error of whichever test is running at that moment (a
flaky failure of tests/test_plans.py, found with its generated document 391: a
``supplement.articles`` under a ``tags { articles(page: 0) }`` that fails).

:class:`ClosingExecutor` remembers the resolvers' coroutines that graphql-core awaits through
``complete_awaitable_value`` and, once the response is built (every value in it has been
awaited), or when execution ends otherwise (a deadline cancels it), closes those that never
started: their results could no longer reach the answer. Coroutines that graphql-core makes
itself (a list's or an object's gathering) are not tracked: none was seen left behind.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from types import CoroutineType
from typing import Any

from graphql import ExecutionResult, GraphQLOutputType, GraphQLResolveInfo
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.types import ExperimentalIncrementalExecutionResults
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

Result = ExecutionResult | ExperimentalIncrementalExecutionResults


class ClosingExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, closing the resolvers it dropped unstarted (see the module)."""

    _resolving: list[Any] | None = None

    def complete_awaitable_value(  # type: ignore[override]
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Awaitable[Any]:
        """graphql-core's, remembering the resolver's coroutine ``result``."""
        if type(result) is CoroutineType:
            if self._resolving is None:
                self._resolving = []
            self._resolving.append(result)
        return super().complete_awaitable_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def close_unstarted(self) -> int:
        """Close the remembered coroutines that never started; how many were closed."""
        resolving, self._resolving = self._resolving or [], None
        closed = 0
        for coroutine in resolving:
            if inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED:
                coroutine.close()
                closed += 1
        return closed

    def build_response(self, data: dict[str, Any] | None) -> Result:
        """graphql-core's response, after closing what was dropped."""
        self.close_unstarted()
        return super().build_response(data)

    def execute_operation(self, serially: bool | None = None) -> AwaitableOrValue[Result]:
        """graphql-core's, closing what was dropped when execution does not reach its
        response (cancelled at the request's deadline)."""
        result = super().execute_operation(serially)
        if not self.is_awaitable(result):
            return result

        async def closing() -> Result:
            try:
                return await result  # type: ignore[no-any-return]
            finally:
                self.close_unstarted()

        return closing()
