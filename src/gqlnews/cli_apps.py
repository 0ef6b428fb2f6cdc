"""What every database command needs from the plugins: their model apps."""

from __future__ import annotations

import typer

from gqlnews.db import ModelApp
from gqlnews.plugins import PluginError, make_plugin_manager, model_apps
from gqlnews.settings import Settings


def plugin_model_apps(settings: Settings) -> list[ModelApp]:
    """The model apps of the plugins ``settings`` enables; a broken plugin ends the command
    with exit code 2 and the plugin's error."""
    try:
        return model_apps(make_plugin_manager(settings))
    except PluginError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
