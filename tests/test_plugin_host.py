"""The plugin host: discovery, disabling, typos caught at startup, failures isolated, and the
meta-tests that keep every hook documented and tested."""

from __future__ import annotations

import logging
import re
import textwrap
from pathlib import Path

import pytest

from gqlnews.plugins import (
    HookFailed,
    PluginError,
    call_each,
    call_list,
    describe,
    hookimpl,
    hookspecs,
    make_plugin_manager,
)
from gqlnews.plugins.hookspecs import HOOK_NAMES
from gqlnews.settings import Settings
from tests.helpers import installed_plugins, run_gqlnews

HOOK_TESTS = Path(__file__).with_name("test_plugin_hooks.py")
PLUGIN_DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def write_plugin(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text("from gqlnews import hookimpl\n\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def test_every_hook_is_documented_with_its_arguments_and_result() -> None:
    docs = PLUGIN_DOCS.read_text(encoding="utf-8")
    for name in HOOK_NAMES:
        spec = getattr(hookspecs, name)
        doc = spec.__doc__ or ""
        assert ":returns:" in doc, f"{name}: say what it returns and how results combine"
        for argument in spec.__code__.co_varnames[: spec.__code__.co_argcount]:
            assert f":param {argument}:" in doc, f"{name}: document argument {argument}"
        assert f"`{name}" in docs, f"docs/plugins.md does not document {name}"


def test_every_hook_has_a_test_of_its_own() -> None:
    names = re.findall(r"def test_hook_(\w+)\(", HOOK_TESTS.read_text())
    tests = {hook for name in names for hook in name.split("_and_")}
    missing = set(HOOK_NAMES) - tests
    assert not missing, f"hooks without a test_hook_<name> in {HOOK_TESTS.name}: {missing}"


def test_a_misspelt_hook_fails_at_startup(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "typo",
        """
        @hookimpl
        def gqlnews_startp(app):
            pass
    """,
    )
    with pytest.raises(PluginError, match="gqlnews_startp"):
        make_plugin_manager(Settings(plugins_dir=str(tmp_path)))


def test_plugins_dir_is_loaded_described_and_can_be_disabled(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "sitemap",
        """
        __version__ = "1.2"

        @hookimpl
        def gqlnews_routes():
            return []
    """,
    )
    installed = ",".join(installed_plugins())
    only_dir = Settings(plugins_dir=str(tmp_path), disabled_plugins=installed)
    infos = describe(make_plugin_manager(only_dir))
    assert [(i.name, i.version, i.hooks) for i in infos] == [
        ("sitemap", "1.2", ("gqlnews_routes",))
    ]
    assert infos[0].source.startswith("file ")
    off = Settings(plugins_dir=str(tmp_path), disabled_plugins=f"sitemap, {installed}")
    assert describe(make_plugin_manager(off)) == []


def test_missing_plugins_dir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="does not exist"):
        make_plugin_manager(Settings(plugins_dir=str(tmp_path / "nope")))


def test_plugins_command_lists_them(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "hello",
        """
        @hookimpl
        def gqlnews_models():
            return []
    """,
    )
    done = run_gqlnews("plugins", env={"GQLNEWS_PLUGINS_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "hello - (file " in done.stdout
    assert "    gqlnews_models" in done.stdout


class _Good:
    @hookimpl
    async def gqlnews_before_publish(self, article: object) -> list[str]:
        return ["title too long"]


class _Broken:
    @hookimpl
    def gqlnews_before_publish(self) -> list[str]:
        raise RuntimeError("boom")


async def test_a_failing_plugin_is_logged_by_name_and_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pm = make_plugin_manager(Settings())
    pm.register(_Good(), name="good")
    pm.register(_Broken(), name="broken")
    with caplog.at_level(logging.ERROR, logger="gqlnews.plugins"):
        reasons = await call_list(pm, "gqlnews_before_publish", article=object())
    assert reasons == ["title too long"]
    assert "plugin 'broken' failed in gqlnews_before_publish" in caplog.text
    with pytest.raises(HookFailed) as failed:
        await call_each(pm, "gqlnews_before_publish", strict=True, article=object())
    assert failed.value.plugin == "broken"


def test_a_build_time_hook_must_not_be_async(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from gqlnews.plugins import call_list_sync

    write_plugin(
        tmp_path,
        "eager",
        """
        @hookimpl
        async def gqlnews_routes():
            return []
    """,
    )
    pm = make_plugin_manager(Settings(plugins_dir=str(tmp_path)))
    with caplog.at_level(logging.ERROR, logger="gqlnews.plugins"):
        assert call_list_sync(pm, "gqlnews_routes", settings=Settings()) == []
    assert "plugin 'eager' failed in gqlnews_routes" in caplog.text
    assert "must not be async" in caplog.text


def test_a_plugin_passed_in_code_that_is_also_installed_is_registered_once() -> None:
    """A plugin's own tests pass it to the harness after `pip install -e .` installed it."""
    import gqlnews_related.plugin as related

    pm = make_plugin_manager(Settings(), extra=[("related", related), ("mine", related)])
    assert pm.get_plugin("related") is related
    assert not pm.has_plugin("mine")


def test_another_plugin_under_an_installed_name_is_an_error() -> None:
    with pytest.raises(PluginError, match=r"'related' is taken \(entry point gqlnews_related"):
        make_plugin_manager(Settings(), extra=[("related", object())])
