"""docs/write-api.md, the guide the README sends newsroom tools to, covers every mutation of
the schema, the built-in plugins' included."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import build_schema

ROOT = Path(__file__).resolve().parent.parent
WRITE_API = ROOT / "docs" / "write-api.md"
SDL = ROOT / "schema" / "schema.graphql"  # the committed export; a test fails when it drifts


def test_every_mutation_is_documented_in_the_write_api_guide() -> None:
    mutation = build_schema(SDL.read_text(encoding="utf-8")).mutation_type
    assert mutation is not None
    docs = WRITE_API.read_text(encoding="utf-8")
    missing = [name for name in mutation.fields if not re.search(rf"`{name}\b", docs)]
    assert not missing, f"mutations not documented in docs/write-api.md: {missing}"
