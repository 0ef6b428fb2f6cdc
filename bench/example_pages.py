"""The example pages (examples/queries) as the in-process profilers send them: one anonymous
GET's ASGI scope per page, with the page's variables when it has a ``.variables.json`` (and,
persisted, the text's APQ hash: run as a plan, see docs/plans.md). A page may also be the path
of a JSON request body (``{"query", "variables"}``, e.g. ``../shared/bench-queries/q2.json``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

QUERIES = Path(__file__).resolve().parent.parent / "examples" / "queries"


def page_scope(page: str, persisted: bool = False) -> dict[str, Any]:
    """The ASGI scope of an anonymous ``GET /graphql`` asking for example ``page`` (a name in
    examples/queries, or a JSON body's path), with the
    query's ``extensions.persistedQuery.sha256Hash`` when ``persisted``."""
    if page.endswith(".json"):
        body = json.loads(Path(page).read_text(encoding="utf-8"))
        query, variables = body["query"], json.dumps(body.get("variables") or {})
    else:
        query = (QUERIES / f"{page}.graphql").read_text(encoding="utf-8")
        variables_file = QUERIES / f"{page}.variables.json"
        variables = variables_file.read_text(encoding="utf-8") if variables_file.exists() else "{}"
    parameters = {"query": query, "variables": variables}
    if persisted:
        digest = hashlib.sha256(query.encode()).hexdigest()
        apq = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        parameters["extensions"] = json.dumps(apq)
    return {
        "type": "http",
        "method": "GET",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": urlencode(parameters).encode(),
        "headers": [(b"host", b"bench")],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("bench", 80),
        "client": ("bench", 1),
        "root_path": "",
    }
