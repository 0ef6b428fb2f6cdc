"""Configuration for Tortoise's own command line (``python -m tortoise makemigrations``).

Only that tool imports this module (see ``[tool.tortoise]`` in pyproject.toml), so building the
configuration when it is imported touches nothing else: the server and ``gqlnews`` build theirs
from their settings, and a bad ``GQLNEWS_*`` variable is reported by them, not by an import.
"""

import os
from typing import Any

from gqlnews.db import tortoise_config
from gqlnews.settings import DEFAULT_DATABASE_URL

TORTOISE_ORM: dict[str, Any] = tortoise_config(
    os.environ.get("GQLNEWS_DATABASE_URL") or DEFAULT_DATABASE_URL
)
