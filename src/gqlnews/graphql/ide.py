"""GraphiQL served from the package itself: its page, and the vendored GraphiQL and React files
(``gqlnews/static/graphiql/``, see its PROVENANCE.md) under :data:`ASSETS_PATH`, so that the page
asks nothing of any other host."""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

ASSETS_PATH = "/static/graphiql"
"""Where the GraphiQL files are served (only while GraphiQL is on)."""
ASSETS_DIRECTORY = Path(__file__).resolve().parent.parent / "static" / "graphiql"
_TEMPLATE = Path(__file__).resolve().parent / "graphiql.html"


@cache
def graphiql_html(assets_path: str = ASSETS_PATH) -> str:
    """The GraphiQL page, its scripts and styles taken from ``assets_path`` on this server."""
    page = _TEMPLATE.read_text(encoding="utf-8")
    return page.replace("{{ assets }}", escape(assets_path.rstrip("/"), quote=True))


def assets_route() -> Mount:
    """The route serving the vendored files (with ETag and Last-Modified, from StaticFiles)."""
    return Mount(ASSETS_PATH, app=StaticFiles(directory=ASSETS_DIRECTORY), name="graphiql")
