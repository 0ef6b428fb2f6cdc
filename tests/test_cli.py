"""The command line: schema export/check (drift and breaking changes), demo, settings errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gqlnews.cli import app, current_sdl
from tests.helpers import run_gqlnews

runner = CliRunner()
SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == current_sdl(), (
        "schema/schema.graphql drifted: review the change, then run `make schema`"
    )


def test_schema_check_passes_on_the_committed_file() -> None:
    result = runner.invoke(app, ["schema", "check", str(SCHEMA)])
    assert result.exit_code == 0, result.output


def test_schema_check_reports_drift_and_breaking_changes(tmp_path: Path) -> None:
    stale = tmp_path / "schema.graphql"
    stale.write_text(
        current_sdl().replace("  readingTimeMinutes: Int!\n", "  readingTime: Int!\n"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["schema", "check", str(stale)])
    assert result.exit_code == 1
    assert "FIELD_REMOVED" in result.output
    assert "readingTime" in result.output


def test_schema_export_writes_the_sdl(tmp_path: Path) -> None:
    out = tmp_path / "out.graphql"
    result = runner.invoke(app, ["schema", "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == current_sdl()


def test_bad_database_url_is_a_clear_error() -> None:
    result = runner.invoke(app, ["--database-url", "mysql://x", "schema", "export"])
    assert result.exit_code == 2
    assert "must start with sqlite:// or postgres://" in result.output


def test_demo_loads_into_a_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/demo.sqlite3"
    first = run_gqlnews("--database-url", url, "demo")
    assert first.returncode == 0, first.stderr
    assert "demo newsroom loaded" in first.stdout
    assert "sitemap index              http://127.0.0.1:8000/sitemap.xml" in first.stdout
    assert "section feed               http://127.0.0.1:8000/feeds/sections/" in first.stdout
    again = run_gqlnews("--database-url", url, "demo")
    assert again.returncode == 0, again.stderr
    assert "--fresh" in again.stdout
    fresh = run_gqlnews("--database-url", url, "demo", "--fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert "demo newsroom loaded" in fresh.stdout


def test_a_bad_environment_variable_is_a_clear_error_not_a_traceback() -> None:
    done = run_gqlnews("check", env={"GQLNEWS_DEBUG": "perhaps"})
    assert done.returncode == 2
    assert done.stderr.strip() == "error: GQLNEWS_DEBUG must be true or false, got 'perhaps'"
