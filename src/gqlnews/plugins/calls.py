"""Calling hooks: every implementation, awaited when async, a failure isolated and logged."""

from __future__ import annotations

import inspect
import logging
from typing import Any

import pluggy

log = logging.getLogger("gqlnews.plugins")


class HookFailed(RuntimeError):
    """A plugin's hook raised; ``plugin`` names it (the error is the ``__cause__``)."""

    def __init__(self, plugin: str, hook: str) -> None:
        self.plugin = plugin
        self.hook = hook
        super().__init__(f"plugin {plugin!r} failed in {hook}")


def _implementations(pm: pluggy.PluginManager, hook: str) -> list[Any]:
    """The implementations of ``hook`` in the order pluggy calls them."""
    return list(reversed(getattr(pm.hook, hook).get_hookimpls()))


def _call(impl: Any, kwargs: dict[str, Any]) -> Any:
    """Call one implementation with just the arguments it declares."""
    return impl.function(*[kwargs[name] for name in impl.argnames])


def _log_failure(plugin: str, hook: str) -> None:
    log.exception("plugin %r failed in %s", plugin, hook, extra={"plugin": plugin, "hook": hook})


async def call_each(
    pm: pluggy.PluginManager, hook: str, *, strict: bool = False, **kwargs: Any
) -> list[tuple[str, Any]]:
    """``(plugin name, result)`` of every implementation of ``hook``, awaiting coroutines.

    Each implementation gets only the arguments it asks for. One that raises is logged with
    its plugin's name and skipped, or raised as :class:`HookFailed` when ``strict``.
    """
    results: list[tuple[str, Any]] = []
    for impl in _implementations(pm, hook):
        try:
            value = _call(impl, kwargs)
            if inspect.isawaitable(value):
                value = await value
        except Exception as exc:
            if strict:
                raise HookFailed(impl.plugin_name, hook) from exc
            _log_failure(impl.plugin_name, hook)
            continue
        results.append((impl.plugin_name, value))
    return results


def call_list_sync(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[Any]:
    """Like :func:`call_list` for hooks called where nothing can be awaited (app and CLI
    creation); such hooks must be plain functions. Failures are logged and skipped."""
    return [item for _plugin, item in call_items_sync(pm, hook, **kwargs)]


def call_items_sync(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """``(plugin name, item)`` for every item of the lists the implementations of ``hook``
    return (plain functions only); failures are logged and skipped."""
    combined: list[tuple[str, Any]] = []
    for impl in _implementations(pm, hook):
        try:
            value = _call(impl, kwargs)
            if inspect.isawaitable(value):
                if inspect.iscoroutine(value):
                    value.close()  # never run: say so instead of warning "never awaited"
                raise TypeError(f"{hook} must not be async")
        except Exception:
            _log_failure(impl.plugin_name, hook)
            continue
        combined.extend((impl.plugin_name, item) for item in value or [])
    return combined


async def call_list(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[Any]:
    """The lists returned by every implementation of ``hook``, concatenated in call order."""
    combined: list[Any] = []
    for _plugin, value in await call_each(pm, hook, **kwargs):
        combined.extend(value or [])
    return combined
