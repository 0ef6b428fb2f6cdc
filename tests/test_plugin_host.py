"""The plugin host: discovery, disabling, typos caught at startup, failures isolated, and the
meta-tests that keep every hook documented and tested."""

from __future__ import annotations

import asyncio
import inspect
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
    call_list_sync,
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


def _signature(name: str) -> str:
    """``name(arg: Type, …) -> Result`` as the hookspec declares it (annotations as written)."""
    spec = inspect.signature(getattr(hookspecs, name))
    arguments = ", ".join(f"{p.name}: {p.annotation}" for p in spec.parameters.values())
    return f"{name}({arguments}) -> {spec.return_annotation}"


def test_every_hook_heading_in_the_docs_is_its_exact_signature() -> None:
    headings = re.findall(r"^### `(gqlnews_\w+\(.*\).*)`$", PLUGIN_DOCS.read_text(), flags=re.M)
    documented = {heading.split("(", 1)[0]: heading for heading in headings}
    assert {name: _signature(name) for name in HOOK_NAMES} == documented


def test_the_signature_check_sees_a_changed_type() -> None:
    assert _signature("gqlnews_routes") == "gqlnews_routes(settings: Settings) -> list[BaseRoute]"
    assert _signature("gqlnews_event") == "gqlnews_event(event: Event) -> Awaitable[None] | None"


class _Order:
    def __init__(self, name: str, seen: list[str]) -> None:
        self.name = name
        self.seen = seen

    @hookimpl
    async def gqlnews_startup(self) -> None:
        self.seen.append(self.name)


class _First(_Order):
    @hookimpl(tryfirst=True)
    async def gqlnews_startup(self) -> None:
        self.seen.append(self.name)


async def test_startup_runs_in_the_documented_order() -> None:
    """docs/plugins.md: the plugin registered last runs first; tryfirst moves one ahead."""
    seen: list[str] = []
    extra = [("a", _Order("a", seen)), ("b", _Order("b", seen)), ("c", _First("c", seen))]
    pm = make_plugin_manager(Settings(disabled_plugins=",".join(installed_plugins())), extra)
    await call_each(pm, "gqlnews_startup", app=object(), settings=Settings())
    assert seen == ["c", "b", "a"]


class _Wrapper:
    @hookimpl(wrapper=True)
    def gqlnews_routes(self) -> object:
        return (yield)


class _OldWrapper:
    @hookimpl(hookwrapper=True)
    def gqlnews_after_publish(self) -> object:
        yield


@pytest.mark.parametrize(
    ("plugin", "hook"), [(_Wrapper(), "gqlnews_routes"), (_OldWrapper(), "gqlnews_after_publish")]
)
def test_hook_wrappers_are_refused_at_startup_naming_plugin_and_hook(
    plugin: object, hook: str
) -> None:
    with pytest.raises(PluginError, match=rf"plugin 'wrapping': its {hook} is a hook wrapper"):
        make_plugin_manager(Settings(), [("wrapping", plugin)])


class _Slow:
    @hookimpl
    def gqlnews_routes(self) -> list[object]:
        return []

    @hookimpl
    async def gqlnews_after_publish(self) -> None:
        await asyncio.sleep(0)


async def test_log_hooks_logs_each_call_with_its_duration(
    caplog: pytest.LogCaptureFixture,
) -> None:
    alone = ",".join(installed_plugins())
    quiet = make_plugin_manager(Settings(disabled_plugins=alone), [("slow", _Slow())])
    loud = make_plugin_manager(
        Settings(disabled_plugins=alone, log_hooks=True), [("slow", _Slow())]
    )
    with caplog.at_level(logging.INFO, logger="gqlnews.plugins"):
        call_list_sync(quiet, "gqlnews_routes", settings=Settings())
        await call_each(quiet, "gqlnews_after_publish", article=object())
        assert caplog.text == ""
        call_list_sync(loud, "gqlnews_routes", settings=Settings())
        await call_each(loud, "gqlnews_after_publish", article=object())
    lines = caplog.text.splitlines()
    assert any(
        re.search(r"hook gqlnews_routes called in [\d.]+ ms \(.*slow [\d.]+ ms", x) for x in lines
    )
    assert any(re.search(r"hook gqlnews_after_publish called in [\d.]+ ms", x) for x in lines)
    assert any(
        re.search(r"hook gqlnews_after_publish awaited in [\d.]+ ms \(.*slow [\d.]+ ms", x)
        for x in lines
    )


async def test_pluggy_call_monitoring_sees_the_host_calls() -> None:
    """The host calls through pluggy's hook callers, so pluggy's monitoring sees each call."""
    pm = make_plugin_manager(Settings(), [("slow", _Slow())])
    seen: list[str] = []
    undo = pm.add_hookcall_monitoring(
        lambda name, impls, kwargs: seen.append(name), lambda *a: None
    )
    try:
        call_list_sync(pm, "gqlnews_routes", settings=Settings())
        await call_list(pm, "gqlnews_before_publish", article=object())
    finally:
        undo()
    assert seen == ["gqlnews_routes", "gqlnews_before_publish"]


class _BrokenAsync:
    @hookimpl
    async def gqlnews_after_publish(self) -> None:
        raise RuntimeError("async boom")


async def test_an_async_failure_is_isolated_too(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []
    pm = make_plugin_manager(
        Settings(disabled_plugins=",".join(installed_plugins())),
        [("a", _Order("a", seen)), ("broken", _BrokenAsync())],
    )
    with caplog.at_level(logging.ERROR, logger="gqlnews.plugins"):
        await call_each(pm, "gqlnews_after_publish", article=object())
        await call_each(pm, "gqlnews_startup", app=object(), settings=Settings())
    assert "plugin 'broken' failed in gqlnews_after_publish" in caplog.text
    assert seen == ["a"]
