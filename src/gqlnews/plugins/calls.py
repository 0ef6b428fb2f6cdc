"""Calling hooks through pluggy's own hook callers (``pm.hook.<name>(...)``), with every
implementation's failure isolated and logged, and what comes back awaited when async.

pluggy stops a call at the first implementation that raises. gqlnews wants the others to run,
so the manager (:mod:`gqlnews.plugins.manager`) guards each implementation when it registers it
(:func:`guard`): the guarded function never raises an ``Exception``, it returns an
:class:`Answer` holding the plugin's name and its value or its error. The helpers below make
the call through pluggy (so its call monitoring sees it), await what is async, in pluggy's call
order, and log or raise the failures.
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pluggy

log = logging.getLogger("gqlnews.plugins")


class HookFailed(RuntimeError):
    """A plugin's hook raised; ``plugin`` names it (the error is the ``__cause__``)."""

    def __init__(self, plugin: str, hook: str) -> None:
        self.plugin = plugin
        self.hook = hook
        super().__init__(f"plugin {plugin!r} failed in {hook}")


@dataclass(frozen=True, slots=True)
class Answer:
    """What one guarded implementation gave: its value (maybe still to await) or its error,
    and how long it took (the call; once awaited, the awaiting)."""

    plugin: str
    value: Any
    error: Exception | None
    seconds: float
    awaited: bool = False


def guard(impl: pluggy.HookImpl) -> None:
    """Make ``impl`` return an :class:`Answer` instead of raising (done once, when the
    manager registers its plugin). pluggy computed the arguments it passes from the original
    function, so a hookimpl still gets only the arguments it declares."""
    function: Callable[..., Any] = impl.function
    plugin = impl.plugin_name

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Answer:
        started = time.perf_counter()
        try:
            value = function(*args, **kwargs)
        except Exception as exc:
            return Answer(plugin, None, exc, time.perf_counter() - started)
        return Answer(plugin, value, None, time.perf_counter() - started)

    # HookImpl declares ``function`` Final for its users; the host owns the impls it guards.
    object.__setattr__(impl, "function", guarded)


def _answers(pm: pluggy.PluginManager, hook: str, kwargs: dict[str, Any]) -> list[Answer]:
    caller: pluggy.HookCaller = getattr(pm.hook, hook)
    answers: list[Answer] = caller(**kwargs)
    return answers


async def _settle(answer: Answer) -> Answer:
    """Await an answer's value, catching what it raises."""
    if answer.error is not None or not inspect.isawaitable(answer.value):
        return answer
    started = time.perf_counter()
    try:
        value = await answer.value
    except Exception as exc:
        return replace(answer, value=None, error=exc, seconds=time.perf_counter() - started)
    return replace(answer, value=value, seconds=time.perf_counter() - started, awaited=True)


def _close(answers: Sequence[Answer]) -> None:
    """Close coroutines that will not be awaited (instead of a "never awaited" warning)."""
    for answer in answers:
        if inspect.iscoroutine(answer.value):
            answer.value.close()


def _log_failure(plugin: str, hook: str, error: BaseException) -> None:
    log.error(
        "plugin %r failed in %s",
        plugin,
        hook,
        exc_info=error,
        extra={"plugin": plugin, "hook": hook},
    )


def _log_awaited(pm: pluggy.PluginManager, hook: str, settled: Sequence[Answer]) -> None:
    awaited = [answer for answer in settled if answer.awaited]
    if awaited and getattr(pm, "log_hooks", False):
        log.info(
            "hook %s awaited in %.3f ms (%s)",
            hook,
            sum(answer.seconds for answer in awaited) * 1000,
            ", ".join(f"{answer.plugin} {answer.seconds * 1000:.3f} ms" for answer in awaited),
        )


async def call_answers(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[Answer]:
    """Every implementation's :class:`Answer`, awaited in pluggy's call order; failures are
    in the answers, neither logged nor raised (the caller decides)."""
    settled: list[Answer] = []
    for answer in _answers(pm, hook, kwargs):
        settled.append(await _settle(answer))
    _log_awaited(pm, hook, settled)
    return settled


async def call_each(
    pm: pluggy.PluginManager, hook: str, *, strict: bool = False, **kwargs: Any
) -> list[tuple[str, Any]]:
    """``(plugin name, result)`` of every implementation of ``hook``, awaiting coroutines.

    Each implementation gets only the arguments it asks for. One that raises is logged with
    its plugin's name and skipped, or raised as :class:`HookFailed` when ``strict`` (the
    implementations after it are then not awaited).
    """
    answers = _answers(pm, hook, kwargs)
    results: list[tuple[str, Any]] = []
    settled: list[Answer] = []
    for position, answer in enumerate(answers):
        answer = await _settle(answer)
        settled.append(answer)
        if answer.error is not None:
            if strict:
                _close(answers[position + 1 :])
                raise HookFailed(answer.plugin, hook) from answer.error
            _log_failure(answer.plugin, hook, answer.error)
            continue
        results.append((answer.plugin, answer.value))
    _log_awaited(pm, hook, settled)
    return results


def call_list_sync(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[Any]:
    """Like :func:`call_list` for hooks called where nothing can be awaited (app and CLI
    creation); such hooks must be plain functions. Failures are logged and skipped."""
    return [item for _plugin, item in call_items_sync(pm, hook, **kwargs)]


def call_items_sync(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """``(plugin name, item)`` for every item of the lists the implementations of ``hook``
    return (plain functions only); failures are logged and skipped."""
    combined: list[tuple[str, Any]] = []
    for answer in _answers(pm, hook, kwargs):
        error = answer.error
        if error is None and inspect.isawaitable(answer.value):
            _close([answer])  # never run: say so instead of warning "never awaited"
            error = TypeError(f"{hook} must not be async")
        if error is not None:
            _log_failure(answer.plugin, hook, error)
            continue
        combined.extend((answer.plugin, item) for item in answer.value or [])
    return combined


async def call_list(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[Any]:
    """The lists returned by every implementation of ``hook``, concatenated in call order."""
    combined: list[Any] = []
    for _plugin, value in await call_each(pm, hook, **kwargs):
        combined.extend(value or [])
    return combined
