"""Writing articles: create, update (with optimistic concurrency), workflow moves, embargo,
soft delete and restore, and restoring a revision. Each is one transaction that stores a
revision; a refusal writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pluggy
from tortoise.expressions import F

from gqlnews import previews
from gqlnews.models import Article, ArticleStatus
from gqlnews.models.article import derived_columns
from gqlnews.models.article_fields import LINKS, REVISIONED_LINKS
from gqlnews.models.article_fields import SECTION_LINKS as SECTIONS
from gqlnews.models.revision import ArticleRevision
from gqlnews.newsroom import events, revisions
from gqlnews.newsroom.problems import Code, Refused, refuse
from gqlnews.newsroom.unique import create_unique, writing
from gqlnews.newsroom.validation import ArticleFields, Resolved, check
from gqlnews.newsroom.workflow import Move, target
from gqlnews.visibility import Viewer, visible_articles


async def create(
    asked: ArticleFields, user_id: int | None, max_body_bytes: int, viewer: Viewer | None = None
) -> Article:
    """A new draft; ``viewer`` (None for commands) bounds the pictures it may use."""
    resolved = await check(asked, max_body_bytes, viewer=viewer)
    columns = {"status": ArticleStatus.DRAFT, "created_by_id": user_id, **resolved.columns}
    async with writing():
        article = await create_unique(Article, columns, resolved.slug_from, "article")
        await _write_links(article.pk, resolved)
        await revisions.record(article, user_id, "create")
    return article


async def update(
    article: Article,
    version: int,
    asked: ArticleFields,
    user_id: int | None,
    max_body_bytes: int,
    action: str = "update",
    viewer: Viewer | None = None,
    plugins: pluggy.PluginManager | None = None,
) -> Article:
    """Apply ``asked`` to ``article`` if it is still at ``version`` (else CONFLICT); ``viewer``
    (None for commands) bounds the pictures it may use."""
    resolved = await check(asked, max_body_bytes, current=article, viewer=viewer)
    sections = SECTIONS.revision_key
    if "primary_section_id" in resolved.columns and sections not in resolved.links:
        current = await revisions.links_of(article.pk)
        primary = resolved.columns["primary_section_id"]
        resolved.links[sections] = [primary, *(s for s in current[sections][1:] if s != primary)]
    return await _write(
        article.pk, version, resolved.columns, user_id, action, resolved, plugins=plugins
    )


async def move(
    article: Article,
    version: int,
    how: Move,
    user_id: int | None,
    now: datetime,
    at: datetime | None = None,
    plugins: pluggy.PluginManager | None = None,
) -> Article:
    """Submit, return to draft, schedule (``at``, in the future) or unpublish."""
    status = target(how, article.status)
    columns: dict[str, Any] = {"status": status}
    if how is Move.SCHEDULE:
        if at is None or at <= now:
            raise refuse(
                "at", Code.NOT_IN_FUTURE, "a publication can only be scheduled in the future"
            )
        columns["published_at"] = at
    if how is Move.UNPUBLISH:
        columns["released_at"] = None
    unpublished = events.EventKind.UNPUBLISHED if how is Move.UNPUBLISH else None
    return await _write(
        article.pk, version, columns, user_id, how.value, event=unpublished, plugins=plugins
    )


async def set_embargo(
    article: Article,
    version: int,
    until: datetime | None,
    user_id: int | None,
    now: datetime,
    plugins: pluggy.PluginManager | None = None,
) -> Article:
    """Embargo the article until ``until`` (in the future), or lift the embargo (None).

    Staff and partners see an embargoed article; the public sees it from ``until`` on, and the
    scheduler then runs the publishing path for its release.
    """
    if until is not None and until <= now:
        raise refuse("until", Code.NOT_IN_FUTURE, "an embargo must end in the future")
    columns: dict[str, Any] = {"embargo_until": until}
    if until is not None and article.status is ArticleStatus.PUBLISHED:
        columns["released_at"] = None
    return await _write(article.pk, version, columns, user_id, "embargo", plugins=plugins)


async def delete(
    article: Article,
    version: int,
    user_id: int | None,
    now: datetime,
    plugins: pluggy.PluginManager | None = None,
) -> Article:
    """Move the article to the trash (nobody reads it any more, its draft preview links are
    revoked); :func:`restore` takes it back (without the links)."""
    deleted = events.EventKind.DELETED
    return await _write(
        article.pk, version, {"deleted_at": now}, user_id, "delete", event=deleted, plugins=plugins
    )


async def restore(
    article_id: int, user_id: int | None, plugins: pluggy.PluginManager | None = None
) -> Article:
    """Take an article out of the trash, in the status it had."""
    article = await Article.filter(id=article_id, deleted_at__isnull=False).first()
    if article is None:
        raise refuse("id", Code.NOT_FOUND, "no such article in the trash")
    return await _write(
        article.pk,
        article.version,
        {"deleted_at": None},
        user_id,
        "undelete",
        event=events.EventKind.RESTORED,
        plugins=plugins,
    )


async def restore_revision(
    article: Article,
    version: int,
    number: int,
    user_id: int | None,
    plugins: pluggy.PluginManager | None = None,
) -> Article:
    """Put back the content of revision ``number`` (not its status): a new revision."""
    revision = await ArticleRevision.filter(article_id=article.pk, number=number).first()
    if revision is None:
        raise refuse("revision", Code.NOT_FOUND, f"the article has no revision {number}")
    content = revision.content
    columns = {name: content[name] for name in revisions.RESTORED_FIELDS if name in content}
    if article.status in (ArticleStatus.PUBLISHED, ArticleStatus.UNPUBLISHED):
        columns.pop("slug", None)  # stable once published
    columns["body_html"] = content.get("body_html", article.body_html)
    links = {key.revision_key: list(content.get(key.revision_key, [])) for key in REVISIONED_LINKS}
    if not links[SECTIONS.revision_key]:  # never without its primary section
        del links[SECTIONS.revision_key]
    resolved = Resolved(columns=columns, links=links)
    return await _write(
        article.pk,
        version,
        columns,
        user_id,
        "restore",
        resolved,
        note=f"revision {number}",
        plugins=plugins,
    )


async def _write(
    article_id: int,
    version: int,
    columns: dict[str, Any],
    user_id: int | None,
    action: str,
    links: Resolved | None = None,
    note: str = "",
    event: events.EventKind | None = None,
    plugins: pluggy.PluginManager | None = None,
) -> Article:
    """Compare-and-set at ``version``, links, revision and outbox event: one transaction; the
    event is announced to ``plugins``' ``gqlnews_event`` after the commit (without them, a
    server's relay announces it)."""
    values = dict(columns)
    values.update(derived_columns(values))
    async with writing():
        was_public = await visible_articles().filter(id=article_id).exists()
        was = await revisions.links_of(article_id) if was_public and links is not None else {}
        changed = await Article.filter(id=article_id, version=version).update(
            **values, version=F("version") + 1, updated_at=datetime.now(UTC)
        )
        if not changed:
            current = await Article.filter(id=article_id).first()
            if current is None:
                raise refuse("id", Code.NOT_FOUND, "no such article")
            raise _conflict(current.version, version)
        if links is not None:
            await _write_links(article_id, links)
        article = await Article.get(id=article_id)
        await revisions.record(article, user_id, action, note)
        if values.get("deleted_at") is not None:  # to the trash: its preview links end
            await previews.revoke_all(article_id, values["deleted_at"])
        if event is None and (
            was_public or await visible_articles().filter(id=article_id).exists()
        ):
            event = events.EventKind.UPDATED
        written = await events.write(event, article_id, **_was(was)) if event else None
    if written is not None:
        await events.announce(plugins, written)
    return article


def _was(links: dict[str, list[int]]) -> dict[str, Any]:
    """The payload part that says which lists a public article was in before a change."""
    return {"was": links} if links else {}


def _conflict(current: int, sent: int) -> Refused:
    return refuse(
        "version",
        Code.CONFLICT,
        f"the article is at version {current}, not {sent}: someone changed it since you read "
        "it; reload it and apply your change again",
    )


async def _write_links(article_id: int, resolved: Resolved) -> None:
    for links in LINKS:
        ids = resolved.links.get(links.revision_key)
        if ids is None:
            continue
        await links.model.filter(article_id=article_id).delete()
        await links.model.bulk_create(_links(links.model, links.column, article_id, ids))


def _links(model: Any, column: str, article_id: int, ids: Sequence[int]) -> list[Any]:
    return [
        model(article_id=article_id, position=position, **{column: pk})
        for position, pk in enumerate(ids)
    ]
