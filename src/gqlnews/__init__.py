"""gqlnews: a GraphQL publishing backend for news organisations.

The public surface is ``__all__``; everything else may change between releases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gqlnews.plugins.markers import hookimpl
from gqlnews.settings import Settings

if TYPE_CHECKING:
    from gqlnews.server import create_app

__version__ = "0.1.0"

__all__ = ["Settings", "__version__", "create_app", "hookimpl"]


def __getattr__(name: str) -> Any:
    # The app pulls in the whole GraphQL layer: import it only when asked for.
    if name == "create_app":
        from gqlnews.server import create_app

        return create_app
    raise AttributeError(f"module 'gqlnews' has no attribute {name!r}")
