"""Strawberry's schema extensions, with their hooks looked up once per extension class.

Every request makes a fresh set of extensions (their state is the request's), and for each
phase (operation, parsing, validation, execution) Strawberry asks each extension for its hook
again: it reads the method off the class, asks :mod:`inspect` what kind of function it is,
binds it to the extension and wraps it with :func:`contextlib.contextmanager` (which copies the
function's name and documentation onto the wrapper). gqlnews runs eight extensions, so that is
32 look-ups and eight wrappers a request. Keeping them saves about 0.13 million instructions
a request: 5 % of a ``{ __typename }``, 2 % of a search (bench/plans-results.md, sixteenth
round).

What a class's hook is does not change from one request to the next, so :class:`HookRunner`
keeps, per extension class and phase, the generator function wrapped once, and gives each
request's extension its context manager by calling that wrapper with the extension: the same
``_GeneratorContextManager`` over the same generator as Strawberry's way. A hook of another
kind (an asynchronous generator, a plain or ``async`` function) is left to Strawberry's lookup,
unchanged.

tests/test_extension_hooks.py runs hooks of every kind both ways and compares what they see
and answer.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator
from functools import partial

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    ExtensionContextManagerBase,
    OperationContextManager,
    ParsingContextManager,
    ValidationContextManager,
    WrappedHook,
)
from strawberry.extensions.runner import SchemaExtensionsRunner

_Factory = Callable[[SchemaExtension], contextlib.AbstractContextManager[None]]
_THEIRS = object()
"""A hook that Strawberry looks up itself (not a generator function)."""

_FACTORIES: dict[tuple[type[SchemaExtension], str], _Factory | object | None] = {}
"""Per extension class and hook name: its generator hook wrapped once, None when the class
does not define that hook, or :data:`_THEIRS`."""


def _factory(cls: type[SchemaExtension], name: str) -> _Factory | object | None:
    hook = getattr(cls, name)
    if hook is getattr(SchemaExtension, name):
        return None
    if inspect.isgeneratorfunction(hook):
        wrapped: Callable[[SchemaExtension], Iterator[None]] = hook
        return contextlib.contextmanager(wrapped)
    return _THEIRS


class _KnownHooks(ExtensionContextManagerBase):
    """Looks a hook up in :data:`_FACTORIES` (filled on first use) before Strawberry's way."""

    __slots__ = ()

    def get_hook(self, extension: SchemaExtension) -> WrappedHook | None:
        key = (type(extension), self.HOOK_NAME)
        try:
            factory = _FACTORIES[key]
        except KeyError:
            factory = _FACTORIES[key] = _factory(type(extension), self.HOOK_NAME)
        if factory is None:
            return None
        if factory is _THEIRS or not callable(factory):
            return super().get_hook(extension)
        return WrappedHook(extension=extension, hook=partial(factory, extension), is_async=False)


class _Operation(_KnownHooks, OperationContextManager):
    __slots__ = ()


class _Parsing(_KnownHooks, ParsingContextManager):
    __slots__ = ()


class _Validation(_KnownHooks, ValidationContextManager):
    __slots__ = ()


class _Executing(_KnownHooks, ExecutingContextManager):
    __slots__ = ()


class HookRunner(SchemaExtensionsRunner):
    """Strawberry's runner of a request's extensions, with the hooks looked up as the module
    says; :meth:`gqlnews.graphql.schema.NewsSchema.create_extensions_runner` makes it."""

    def operation(self) -> OperationContextManager:
        return _Operation(self.extensions)

    def parsing(self) -> ParsingContextManager:
        return _Parsing(self.extensions)

    def validation(self) -> ValidationContextManager:
        return _Validation(self.extensions)

    def executing(self) -> ExecutingContextManager:
        return _Executing(self.extensions)
