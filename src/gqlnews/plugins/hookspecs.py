"""Every hook a gqlnews plugin can implement.

Implement one with ``from gqlnews import hookimpl`` and a function of the same name; a
hookimpl may take any subset of the arguments listed here, so hooks can grow new arguments
without breaking old plugins. Any hook may be ``async def``: the host awaits what comes back.
No hook is ``firstresult``: every implementation runs, and the host combines the results as
each docstring says. A plugin whose hook raises is logged by name and skipped; it never takes
down a request or the server (``gqlnews_before_publish`` alone fails closed: it refuses).
Hooks are called through pluggy's hook callers, in pluggy's order (the plugin registered last
first); hook wrappers (``hookwrapper=True``, ``wrapper=True``) are refused at startup.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from gqlnews.db import ModelApp
from gqlnews.plugins.markers import hookspec

if TYPE_CHECKING:
    import typer
    from starlette.applications import Starlette
    from starlette.routing import BaseRoute

    from gqlnews.models import Article
    from gqlnews.models.event import Event
    from gqlnews.plugins.strategies import RankingStrategy, RelatedStrategy
    from gqlnews.settings import PluginSetting, Settings


@hookspec
def gqlnews_startup(app: Starlette, settings: Settings) -> Awaitable[None] | None:
    """Called once when the app starts, after the database is open.

    :param app: the Starlette application (``app.state`` is yours to use, under your name).
    :param settings: the server's settings.
    :returns: nothing. Implementations run in pluggy's order (the plugin registered last
        first: code, then the plugins folder, then the installed ones; ``tryfirst`` and
        ``trylast`` move one); one that raises is logged and the others still run.
    """


@hookspec
def gqlnews_shutdown(app: Starlette) -> Awaitable[None] | None:
    """Called once when the app stops, before the database closes.

    :param app: the Starlette application.
    :returns: nothing. Every implementation runs; one that raises is logged.
    """


@hookspec
def gqlnews_models() -> list[ModelApp]:
    """Tortoise models the plugin owns, as apps with their own migrations. Plain function.

    ``ModelApp("ranking", ("my_plugin.models",), "my_plugin.migrations")`` makes an app named
    ``ranking``; ``gqlnews migrate`` (and ``serve`` on an empty database) applies its
    migrations after the core's, and the server refuses to start while one is pending. A
    disabled plugin's tables stay in the database, untouched.

    :returns: model apps. All plugins' lists are concatenated; labels must be unique.
    """
    raise NotImplementedError


@dataclass(frozen=True, slots=True)
class TypeExtension:
    """Fields a plugin adds to an existing GraphQL type.

    ``fields`` is a Strawberry type whose fields are copied onto the type named ``target``
    (``"Article"``, ``"Section"``, ``"Query"``, ``"Mutation"``…). Its resolvers receive the
    target's object as ``self`` (an ``Article`` for ``"Article"``; ``None`` for ``"Query"`` and
    ``"Mutation"``).
    """

    target: str
    fields: type


@hookspec
def gqlnews_schema_types() -> list[type]:
    """New Strawberry types the plugin's fields return (e.g. ``RelatedArticle``). Plain function.

    :returns: Strawberry types. All plugins' lists are concatenated and added to the schema.
    """
    raise NotImplementedError


@hookspec
def gqlnews_extend_types() -> list[TypeExtension]:
    """Fields to add to existing types (see :class:`TypeExtension`). Plain function.

    :returns: extensions. All plugins' lists are concatenated; a field name that already
        exists on the target (core or another plugin) stops the server with both names.
    """
    raise NotImplementedError


@dataclass(frozen=True, slots=True)
class FieldCost:
    """The query cost of one field (see docs/api.md, "Query cost").

    A field costs ``weight`` (the work it does beyond the objects it returns: a search, a
    strategy, a COUNT, a write), plus, for each item it may return, 1 when the item is an
    object and whatever its own selection costs. How many items: 1 for a field that is not a
    list; for a list, the largest of the ``sizing`` arguments given (an integer, or the length
    of a list), else their default in the schema, else ``size``, else the server's
    ``GQLNEWS_DEFAULT_PAGE_SIZE``. Never more than ``GQLNEWS_MAX_PAGE_SIZE`` per list.
    """

    field: str
    """``"Type.field"``, e.g. ``"Editorial.picks"``."""
    weight: int = 0
    """Added once per time the field is resolved (0 to 10,000)."""
    size: int | None = None
    """Items a list may return when no sizing argument says (None: the default page size)."""
    sizing: tuple[str, ...] = ("first", "last", "perPage")
    """Arguments that give the number of items of a list."""


@hookspec
def gqlnews_field_costs() -> list[FieldCost]:
    """The query cost of the plugin's fields (see :class:`FieldCost`). Plain function.

    A field left out costs the default: 1 per object it returns, lists of
    ``GQLNEWS_DEFAULT_PAGE_SIZE`` items unless a ``first``/``last``/``perPage`` argument
    says, no weight.

    :returns: costs. All plugins' lists are concatenated; a field that is not in the schema,
        one the plugin did not add (the core costs its own fields), or one declared twice stops
        the server, naming the plugin.
    """
    raise NotImplementedError


@hookspec
def gqlnews_related_strategies() -> list[RelatedStrategy]:
    """Related-article strategies the plugin offers (see :mod:`gqlnews.plugins.strategies`).

    :returns: strategies; all plugins' lists are concatenated. Names must be unique: a second
        strategy with a taken name stops the server. Plain function.
    """
    raise NotImplementedError


@hookspec
def gqlnews_ranking_strategies() -> list[RankingStrategy]:
    """Ranking strategies the plugin offers (most read, trending…).

    :returns: strategies; all plugins' lists are concatenated. Names must be unique. Plain
        function.
    """
    raise NotImplementedError


@hookspec
def gqlnews_routes(settings: Settings) -> list[BaseRoute]:
    """Extra HTTP routes, e.g. a sitemap or a webhook receiver. Plain function (called while
    the app is built).

    :param settings: the server's settings.
    :returns: Starlette routes. The lists of all plugins are concatenated and mounted after the
        core routes (``/graphql``, ``/healthz``, ``/readyz``, ``/metrics``), which win on a clash.
    """
    raise NotImplementedError


@hookspec
def gqlnews_register_commands(cli: typer.Typer) -> None:
    """Add commands to the ``gqlnews`` command line. Plain function (called as it starts).

    :param cli: the root Typer app; call ``cli.command()(fn)`` or ``cli.add_typer(sub)``.
    :returns: nothing.
    """


@hookspec
def gqlnews_before_publish(article: Article) -> Awaitable[list[str]] | list[str]:
    """Asked before an article is published; may refuse it.

    :param article: the article about to be published (not saved yet; changing its fields,
        e.g. filling an empty excerpt, changes what is published).
    :returns: reasons to refuse, as sentences for the editor; an empty list accepts. The
        reasons of all plugins are concatenated: any reason refuses the publication. Unlike
        other hooks, one that raises refuses it too (fail closed), with a reason naming the
        plugin.
    """
    raise NotImplementedError


@hookspec
def gqlnews_after_publish(article: Article) -> Awaitable[None] | None:
    """Told after an article's publication has been committed.

    :param article: the published article.
    :returns: nothing. Every implementation runs; one that raises is logged and does not undo
        the publication.
    """


@hookspec
def gqlnews_event(event: Event) -> Awaitable[None] | None:
    """Told about a publishing event after the write that made it was committed: an article
    published, released (embargo lifted), unpublished, moved to the trash (``deleted``),
    restored, refused (a scheduled publication), or a public article ``updated``.

    Events come from the outbox table: the process that made the write announces it; if that
    failed (Redis down) or the process died first, the event relay of a server announces it
    again a few seconds later. So an event may arrive more than once, in any process, and a
    little late: use ``event.id`` (increasing) to notice a repeat.

    :param event: the event: ``id``, ``kind`` (:class:`gqlnews.models.event.EventKind`),
        ``article_id`` and ``payload`` (``why``, ``embargoed``, ``reasons`` or ``was``,
        depending on the kind).
    :returns: nothing. Every implementation runs, in pluggy's order; one that raises is logged
        and the event stays announced (the core's own consumers excepted: their failure has the
        relay announce it again).
    """


@hookspec
def gqlnews_settings() -> list[PluginSetting]:
    """The environment variables the plugin reads. Plain function.

    ``gqlnews settings`` prints them after the core's, each with the plugin's name, so that an
    admin finds every knob in one place. Read them yourself (``os.environ``) and refuse a bad
    value with a message naming the variable.

    :returns: settings, e.g. ``[PluginSetting("GQLNEWS_SITEMAP_SIZE", "1000", "URLs per
        sitemap file.")]``. All plugins' lists are concatenated in plugin order; a name must be
        unique.
    """
    raise NotImplementedError


@hookspec
def gqlnews_demo_loaded(now: datetime) -> Awaitable[None] | None:
    """Told that the demo newsroom was just loaded (``gqlnews demo``, and the test helpers'
    ``demo=True``), with the database open: add the plugin's own demo data (view counts,
    picks, an index…) so the demo shows what the plugin does.

    :param now: the instant the demo's dates were made relative to.
    :returns: nothing. Every implementation runs; one that raises is logged and the demo
        stays loaded.
    """


@hookspec
def gqlnews_archive_imported(article_ids: list[int]) -> Awaitable[str | None] | str | None:
    """Told that ``gqlnews import`` finished writing (also after ``--strict`` or an unreadable
    file stopped it, not after an interruption), with the database open: bring what the
    plugin derives from articles (an index, counters…) up to date before the command returns.

    :param article_ids: ids of the articles the import created or updated, in the order
        their batches were committed (empty when every line was unchanged). Articles
        changed otherwise since the plugin last looked are not in it.
    :returns: a line for the import summary (``"text index: 120 articles indexed in 1.2 s"``)
        or None. Every implementation runs, in pluggy's order; the summary shows each
        line after the plugin's name. One that raises is logged, named in the summary, and
        the import stays written.
    """


@hookspec
def gqlnews_cache_purged(keys: list[str], background: bool) -> Awaitable[None] | None:
    """Told that the server dropped every cached answer carrying one of ``keys``, after the
    write that changed them was committed: purge the same surrogate keys from a CDN (the
    answers' ``Surrogate-Key`` and ``Cache-Tag`` headers list them).

    Called once per purge, by the process that made it (not once per server process): in a
    server, before the write's mutation answers; in a command (``gqlnews import``…), once at
    its end with all its keys.

    :param keys: the surrogate keys, sorted (``Article:42``, ``Section:3:articles``…; ``*``
        means everything). See docs/caching.md.
    :param background: True in a server, which keeps running: hand slow work to a task of
        your own (and let ``gqlnews_shutdown`` wait for it). False in a command, which exits
        right after the hook: finish the work before returning.
    :returns: nothing. Every implementation runs; one that raises is logged and the purge
        stands.
    """


HOOK_NAMES: tuple[str, ...] = tuple(
    name
    for name, value in sorted(globals().items())
    if name.startswith("gqlnews_") and callable(value)
)

__all__ = ["HOOK_NAMES", "FieldCost", "ModelApp", "TypeExtension", *HOOK_NAMES]
