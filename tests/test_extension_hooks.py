"""The schema's runner of extension hooks (:mod:`gqlnews.graphql.extension_hooks`) runs every
kind of hook as Strawberry's own runner does: the same hooks, in the same order, with the same
results, whether it keeps the hook (a generator function) or leaves it to Strawberry."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext

from gqlnews.graphql import extension_hooks
from gqlnews.graphql.extension_hooks import HookRunner
from gqlnews.graphql.schema import NewsSchema

EVENTS: list[str] = []


def _errors(extension: SchemaExtension) -> str:
    result = extension.execution_context.result
    return "no result" if result is None else f"{len(result.errors or [])} error(s)"


class Generators(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        EVENTS.append("generator: operation starts")
        yield
        EVENTS.append(f"generator: operation ends with {_errors(self)}")

    def on_parse(self) -> Iterator[None]:
        EVENTS.append("generator: parse starts")
        yield
        EVENTS.append(f"generator: parsed {self.execution_context.graphql_document is not None}")

    def on_execute(self) -> Iterator[None]:
        EVENTS.append("generator: execute starts")
        yield
        EVENTS.append(f"generator: execute ends with {_errors(self)}")


class Cleans(SchemaExtension):
    """Sees what leaves execution by raising (a cancellation, say)."""

    def on_execute(self) -> Iterator[None]:
        try:
            yield
        except BaseException as error:
            EVENTS.append(f"cleans: {type(error).__name__} left execution")
            raise


class AsyncGenerator(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        EVENTS.append("async generator: operation starts")
        yield
        EVENTS.append(f"async generator: operation ends with {_errors(self)}")


class Plain(SchemaExtension):
    def on_validate(self) -> None:  # type: ignore[override]
        EVENTS.append("plain: validate")


class Rewrites(SchemaExtension):
    """Changes the result after the others (it is entered first, so it leaves last)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.data is not None:
            result.data = {**result.data, "rewritten": True}


class Stop(BaseException):
    """Not an error of a field: it leaves execution (as a cancellation does)."""


@strawberry.type
class Query:
    @strawberry.field
    def stops(self) -> int:
        raise Stop

    @strawberry.field
    def fine(self) -> int:
        EVENTS.append("resolver: fine")
        return 1

    @strawberry.field
    def broken(self) -> int | None:
        EVENTS.append("resolver: broken")
        raise ValueError("no")


class _Quiet(strawberry.Schema):
    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        """The broken field's error is expected: not logged."""


class _Keeping(_Quiet):
    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return HookRunner(execution_context=execution_context, extensions=extensions)


EXTENSIONS = [Rewrites, Generators, Cleans, AsyncGenerator, Plain]


async def _run(schema: strawberry.Schema, query: str) -> tuple[list[str], Any]:
    EVENTS.clear()
    try:
        result = await schema.execute(query)
    except Stop:
        return list(EVENTS), "stopped"
    return list(EVENTS), (result.data, [error.message for error in result.errors or []])


@pytest.mark.parametrize(
    "query", ["{ fine }", "{ fine broken }", "{ nothing }", "{ fine ", "{ fine stops }"], ids=repr
)
async def test_hooks_run_as_strawberrys_runner_runs_them(query: str) -> None:
    theirs = _Quiet(query=Query, extensions=EXTENSIONS)
    ours = _Keeping(query=Query, extensions=EXTENSIONS)
    expected = await _run(theirs, query)
    assert await _run(ours, query) == expected
    assert await _run(ours, query) == expected  # the hooks kept by the first run
    assert "generator: operation starts" in expected[0]


async def test_a_generator_hook_is_wrapped_once_per_class() -> None:
    schema = _Keeping(query=Query, extensions=EXTENSIONS)
    await schema.execute("{ fine }")
    kept = extension_hooks._FACTORIES[(Generators, "on_operation")]
    assert callable(kept)
    await schema.execute("{ fine }")
    assert extension_hooks._FACTORIES[(Generators, "on_operation")] is kept
    assert extension_hooks._FACTORIES[(AsyncGenerator, "on_operation")] is not kept
    assert extension_hooks._FACTORIES[(Plain, "on_operation")] is None


def test_the_newsrooms_schema_runs_its_hooks_this_way() -> None:
    """(:func:`gqlnews.graphql.schema.build_schema` makes a :class:`NewsSchema`.)"""
    schema = NewsSchema(query=Query)
    runner = schema.create_extensions_runner(None, [])  # type: ignore[arg-type]
    assert isinstance(runner, HookRunner)
