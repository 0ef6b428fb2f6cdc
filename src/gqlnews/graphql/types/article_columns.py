"""Which of an article's columns a list, search results or related articles read: those
their selection needs.

An article row carries its body twice (``body_html``, ``body_text``) and the analysed text
search indexes (``title_terms``, ``excerpt_terms``, ``body_terms``, as long again): most of
its bytes. A list of teasers (title, excerpt, date, picture…) needs none of them but the
plain text of an article without a standfirst, and reading them costs the database their
decompression and this process their decoding: on the 10k archive, the 21 rows of the front
page's list hold 47 KB of ``body_html``, 45 KB of ``body_text`` and 38 KB of terms against
7 KB of the other texts (bench/plans-results.md, ninth round).

:func:`list_columns` looks ahead at what the list's field asks of its articles (``nodes``
and ``edges { node }``, through fragments and inline fragments; a field under ``@skip`` or
``@include`` counts as asked, whatever the variables say) and names the columns to read:
every column but those five, plus ``body_html`` when ``body`` is asked and ``body_text``
when ``excerpt`` is (an article without a standfirst starts its excerpt from the body; the
prebuilt statements read it for those articles only, :mod:`gqlnews.graphql.body_text`, and
the others' is empty).
When the selection asks for a field that hands the article to a plugin (``related``, or a
field a plugin added to ``Article``), every column is read. :func:`related_columns` does the
same for the articles ``Article.related`` suggests and ``mostRead`` ranks (``article { … }``);
search results, a connection, use :func:`list_columns`.

The articles read so are Tortoise's partial instances (``_partial``): they lack the columns
left out, cannot be saved, and are not kept for the request's other look-ups by id
(:meth:`gqlnews.graphql.loaders.Loaders.prime_articles`; search hits and suggestions come
from :meth:`~gqlnews.graphql.loaders.Loaders.articles_reading`), which read whole rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from graphql import FieldNode, FragmentDefinitionNode
from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import get_object_definition

from gqlnews.graphql.context import Info
from gqlnews.graphql.selections import fields_of
from gqlnews.graphql.types.article import Article
from gqlnews.models import Article as ArticleModel

_NEEDED_BY = {"body_html": "body", "body_text": "excerpt"}
"""The columns a list reads only when the field that shows them is asked for."""

_NEVER = ("title_terms", "excerpt_terms", "body_terms")
"""The analysed text (for search, written on save): no field shows it."""

_HANDED_TO_PLUGINS = frozenset({"related"})
"""Core fields that give the article's instance to plugins' code (related strategies)."""

_CORE = frozenset(
    NameConverter().get_graphql_name(f) for f in get_object_definition(Article, strict=True).fields
)
_LIGHT = (_CORE - _HANDED_TO_PLUGINS) | {"__typename"}

_CACHE_SIZE = 4096
_seen: dict[int, tuple[FieldNode, tuple[str, ...] | None]] = {}


def list_columns(info: Info) -> tuple[str, ...] | None:
    """The article columns (model field names) the list of ``info``'s field (a connection:
    a list, search results) reads for its selection; None for every column."""
    return _columns(info, _list_fields)


def related_columns(info: Info) -> tuple[str, ...] | None:
    """The article columns the articles of ``info``'s field read for their selection
    (``article { … }``: ``Article.related``'s suggestions, ``mostRead``'s ranked articles);
    None for every column."""
    return _columns(info, _article_fields)


_Asked = Callable[[FieldNode, Mapping[str, FragmentDefinitionNode]], set[str]]


def _columns(info: Info, asked_of: _Asked) -> tuple[str, ...] | None:
    raw = info._raw_info  # Strawberry keeps graphql-core's nodes and fragments there
    nodes = raw.field_nodes
    kept = _seen.get(id(nodes[0])) if len(nodes) == 1 else None
    if kept is not None and kept[0] is nodes[0]:
        return kept[1]
    asked = {name for node in nodes for name in asked_of(node, raw.fragments)}
    columns: tuple[str, ...] | None = None
    if asked <= _LIGHT:
        columns = tuple(  # the model's columns once Tortoise has set it up (keys included)
            name
            for name in ArticleModel._meta.fields_db_projection
            if name not in _NEVER and (name not in _NEEDED_BY or _NEEDED_BY[name] in asked)
        )
    if len(nodes) == 1:
        if len(_seen) >= _CACHE_SIZE:
            _seen.clear()
        _seen[id(nodes[0])] = (nodes[0], columns)
    return columns


def _fields_under(
    node: FieldNode, path: tuple[str, ...], fragments: Mapping[str, FragmentDefinitionNode]
) -> set[str]:
    """The names of the fields asked under ``node`` at the end of ``path`` (field names)."""
    if not path:
        return {field.name.value for field in fields_of(node.selection_set, fragments)}
    asked: set[str] = set()
    for field in fields_of(node.selection_set, fragments):
        if field.name.value == path[0]:
            asked |= _fields_under(field, path[1:], fragments)
    return asked


def _list_fields(
    connection: FieldNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> set[str]:
    """The names of the fields a connection's field asks of its articles."""
    return _fields_under(connection, ("nodes",), fragments) | _fields_under(
        connection, ("edges", "node"), fragments
    )


def _article_fields(field: FieldNode, fragments: Mapping[str, FragmentDefinitionNode]) -> set[str]:
    """The names of the fields ``field`` (``Article.related``, ``mostRead``) asks of its
    articles (``article { … }``)."""
    return _fields_under(field, ("article",), fragments)
