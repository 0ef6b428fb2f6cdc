"""The example pages (examples/queries) as the in-process profilers send them: one anonymous
GET's ASGI scope per page, with the page's variables when it has a ``.variables.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

QUERIES = Path(__file__).resolve().parent.parent / "examples" / "queries"


def page_scope(page: str) -> dict[str, Any]:
    """The ASGI scope of an anonymous ``GET /graphql`` asking for example ``page``."""
    query = (QUERIES / f"{page}.graphql").read_text(encoding="utf-8")
    variables_file = QUERIES / f"{page}.variables.json"
    variables = variables_file.read_text(encoding="utf-8") if variables_file.exists() else "{}"
    return {
        "type": "http",
        "method": "GET",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": urlencode({"query": query, "variables": variables}).encode(),
        "headers": [(b"host", b"bench")],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("bench", 80),
        "client": ("bench", 1),
        "root_path": "",
    }
