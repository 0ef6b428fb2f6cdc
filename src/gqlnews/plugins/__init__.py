"""The plugin host: hook specifications, the manager factory and the hook-calling helpers.

Its names are loaded when first used (PEP 562), so that importing the marker
(``gqlnews.plugins.markers.hookimpl``, what ``from gqlnews.api import hookimpl`` gives) loads
neither the manager nor the hook specifications (Starlette, Typer, the models).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gqlnews.plugins.calls import (
        HookFailed,
        call_each,
        call_items_sync,
        call_list,
        call_list_sync,
    )
    from gqlnews.plugins.manager import PluginError, PluginInfo, describe, make_plugin_manager
    from gqlnews.plugins.markers import hookimpl
    from gqlnews.plugins.registry import model_apps, plugin_settings

__all__ = [
    "HookFailed",
    "PluginError",
    "PluginInfo",
    "call_each",
    "call_items_sync",
    "call_list",
    "call_list_sync",
    "describe",
    "hookimpl",
    "make_plugin_manager",
    "model_apps",
    "plugin_settings",
]

_MODULES = {
    "HookFailed": "calls",
    "call_each": "calls",
    "call_items_sync": "calls",
    "call_list": "calls",
    "call_list_sync": "calls",
    "PluginError": "manager",
    "PluginInfo": "manager",
    "describe": "manager",
    "make_plugin_manager": "manager",
    "hookimpl": "markers",
    "model_apps": "registry",
    "plugin_settings": "registry",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
