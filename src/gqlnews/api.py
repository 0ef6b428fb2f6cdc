"""The plugin API: everything a gqlnews plugin may import, from this one module.

    from gqlnews.api import Article, Scored, depends_on, hookimpl

A name listed in ``__all__`` is kept from release to release; adding or removing one is a
reviewed change, listed in the changelog of docs/plugins.md. Anything else in ``gqlnews`` is
internal and may change without notice; a plugin that needs it has found a gap in this
module (say so). The built-in plugins import nothing else from ``gqlnews`` (``make lint``
checks it), and their tests use :mod:`gqlnews.testing`.

Importing this module is cheap: each name is loaded when first used (PEP 562), so ``from
gqlnews.api import hookimpl`` in a plugin's entry-point module loads neither Tortoise, the
models nor the plugin manager. The imports below ``TYPE_CHECKING`` are the same names, for
type checkers; a test keeps them and ``_EXPORTS`` equal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gqlnews.archive.reader import ArchiveReader, UnreadableArchive
    from gqlnews.cache.bus import purge as purge_cache
    from gqlnews.cache.deps import depends_on, depends_on_all, max_age, uncacheable
    from gqlnews.cache.keys import ARTICLE_LIST as ARTICLE_LIST_KEY
    from gqlnews.cache.keys import articles_of as articles_of_key
    from gqlnews.cache.keys import entity as entity_key
    from gqlnews.cache.keys import genre as genre_key
    from gqlnews.command_database import run_on_database
    from gqlnews.db import ModelApp, connection_dialect
    from gqlnews.errors import NOT_FOUND, BadUserInput, ClientError
    from gqlnews.graphql.context import Info
    from gqlnews.graphql.loaders import Loaders
    from gqlnews.graphql.sharing import SharedLoader, SharedResult
    from gqlnews.graphql.types.article import Article as ArticleType
    from gqlnews.graphql.types.errors import MutationError
    from gqlnews.ids import decode_id_of, encode_id
    from gqlnews.inprocess import GraphQLErrors, InProcessClient, in_process_client
    from gqlnews.models import (
        Article,
        ArticleAuthor,
        ArticleSection,
        ArticleStatus,
        ArticleTag,
        Author,
        Edition,
        Genre,
        Image,
        Section,
        Supplement,
        Tag,
    )
    from gqlnews.models.event import Event, EventKind
    from gqlnews.newsroom.problems import Code as RefusalCode
    from gqlnews.newsroom.problems import Problem, Refused, refuse
    from gqlnews.permissions import Action, require
    from gqlnews.plugins.hookspecs import FieldCost, TypeExtension
    from gqlnews.plugins.markers import hookimpl
    from gqlnews.plugins.strategies import RankingStrategy, RelatedStrategy, Scored, Window
    from gqlnews.settings import PluginSetting, Settings
    from gqlnews.text import cut_excerpt, html_to_text
    from gqlnews.visibility import (
        Viewer,
        visible_articles,
        visible_editions,
        visible_images,
        visible_supplements,
    )

_EXPORTS: dict[str, tuple[str, str]] = {
    # Declaring a plugin: hooks, its models, its settings, its fields' extensions and costs.
    "hookimpl": ("gqlnews.plugins.markers", "hookimpl"),
    "ModelApp": ("gqlnews.db", "ModelApp"),
    "PluginSetting": ("gqlnews.settings", "PluginSetting"),
    "Settings": ("gqlnews.settings", "Settings"),
    "TypeExtension": ("gqlnews.plugins.hookspecs", "TypeExtension"),
    "FieldCost": ("gqlnews.plugins.hookspecs", "FieldCost"),
    # Strategies.
    "RelatedStrategy": ("gqlnews.plugins.strategies", "RelatedStrategy"),
    "RankingStrategy": ("gqlnews.plugins.strategies", "RankingStrategy"),
    "Scored": ("gqlnews.plugins.strategies", "Scored"),
    "Window": ("gqlnews.plugins.strategies", "Window"),
    # The core's models, to read (write through the core's paths).
    "Article": ("gqlnews.models", "Article"),
    "ArticleAuthor": ("gqlnews.models", "ArticleAuthor"),
    "ArticleSection": ("gqlnews.models", "ArticleSection"),
    "ArticleStatus": ("gqlnews.models", "ArticleStatus"),
    "ArticleTag": ("gqlnews.models", "ArticleTag"),
    "Author": ("gqlnews.models", "Author"),
    "Edition": ("gqlnews.models", "Edition"),
    "Genre": ("gqlnews.models", "Genre"),
    "Image": ("gqlnews.models", "Image"),
    "Section": ("gqlnews.models", "Section"),
    "Supplement": ("gqlnews.models", "Supplement"),
    "Tag": ("gqlnews.models", "Tag"),
    # Who may see what: the one visibility rule, never restated.
    "Viewer": ("gqlnews.visibility", "Viewer"),
    "visible_articles": ("gqlnews.visibility", "visible_articles"),
    "visible_editions": ("gqlnews.visibility", "visible_editions"),
    "visible_supplements": ("gqlnews.visibility", "visible_supplements"),
    "visible_images": ("gqlnews.visibility", "visible_images"),
    # GraphQL: the request context, the core types a field returns, IDs, typed errors.
    "Info": ("gqlnews.graphql.context", "Info"),
    "Loaders": ("gqlnews.graphql.loaders", "Loaders"),
    "SharedLoader": ("gqlnews.graphql.sharing", "SharedLoader"),
    "SharedResult": ("gqlnews.graphql.sharing", "SharedResult"),
    "ArticleType": ("gqlnews.graphql.types.article", "Article"),
    "MutationError": ("gqlnews.graphql.types.errors", "MutationError"),
    "encode_id": ("gqlnews.ids", "encode_id"),
    "decode_id_of": ("gqlnews.ids", "decode_id_of"),
    "ClientError": ("gqlnews.errors", "ClientError"),
    "BadUserInput": ("gqlnews.errors", "BadUserInput"),
    "NOT_FOUND": ("gqlnews.errors", "NOT_FOUND"),
    # Publishing events (the gqlnews_event hook's argument).
    "Event": ("gqlnews.models.event", "Event"),
    "EventKind": ("gqlnews.models.event", "EventKind"),
    # Refusing a write, as the core does; who may write.
    "Refused": ("gqlnews.newsroom.problems", "Refused"),
    "Problem": ("gqlnews.newsroom.problems", "Problem"),
    "RefusalCode": ("gqlnews.newsroom.problems", "Code"),
    "refuse": ("gqlnews.newsroom.problems", "refuse"),
    "Action": ("gqlnews.permissions", "Action"),
    "require": ("gqlnews.permissions", "require"),
    # The response cache: what an answer depends on, and purging after a write.
    "depends_on": ("gqlnews.cache.deps", "depends_on"),
    "depends_on_all": ("gqlnews.cache.deps", "depends_on_all"),
    "max_age": ("gqlnews.cache.deps", "max_age"),
    "uncacheable": ("gqlnews.cache.deps", "uncacheable"),
    "entity_key": ("gqlnews.cache.keys", "entity"),
    "articles_of_key": ("gqlnews.cache.keys", "articles_of"),
    "genre_key": ("gqlnews.cache.keys", "genre"),
    "ARTICLE_LIST_KEY": ("gqlnews.cache.keys", "ARTICLE_LIST"),
    "purge_cache": ("gqlnews.cache.bus", "purge"),
    # Text, the database and archives.
    "cut_excerpt": ("gqlnews.text", "cut_excerpt"),
    "html_to_text": ("gqlnews.text", "html_to_text"),
    "connection_dialect": ("gqlnews.db", "connection_dialect"),
    "ArchiveReader": ("gqlnews.archive.reader", "ArchiveReader"),
    "UnreadableArchive": ("gqlnews.archive.reader", "UnreadableArchive"),
    # A plugin's commands: the database, and the API asked in process.
    "run_on_database": ("gqlnews.command_database", "run_on_database"),
    "in_process_client": ("gqlnews.inprocess", "in_process_client"),
    "InProcessClient": ("gqlnews.inprocess", "InProcessClient"),
    "GraphQLErrors": ("gqlnews.inprocess", "GraphQLErrors"),
}

__all__ = [
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


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
