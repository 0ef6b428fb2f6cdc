"""The plugin host: hook specifications, the manager factory and the hook-calling helpers."""

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
