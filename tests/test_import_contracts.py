"""The import contracts of ``make lint`` (.importlinter) hold, and they bite: on a copy of the
code, a plugin that imports a gqlnews internal, an upward import in the core and a cycle each
break them, naming the import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = {
    "src": ROOT / "src" / "gqlnews",
    "plugins": ROOT / "plugins",
    "template": ROOT / "examples" / "plugin-template" / "src",
}


def _copy(target: Path) -> Path:
    """The Python code the contracts read, and .importlinter, under ``target``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "static", "README.md")
    shutil.copytree(PACKAGES["src"], target / "src" / "gqlnews", ignore=ignore)
    for plugin in ("gqlnews_related", "gqlnews_ranking", "gqlnews_editorial"):
        shutil.copytree(PACKAGES["plugins"] / plugin, target / "plugins" / plugin, ignore=ignore)
    shutil.copytree(PACKAGES["template"], target / "template", ignore=ignore)
    shutil.copy(ROOT / ".importlinter", target / ".importlinter")
    return target


def _lint_imports(copy: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the copy: its packages first on the path, before the installed ones."""
    path = os.pathsep.join(str(copy / part) for part in ("src", "plugins", "template"))
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.run(
        [str(LINT_IMPORTS), ".importlinter", "--no-cache"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_code_keeps_every_contract(tmp_path: Path) -> None:
    done = _lint_imports(_copy(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken", "named"),
    [
        (
            "plugins/gqlnews_related/blend.py",
            "from gqlnews.models import Tag",
            "Plugins import from gqlnews only the plugin API (gqlnews.api) BROKEN",
            "gqlnews_related.blend -> gqlnews.models",
        ),
        (
            "template/gqlnews_same_author/__init__.py",
            "from gqlnews import Settings",
            "Plugins import from gqlnews only the plugin API (gqlnews.api) BROKEN",
            "gqlnews_same_author -> gqlnews",
        ),
        (
            "plugins/gqlnews_editorial/rules.py",
            "from gqlnews.newsroom.problems import Refused",
            "Plugins import from gqlnews only the plugin API (gqlnews.api) BROKEN",
            "gqlnews_editorial.rules -> gqlnews.newsroom.problems",
        ),
        (
            "src/gqlnews/visibility.py",
            "from gqlnews.graphql.schema import build_schema",
            "The core's layers: each imports only from the layers below it BROKEN",
            "gqlnews.visibility -> gqlnews.graphql.schema",
        ),
        (
            "src/gqlnews/newsroom/scheduler.py",
            "from gqlnews.observability.endpoint import metrics_endpoint",
            "The core's layers: each imports only from the layers below it BROKEN",
            "gqlnews.newsroom.scheduler -> gqlnews.observability.endpoint",
        ),
        (
            "src/gqlnews/graphql/loaders.py",
            "from gqlnews.graphql.types.tag import Tag",
            "The GraphQL layer's own order (view above schema above root fields above types) "
            "BROKEN",
            "gqlnews.graphql.loaders -> gqlnews.graphql.types.tag",
        ),
        (
            "src/gqlnews/db.py",
            "from gqlnews.migrate import apply",
            "No import cycles between the core's modules BROKEN",
            ".migrate -> .db",  # the cycle db -> migrate -> db, broken at one end
        ),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, broken: str, named: str
) -> None:
    copy = _copy(tmp_path)
    _append(copy / module, line)
    done = _lint_imports(copy)
    assert done.returncode == 1, done.stdout + done.stderr
    report = " ".join(done.stdout.split())
    assert broken in report, done.stdout
    assert named in report, done.stdout
