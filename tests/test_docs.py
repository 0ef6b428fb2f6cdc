"""Documents that must follow the code."""

from pathlib import Path

from gqlnews.settings_doc import BEGIN, END, settings_reference

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_operations_settings_reference_is_current() -> None:
    text = (DOCS / "operations.md").read_text(encoding="utf-8")
    embedded = text.split(BEGIN, 1)[1].split(END, 1)[0].lstrip("\n")
    assert embedded == settings_reference(), (
        "docs/operations.md's settings table drifted: paste the output of `gqlnews settings`"
    )


def test_every_setting_is_documented() -> None:
    for row in settings_reference().splitlines()[2:]:
        assert row.rstrip(" |").split("|")[-1].strip(), f"setting without a description: {row}"
