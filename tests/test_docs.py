"""Documents that must follow the code."""

import re
from pathlib import Path

from gqlnews.plugins import make_plugin_manager, plugin_settings
from gqlnews.settings import Settings
from gqlnews.settings_doc import BEGIN, END, settings_reference
from tests.helpers import run_gqlnews

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _reference() -> str:
    """The reference as the installed plugins (the built-ins) make it."""
    return settings_reference(plugin_settings(make_plugin_manager(Settings())))


def test_operations_settings_reference_is_current() -> None:
    text = (DOCS / "operations.md").read_text(encoding="utf-8")
    embedded = text.split(BEGIN, 1)[1].split(END, 1)[0].lstrip("\n")
    assert embedded == _reference(), (
        "docs/operations.md's settings table drifted: paste the output of `gqlnews settings`"
    )


def test_every_setting_is_documented() -> None:
    for row in _reference().splitlines()[2:]:
        assert row.rstrip(" |").split("|")[-1].strip(), f"setting without a description: {row}"


def test_gqlnews_settings_lists_every_variable_the_code_reads() -> None:
    """Each GQLNEWS_* name in the core's and the built-in plugins' code is in the reference
    that `gqlnews settings` prints (the plugins' own knobs included)."""
    printed = run_gqlnews("settings", env={"GQLNEWS_DISABLED_PLUGINS": ""})
    assert printed.returncode == 0, printed.stderr
    listed = set(re.findall(r"^\| `(GQLNEWS_[A-Z_]+)`", printed.stdout, flags=re.M))
    read = {
        name
        for folder in (ROOT / "src", ROOT / "plugins")
        for path in folder.rglob("*.py")
        if path.name != "hookspecs.py"  # its docstrings show an example plugin's variable
        for name in re.findall(r"\b(GQLNEWS_[A-Z][A-Z_]*[A-Z])\b", path.read_text("utf-8"))
    }
    read -= {"GQLNEWS_TEST_DATABASE_URL"}  # the tests' own, not a server setting
    assert {"GQLNEWS_RELATED_INDEX_INTERVAL", "GQLNEWS_RANKING_FLUSH_SECONDS"} <= listed
    assert read - listed == set(), (
        f"read by the code but not in `gqlnews settings`: {read - listed}"
    )
