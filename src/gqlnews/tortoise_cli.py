"""Configuration for Tortoise's own command line (``python -m tortoise makemigrations``).

Only that tool imports this module (see ``[tool.tortoise]`` in pyproject.toml), so building the
configuration when it is imported touches nothing else: the server and ``gqlnews`` build theirs
from their settings, and a bad ``GQLNEWS_*`` variable is reported by them, not by an import.
"""

import os
from typing import Any

from gqlnews.db import tortoise_config
from gqlnews.plugins import make_plugin_manager, model_apps
from gqlnews.settings import DEFAULT_DATABASE_URL, Settings

# The installed plugins' model apps are included, so `makemigrations LABEL` works for them.
TORTOISE_ORM: dict[str, Any] = tortoise_config(
    os.environ.get("GQLNEWS_DATABASE_URL") or DEFAULT_DATABASE_URL,
    model_apps(make_plugin_manager(Settings())),
)
