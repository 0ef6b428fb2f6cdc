"""The plugin's own test: it registers with gqlnews and offers its strategy."""

import gqlnews_same_author

from gqlnews.plugins import describe, make_plugin_manager
from gqlnews.plugins.registry import collect_strategies
from gqlnews.settings import Settings


def test_the_strategy_is_offered() -> None:
    pm = make_plugin_manager(Settings())
    if pm.get_plugin("same_author") is None:  # not installed: register the module directly
        pm.register(gqlnews_same_author, name="same_author")
    assert "same-author" in collect_strategies(pm).related
    assert any(info.name == "same_author" for info in describe(pm))
