"""What each role may do: one table of grants and :func:`require`, called by every mutation.

Use it at the top of a resolver, before touching anything::

    from gqlnews.permissions import Action, require, require_article_edit

    require(info.context.viewer, Action.ARTICLE_CREATE)
    require(info.context.viewer, Action.ARTICLE_PUBLISH)
    require(info.context.viewer, Action.ARTICLE_UPDATE, owner_id=article.created_by_id)
    require_article_edit(info.context.viewer, article)  # own *drafts* for authors

Anonymous callers get ``UNAUTHENTICATED``, signed-in ones without the right ``FORBIDDEN``.
A mutation on an existing object calls :func:`require_signed_in` before looking it up, so that
an anonymous caller learns nothing about which ids exist; a signed-in one who may not *see* the
object gets the answer of an unknown id (NOT_FOUND), and only one who sees it but may not act
gets ``FORBIDDEN``. An
action granted as ``<action>.any`` applies to every object; one granted as ``<action>.own``
only to objects whose ``owner_id`` is the viewer's account (pass it; None never matches).
What a viewer may *read* is :mod:`gqlnews.visibility`, not this module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from gqlnews.errors import ClientError
from gqlnews.models import ArticleStatus, UserRole
from gqlnews.visibility import Viewer

UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"


class Unauthenticated(ClientError):
    """The operation needs a signed-in account and the request has none."""

    code = UNAUTHENTICATED


class Forbidden(ClientError):
    """The signed-in account's role does not allow the operation."""

    code = FORBIDDEN


class Action(StrEnum):
    """What a mutation may ask permission for. Scoped actions (``article.update``…) are granted
    per role as ``.own`` or ``.any``."""

    ARTICLE_CREATE = "article.create"
    ARTICLE_UPDATE = "article.update"
    """Scoped: ``.own`` for the articles the viewer created, ``.any`` for all."""
    ARTICLE_SUBMIT = "article.submit"
    """Scoped: send a draft to review."""
    ARTICLE_PUBLISH = "article.publish"
    """Publish, schedule and unpublish."""
    ARTICLE_DELETE = "article.delete"
    ARTICLE_PREVIEW = "article.preview"
    """Scoped: create and revoke draft preview links."""
    SECTION_MANAGE = "section.manage"
    EDITION_MANAGE = "edition.manage"
    SUPPLEMENT_MANAGE = "supplement.manage"
    PICKS_MANAGE = "picks.manage"
    CATALOG_MANAGE = "catalog.manage"
    """Create and change bylines, and change tags and images every article shares."""
    USERS_MANAGE = "users.manage"
    """Create, list and change accounts, and their API tokens."""
    WEBHOOKS_MANAGE = "webhooks.manage"
    """Register, list and remove webhook endpoints and see their deliveries."""


_DESK = frozenset(
    {
        "article.create",
        "article.update.any",
        "article.submit.any",
        "article.publish",
        "article.delete.any",
        "article.preview.any",
        "section.manage",
        "edition.manage",
        "supplement.manage",
        "picks.manage",
        "catalog.manage",
    }
)

GRANTS: dict[UserRole, frozenset[str]] = {
    UserRole.ADMIN: _DESK | {"users.manage", "webhooks.manage"},
    UserRole.EDITOR: _DESK,
    UserRole.AUTHOR: frozenset(
        {"article.create", "article.update.own", "article.submit.own", "article.preview.own"}
    ),
    UserRole.CONTRIBUTOR: frozenset({"article.create", "article.update.own"}),
}
"""Role → the grants it holds: an action name, or a scoped one ending in ``.own``/``.any``."""

OWNER_EDITABLE = frozenset({ArticleStatus.DRAFT})
"""Statuses in which an article's creator may still edit it with only ``article.update.own``."""


def allows(viewer: Viewer, action: Action, owner_id: int | None = None) -> bool:
    """Whether ``viewer`` may do ``action`` (on an object owned by ``owner_id``)."""
    if viewer.role is None:
        return False
    granted = GRANTS[viewer.role]
    if action.value in granted or f"{action.value}.any" in granted:
        return True
    return f"{action.value}.own" in granted and owner_id is not None and owner_id == viewer.user_id


def require_signed_in(viewer: Viewer, action: Action) -> None:
    """Raise :class:`Unauthenticated` unless ``viewer`` is signed in (whatever the object)."""
    if not viewer.is_authenticated:
        raise Unauthenticated(f"sign in to do this ({action.value})", action=action.value)


def require(viewer: Viewer, action: Action, owner_id: int | None = None) -> None:
    """Raise :class:`Unauthenticated` or :class:`Forbidden` unless ``viewer`` may do
    ``action`` (on an object owned by ``owner_id``, for scoped actions)."""
    require_signed_in(viewer, action)
    if not allows(viewer, action, owner_id):
        whose = " on another account's object" if _owns_only(viewer, action) else ""
        raise Forbidden(
            f"the {viewer.role} role may not do {action.value}{whose}", action=action.value
        )


def _owns_only(viewer: Viewer, action: Action) -> bool:
    return viewer.role is not None and f"{action.value}.own" in GRANTS[viewer.role]


class _Article(Protocol):
    @property
    def created_by_id(self) -> int | None: ...
    @property
    def status(self) -> ArticleStatus: ...


def require_article_edit(viewer: Viewer, article: _Article) -> None:
    """Raise unless ``viewer`` may edit ``article``: editors and admins any article, authors
    and contributors their own while it is a draft."""
    require(viewer, Action.ARTICLE_UPDATE, owner_id=article.created_by_id)
    if not allows(viewer, Action.ARTICLE_UPDATE) and article.status not in OWNER_EDITABLE:
        raise Forbidden(
            f"the {viewer.role} role may edit its own articles only while they are drafts "
            f"(this one is {article.status.value})",
            action=Action.ARTICLE_UPDATE.value,
        )
