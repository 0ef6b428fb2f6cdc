"""The plugin template in examples/ loads as a plugin and its strategy works on the demo."""

from __future__ import annotations

import importlib
import os
import shutil
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx
import pytest

from gqlnews.demo import ANATOMY_SLUG
from gqlnews.models import ArticleAuthor
from gqlnews.plugins import describe, make_plugin_manager
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.helpers import gql_data

TEMPLATE = Path(__file__).resolve().parent.parent / "examples" / "plugin-template"


def test_the_template_is_an_installable_plugin_package() -> None:
    project = tomllib.loads((TEMPLATE / "pyproject.toml").read_text())
    entry = project["project"]["entry-points"]["gqlnews"]
    assert entry == {"same_author": "gqlnews_same_author"}
    assert (TEMPLATE / "src" / "gqlnews_same_author" / "__init__.py").exists()
    assert (TEMPLATE / "tests" / "test_same_author.py").exists()


async def test_the_template_suggests_articles_by_the_same_author(
    demo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(TEMPLATE / "src"))
    plugin = importlib.import_module("gqlnews_same_author")
    settings = Settings()
    plugins = make_plugin_manager(settings, extra=[("same_author", plugin)])
    infos = describe(plugins)
    assert plugin.__version__ == "0.1.0"
    assert any(
        i.name == "same_author" and i.hooks == ("gqlnews_related_strategies",) for i in infos
    )
    app = create_app(settings, plugins)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        data = await gql_data(
            client,
            "query($s: String!) { article(slug: $s) { authors { slug } "
            'related(strategy: "same-author", first: 3) { reason '
            "article { slug authors { slug } } } } }",
            {"s": ANATOMY_SLUG},
        )
    article = data["article"]
    mine = {a["slug"] for a in article["authors"]}
    assert article["related"], "the anatomy article's author signed other articles"
    for suggestion in article["related"]:
        assert suggestion["reason"] == "same author"
        assert mine & {a["slug"] for a in suggestion["article"]["authors"]}
    assert await ArticleAuthor.all().exists()


def test_the_readme_steps_work_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    """The template README, for real: in a new virtual environment where gqlnews is installed,
    ``pip install -e ".[test]"`` then ``gqlnews plugins`` lists the plugin and ``pytest`` passes.

    The template is copied first, so the install writes nothing into the checkout (setuptools
    can leave ``*.egg-info`` beside the module). gqlnews and its dependencies come from the
    running environment (a ``.pth`` file chains its site-packages): gqlnews cannot be built here
    without the network, and a plugin author's environment has it installed already."""
    before = _files(TEMPLATE)
    template = tmp_path / "plugin"
    shutil.copytree(TEMPLATE, template, ignore=shutil.ignore_patterns(*_BUILD_LEFTOVERS))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = str(venv / "bin" / "python")
    env = _clean_env(venv, tmp_path / "tmp")
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], env)
    chain = "".join(f"import site; site.addsitedir({d!r})\n" for d in site.getsitepackages())
    Path(purelib.strip(), "_gqlnews_environment.pth").write_text(chain)

    pip = [sys.executable, "-m", "pip", "--python", python, "--no-cache-dir"]
    # Offline, with this environment's setuptools and wheel (the dev extra has them): the
    # README's command with the build isolation a network would give it.
    offline = ["--no-build-isolation", "--no-index"]
    _run([*pip, "install", *offline, "-e", ".[test]"], env, cwd=template)
    listed = _run([python, "-c", _GQLNEWS_COMMAND, "plugins"], env, cwd=template)
    assert "same_author 0.1.0 (entry point gqlnews_same_author" in listed, listed
    assert "gqlnews_related_strategies" in listed.split("same_author", 1)[1], listed
    tested = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], env, cwd=template)
    assert "3 passed" in tested, tested
    assert _files(TEMPLATE) == before, "the steps wrote into the checkout"


# What setuptools and pytest write beside a project; never copied, never left in the checkout.
_BUILD_LEFTOVERS = ("*.egg-info", "build", "dist", "__pycache__", ".pytest_cache")
# The `gqlnews` command as installed: its console-script entry point (the venv chains gqlnews
# from the running environment, whose bin/ it does not have).
_GQLNEWS_COMMAND = (
    "import sys; from importlib.metadata import entry_points; "
    "(gqlnews,) = entry_points(group='console_scripts', name='gqlnews'); "
    "sys.exit(gqlnews.load()())"
)


def _files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if "__pycache__" not in p.parts}


def _clean_env(venv: Path, tmp: Path) -> dict[str, str]:
    """The caller's environment as a plugin author's shell has it: the venv activated, no
    PYTHONPATH or gqlnews settings from this test run, temporary files under ``tmp``."""
    tmp.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS"}
        and not key.startswith(("GQLNEWS_", "PYTEST_XDIST", "COV_"))
    }
    path = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return {**env, "VIRTUAL_ENV": str(venv), "PATH": path, "TMPDIR": str(tmp)}


def _run(command: list[str], env: dict[str, str], cwd: Path | None = None) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout
