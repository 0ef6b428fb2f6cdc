"""The built-in plugins' commands open the database the one way (``gqlnews.api.run_on_database``):
on a database that is behind its migrations they stop with the core's message and exit code 2
(no plugin migrates it itself), and on an imported one they work; ``related evaluate`` asks the
API through the in-process client. Real processes, on a database of the session's dialect."""

from __future__ import annotations

import pytest

from tests import test_ranking_cli
from tests.helpers import run_gqlnews, scratch_database_url
from tests.test_archive_support import SAMPLE

archive_url = test_ranking_cli.archive_url
"""A database of its own holding the sample archive (imported by `gqlnews import`)."""


@pytest.mark.parametrize(
    "command",
    [
        ("views", "import", str(SAMPLE)),
        ("related", "index"),
        ("related", "evaluate", str(SAMPLE)),
        ("picks", "list"),
    ],
)
async def test_a_plugin_command_refuses_a_database_behind_its_migrations(
    command: tuple[str, ...],
) -> None:
    async with scratch_database_url() as url:
        done = run_gqlnews("--database-url", url, *command)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "error: the database is behind" in done.stderr
        assert "run `gqlnews migrate` first" in done.stderr
        assert "Traceback" not in done.stderr
        migrated = run_gqlnews("--database-url", url, "migrate")
        assert migrated.returncode == 0, migrated.stderr
        assert "0001_initial" in migrated.stdout, "the command applied no migration itself"


async def test_related_index_and_evaluate_on_an_imported_archive(archive_url: str) -> None:
    indexed = run_gqlnews("--database-url", archive_url, "related", "index")
    assert indexed.returncode == 0, indexed.stderr
    assert "article(s) indexed" in indexed.stdout
    args = ("--database-url", archive_url, "related", "evaluate", str(SAMPLE), "--k", "2")
    done = run_gqlnews(*args, "--strategy", "shared-tags", "--strategy", "text")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith(f"stories in {SAMPLE.name}")
    assert lines[1].split() == ["strategy", "precision@2", "articles"]
    measured = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert set(measured) == {"shared-tags", "text"}
    for precision, articles in measured.values():
        assert 0.0 <= float(precision) <= 1.0
        assert int(articles) > 0


async def test_related_evaluate_names_an_unknown_strategy(archive_url: str) -> None:
    args = ("--database-url", archive_url, "related", "evaluate", str(SAMPLE))
    done = run_gqlnews(*args, "--strategy", "nope")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "error: unknown strategies ['nope']" in done.stderr
