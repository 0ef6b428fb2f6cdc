"""The plugin manager: built once per app by :func:`make_plugin_manager`, never at import time."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pluggy

from gqlnews.plugins import hookspecs
from gqlnews.plugins.calls import guard
from gqlnews.plugins.markers import PROJECT
from gqlnews.plugins.monitoring import log_hook_calls
from gqlnews.settings import Settings

ENTRY_POINT_GROUP = "gqlnews"
log = logging.getLogger("gqlnews.plugins")


class PluginError(RuntimeError):
    """A plugin could not be loaded or declares a hook that does not exist."""


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """What ``gqlnews plugins`` shows about one registered plugin."""

    name: str
    version: str
    source: str
    hooks: tuple[str, ...]


def _load_directory(folder: Path) -> list[tuple[str, ModuleType]]:
    if not folder.is_dir():
        raise PluginError(f"plugins folder {folder} does not exist")
    loaded: list[tuple[str, ModuleType]] = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"gqlnews_dir_plugin_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise PluginError(f"cannot load plugin file {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            raise PluginError(f"plugin file {path} failed to import: {exc}") from exc
        loaded.append((path.stem, module))
    return loaded


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering where each plugin came from; it guards every
    implementation it registers (see :mod:`gqlnews.plugins.calls`) and refuses hook wrappers."""

    def __init__(self) -> None:
        super().__init__(PROJECT)
        self.sources: dict[str, tuple[str, str]] = {}
        self.log_hooks = False
        """Whether each hook call is logged with its duration (``GQLNEWS_LOG_HOOKS``)."""

    def register(self, plugin: object, name: str | None = None) -> str | None:
        _refuse_wrappers(self, plugin, name)
        registered = super().register(plugin, name)
        callers = (self.get_hookcallers(plugin) or []) if registered else []
        for caller in callers:
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin:
                    guard(impl)
        return registered


def _refuse_wrappers(pm: pluggy.PluginManager, plugin: object, name: str | None) -> None:
    """Hook wrappers (``hookwrapper=True``, ``wrapper=True``) would see the other
    implementations' guarded answers and un-awaited coroutines, not their results: refused."""
    for attribute in dir(plugin):
        opts = pm.parse_hookimpl_opts(plugin, attribute)
        if opts and (opts.get("hookwrapper") or opts.get("wrapper")):
            raise PluginError(
                f"plugin {name or pm.get_canonical_name(plugin)!r}: its {attribute} is a hook "
                "wrapper (hookwrapper=True or wrapper=True), which gqlnews does not support; "
                "make it a plain @hookimpl (tryfirst=True or trylast=True to run first or last)"
            )


def make_plugin_manager(
    settings: Settings, extra: Sequence[tuple[str, object]] = ()
) -> PluginManager:
    """A manager with the installed plugins (entry points), the ``--plugins-dir`` files and the
    ``extra`` ``(name, plugin)`` pairs (tests register plugins in code this way), minus the
    disabled ones; every hookimpl is checked against the specs (a typo fails here).

    An ``extra`` plugin that is also installed (a plugin's own tests, after ``pip install -e``)
    is already registered from its entry point: it is kept once, under that name. Another
    object under a name already taken is an error that names both."""
    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    if settings.log_hooks:
        pm.log_hooks = True
        log_hook_calls(pm)
    disabled = set(settings.disabled_plugins_list)
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name in disabled:
            pm.set_blocked(entry_point.name)
            continue
        try:
            plugin = entry_point.load()
        except Exception as exc:
            raise PluginError(f"plugin {entry_point.name} failed to import: {exc}") from exc
        pm.register(plugin, name=entry_point.name)
        dist = entry_point.dist
        source = f"entry point {entry_point.value}" + (
            f" ({dist.name} {dist.version})" if dist else ""
        )
        pm.sources[entry_point.name] = (dist.version if dist else "", source)
    if settings.plugins_dir:
        for name, module in _load_directory(Path(settings.plugins_dir)):
            if name in disabled:
                continue
            pm.register(module, name=name)
            version = str(getattr(module, "__version__", ""))
            pm.sources[name] = (version, f"file {module.__file__}")
    for name, plugin in extra:
        if name in disabled or pm.is_registered(plugin):
            continue
        if pm.has_plugin(name):
            taken = pm.sources.get(name, ("", "registered in code"))[1]
            raise PluginError(
                f"plugin name {name!r} is taken ({taken}): register {plugin!r} as another"
            )
        pm.register(plugin, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc)) from exc
    return pm


def describe(pm: PluginManager) -> list[PluginInfo]:
    """Registered plugins with their version, where they came from, and their hooks."""
    infos = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        if plugin is None:  # blocked (disabled) plugins stay registered as None
            continue
        version, source = pm.sources.get(name, ("", "registered in code"))
        hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or []))
        infos.append(PluginInfo(name, version or "-", source, hooks))
    return infos
