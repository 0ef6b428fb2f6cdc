"""What the installed plugins declare: strategies by name (built once per app), model apps and
settings."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

import pluggy

from gqlnews.db import ModelApp
from gqlnews.plugins.calls import call_items_sync
from gqlnews.plugins.manager import PluginError
from gqlnews.plugins.strategies import RankingStrategy, RelatedStrategy
from gqlnews.settings import PluginSetting, Settings

S = TypeVar("S", RelatedStrategy, RankingStrategy)


@dataclass(frozen=True, slots=True)
class Offered(Generic[S]):
    plugin: str
    strategy: S


@dataclass(frozen=True, slots=True)
class Strategies:
    related: dict[str, Offered[RelatedStrategy]] = field(default_factory=dict)
    ranking: dict[str, Offered[RankingStrategy]] = field(default_factory=dict)

    def default_related(self, preferred: str = "") -> str | None:
        """The configured default when installed, else the first registered, else None."""
        if preferred and preferred in self.related:
            return preferred
        return next(iter(self.related), None)


def _collect(pm: pluggy.PluginManager, hook: str, kind: Any) -> dict[str, Offered[Any]]:
    found: dict[str, Offered[Any]] = {}
    for plugin, strategy in call_items_sync(pm, hook):
        if not isinstance(strategy, kind):
            raise PluginError(
                f"plugin {plugin!r} offers a {type(strategy).__name__}, not a {kind.__name__}"
            )
        if strategy.name in found:
            raise PluginError(
                f"strategy {strategy.name!r} is offered by both "
                f"{found[strategy.name].plugin!r} and {plugin!r}"
            )
        found[strategy.name] = Offered(plugin, strategy)
    return found


def collect_strategies(pm: pluggy.PluginManager | None) -> Strategies:
    """Every strategy of the registered plugins; a clash of names stops the server."""
    if pm is None:
        return Strategies()
    return Strategies(
        related=_collect(pm, "gqlnews_related_strategies", RelatedStrategy),
        ranking=_collect(pm, "gqlnews_ranking_strategies", RankingStrategy),
    )


def model_apps(pm: pluggy.PluginManager | None) -> list[ModelApp]:
    """The model apps of the registered plugins; a label declared twice stops the server."""
    apps: dict[str, ModelApp] = {}
    for plugin, app in call_items_sync(pm, "gqlnews_models") if pm else []:
        if not isinstance(app, ModelApp):
            raise PluginError(f"plugin {plugin!r}: gqlnews_models must return ModelApp objects")
        if app.label in apps:
            raise PluginError(f"model app {app.label!r} is declared twice (plugin {plugin!r})")
        apps[app.label] = app
    return list(apps.values())


def plugin_settings(pm: pluggy.PluginManager | None) -> list[tuple[str, PluginSetting]]:
    """``(plugin name, setting)`` for every variable the registered plugins read; a variable
    declared twice, or one of the core's, is a plugin error."""
    core = {f"GQLNEWS_{field.name.upper()}" for field in fields(Settings)}
    found: dict[str, tuple[str, PluginSetting]] = {}
    for plugin, setting in call_items_sync(pm, "gqlnews_settings") if pm else []:
        if not isinstance(setting, PluginSetting):
            raise PluginError(f"plugin {plugin!r}: gqlnews_settings must return PluginSetting")
        if setting.name in core or setting.name in found:
            raise PluginError(f"setting {setting.name} is declared twice (plugin {plugin!r})")
        found[setting.name] = (plugin, setting)
    return list(found.values())
