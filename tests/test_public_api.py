"""The package's public surfaces are small and pinned: ``gqlnews`` and the plugin API
``gqlnews.api`` (its names, its cheap import, its generated table in docs/plugins.md)."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import gqlnews
import gqlnews.api
from gqlnews.api_doc import BEGIN, END, api_reference, embed

DOCS = Path(__file__).resolve().parent.parent / "docs"

PLUGIN_API = [
    "ARTICLE_LIST_KEY",
    "NOT_FOUND",
    "Action",
    "ArchiveReader",
    "Article",
    "ArticleAuthor",
    "ArticleSection",
    "ArticleStatus",
    "ArticleTag",
    "ArticleType",
    "Author",
    "BadUserInput",
    "ClientError",
    "Edition",
    "Event",
    "EventKind",
    "FieldCost",
    "Genre",
    "GraphQLErrors",
    "Image",
    "InProcessClient",
    "Info",
    "Loaders",
    "ModelApp",
    "MutationError",
    "PluginSetting",
    "Problem",
    "RankingStrategy",
    "RefusalCode",
    "Refused",
    "RelatedStrategy",
    "Scored",
    "Section",
    "Settings",
    "SharedLoader",
    "SharedResult",
    "Supplement",
    "Tag",
    "TypeExtension",
    "UnreadableArchive",
    "Viewer",
    "Window",
    "articles_of_key",
    "connection_dialect",
    "cut_excerpt",
    "decode_id_of",
    "depends_on",
    "depends_on_all",
    "encode_id",
    "entity_key",
    "genre_key",
    "hookimpl",
    "html_to_text",
    "in_process_client",
    "max_age",
    "purge_cache",
    "refuse",
    "require",
    "run_on_database",
    "uncacheable",
    "visible_articles",
    "visible_editions",
    "visible_images",
    "visible_supplements",
]
"""Adding or removing a name is a reviewed change: list it in the changelog of
docs/plugins.md ("The public plugin API")."""


def test_exported_members() -> None:
    assert gqlnews.__all__ == ["Settings", "__version__", "create_app", "hookimpl"]
    for name in gqlnews.__all__:
        assert getattr(gqlnews, name) is not None
    assert callable(gqlnews.create_app)


def test_the_plugin_api_is_pinned() -> None:
    assert gqlnews.api.__all__ == PLUGIN_API
    assert sorted(gqlnews.api._EXPORTS) == sorted(PLUGIN_API)


@pytest.mark.parametrize("name", PLUGIN_API)
def test_each_name_is_the_core_object_it_names(name: str) -> None:
    module, attribute = gqlnews.api._EXPORTS[name]
    __import__(module)
    assert getattr(gqlnews.api, name) is getattr(sys.modules[module], attribute)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'create_app'"):
        gqlnews.api.create_app  # noqa: B018  (the app is not part of the plugin API)


def test_the_type_checkers_see_the_same_names() -> None:
    """The imports under ``TYPE_CHECKING`` (what mypy sees) are ``_EXPORTS`` (what runs)."""
    tree = ast.parse(inspect.getsource(gqlnews.api))
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    seen = {
        alias.asname or alias.name: (node.module, alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == gqlnews.api._EXPORTS


HEAVY = ("tortoise", "gqlnews.models", "gqlnews.plugins.manager", "strawberry", "starlette")


@pytest.mark.parametrize(
    "code", ["import gqlnews.api", "from gqlnews.api import hookimpl", "import gqlnews"]
)
def test_importing_the_plugin_api_is_cheap(code: str) -> None:
    """A plugin's entry-point module imports the marker: that loads neither Tortoise, the
    models, the plugin manager nor the web and GraphQL stacks (a fresh interpreter)."""
    probe = f"{code}\nimport sys\nprint(*(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == []


def test_every_name_is_documented_in_one_line() -> None:
    for row in api_reference().splitlines()[2:]:
        assert row.rstrip(" |").split("|")[-1].strip(), f"name without a description: {row}"
        assert row.count("|") == 4, row


def test_the_docs_table_is_generated_from_the_module() -> None:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    embedded = text.split(BEGIN, 1)[1].split(END, 1)[0].lstrip("\n")
    assert embedded == api_reference(), (
        "docs/plugins.md's plugin API table drifted: run "
        "`.venv/bin/python -m gqlnews.api_doc docs/plugins.md`"
    )
    assert embed(text) == text


def test_the_changelog_lists_the_plugin_api() -> None:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    changelog = text.split("### Changelog", 1)[1].split("\n## ", 1)[0]
    assert "`gqlnews.api`" in changelog
