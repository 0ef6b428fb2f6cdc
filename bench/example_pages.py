"""The example pages (examples/queries) as the in-process profilers send them: one anonymous
GET's ASGI scope per page, with the page's variables when it has a ``.variables.json`` (and,
persisted, the text's APQ hash: run as a plan, see docs/plans.md). A page may also be the path
of a JSON request body (``{"query", "variables"}``, e.g. ``../shared/bench-queries/q2.json``)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from run import case_body, with_apq


def page_scope(page: str, persisted: bool = False) -> dict[str, Any]:
    """The ASGI scope of an anonymous ``GET /graphql`` asking for ``page`` (a name in
    examples/queries, or a JSON body's path: :func:`run.case_body`), with the query's
    ``extensions.persistedQuery.sha256Hash`` when ``persisted`` (:func:`run.with_apq`)."""
    body = with_apq(case_body(page)) if persisted else case_body(page)
    parameters = {"query": body["query"], "variables": json.dumps(body.get("variables") or {})}
    if "extensions" in body:
        parameters["extensions"] = json.dumps(body["extensions"])
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
