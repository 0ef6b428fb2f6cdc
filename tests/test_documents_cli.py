"""`gqlnews documents …` end to end on a scratch database: add (files and a manifest), list,
check, remove; refusals write nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from gqlnews.documents import document_hash
from tests.helpers import run_gqlnews, scratch_database_url

FRONT = "query Front {\r\n  latestEdition { number }\r\n}\r\n"  # CRLF: hashed as it is
SECTION = "query Section($slug: String!) { section(slug: $slug) { name } }"
DEEP = "query Deep { sections { children { children { slug } } } }"


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _refused(result: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert message in result.stdout + result.stderr, result.stdout + result.stderr


async def test_documents_add_list_check_remove(tmp_path: Path) -> None:
    front = tmp_path / "front.graphql"
    front.write_bytes(FRONT.encode("utf-8"))
    deep = tmp_path / "deep.graphql"
    deep.write_text(DEEP, encoding="utf-8")
    invalid = tmp_path / "invalid.graphql"
    invalid.write_text("query Nope { nope }", encoding="utf-8")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({document_hash(SECTION): SECTION}), encoding="utf-8")
    lying = tmp_path / "lying.json"
    lying.write_text(json.dumps({document_hash(SECTION + " "): SECTION}), encoding="utf-8")

    async with scratch_database_url() as url:
        db = ["--database-url", url]
        _ok(run_gqlnews(*db, "migrate"))
        assert _ok(run_gqlnews(*db, "documents", "list")).strip() == "no registered documents"

        # A document the schema refuses is refused with its error, and takes the others down.
        _refused(
            run_gqlnews(*db, "documents", "add", str(front), str(invalid)),
            2,
            f"error: {invalid}: Cannot query field 'nope' on type 'Query'",
        )
        _refused(run_gqlnews(*db, "documents", "add", "--manifest", str(lying)), 2, "is not the")
        assert "no registered" in _ok(run_gqlnews(*db, "documents", "list"))

        added = _ok(run_gqlnews(*db, "documents", "add", str(front), str(deep)))
        assert added.splitlines() == [
            f"sha256:{document_hash(FRONT)} {front}",
            f"sha256:{document_hash(DEEP)} {deep}",
        ]
        from_manifest = _ok(run_gqlnews(*db, "documents", "add", "--manifest", str(manifest)))
        assert from_manifest.startswith(f"sha256:{document_hash(SECTION)} {manifest}")
        again = _ok(run_gqlnews(*db, "documents", "add", str(front)))
        assert again.strip().endswith("(already registered)")

        listed = _ok(run_gqlnews(*db, "documents", "list")).splitlines()
        assert [line.split()[:2] for line in listed] == [
            [f"sha256:{document_hash(FRONT)}", "Front"],
            [f"sha256:{document_hash(DEEP)}", "Deep"],
            [f"sha256:{document_hash(SECTION)}", "Section"],
        ]
        # Each says whether its query runs as a plan (docs/plans.md).
        assert all(line.endswith("  planned") for line in listed), listed

        assert "all 3 registered" in _ok(run_gqlnews(*db, "documents", "check"))
        # Against stricter limits, the deep one no longer validates.
        stricter = run_gqlnews(*db, "documents", "check", env={"GQLNEWS_MAX_DEPTH": "2"})
        _refused(stricter, 1, f"INVALID sha256:{document_hash(DEEP)} {deep}")
        assert "1 of 3 registered document(s) no longer validate" in stricter.stdout
        # `schema check` (run by `make test`) reports it too, with the committed SDL current.
        sdl = str(Path(__file__).parent.parent / "schema" / "schema.graphql")
        schema_check = run_gqlnews(*db, "schema", "check", sdl, env={"GQLNEWS_MAX_DEPTH": "2"})
        _refused(schema_check, 1, f"INVALID sha256:{document_hash(DEEP)} {deep}")
        assert "is up to date" in schema_check.stdout
        assert "all 3 registered" in _ok(run_gqlnews(*db, "schema", "check", sdl))

        unknown = "sha256:" + "0" * 64
        _refused(
            run_gqlnews(*db, "documents", "remove", f"sha256:{document_hash(DEEP)}", unknown),
            2,
            f"not registered: {unknown}; nothing was removed",
        )
        _refused(run_gqlnews(*db, "documents", "remove", "abc"), 2, "a document hash is")
        removed = _ok(run_gqlnews(*db, "documents", "remove", document_hash(DEEP)))
        assert removed.strip() == f"removed sha256:{document_hash(DEEP)}"
        assert len(_ok(run_gqlnews(*db, "documents", "list")).splitlines()) == 2
