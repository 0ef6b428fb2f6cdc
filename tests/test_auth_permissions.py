"""The role matrix: what `require` lets each role do, and the errors it raises otherwise."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gqlnews.models import ArticleStatus, UserRole
from gqlnews.permissions import (
    FORBIDDEN,
    UNAUTHENTICATED,
    Action,
    Forbidden,
    Unauthenticated,
    allows,
    require,
    require_article_edit,
)
from gqlnews.visibility import ANONYMOUS, Viewer

ME = 7
OTHER = 8

A, E, AU, C = UserRole.ADMIN, UserRole.EDITOR, UserRole.AUTHOR, UserRole.CONTRIBUTOR

# action, owner → the roles allowed. None as owner: no object (or an article nobody created).
MATRIX: list[tuple[Action, int | None, set[UserRole]]] = [
    (Action.ARTICLE_CREATE, None, {A, E, AU, C}),
    (Action.ARTICLE_UPDATE, ME, {A, E, AU, C}),
    (Action.ARTICLE_UPDATE, OTHER, {A, E}),
    (Action.ARTICLE_UPDATE, None, {A, E}),
    (Action.ARTICLE_SUBMIT, ME, {A, E, AU}),
    (Action.ARTICLE_SUBMIT, OTHER, {A, E}),
    (Action.ARTICLE_PUBLISH, ME, {A, E}),
    (Action.ARTICLE_DELETE, ME, {A, E}),
    (Action.ARTICLE_PREVIEW, ME, {A, E, AU}),
    (Action.ARTICLE_PREVIEW, OTHER, {A, E}),
    (Action.SECTION_MANAGE, None, {A, E}),
    (Action.EDITION_MANAGE, None, {A, E}),
    (Action.SUPPLEMENT_MANAGE, None, {A, E}),
    (Action.PICKS_MANAGE, None, {A, E}),
    (Action.CATALOG_MANAGE, None, {A, E}),
    (Action.USERS_MANAGE, None, {A}),
    (Action.WEBHOOKS_MANAGE, None, {A}),
]


@pytest.mark.parametrize(("action", "owner", "allowed"), MATRIX)
@pytest.mark.parametrize("role", list(UserRole))
def test_role_matrix(
    role: UserRole, action: Action, owner: int | None, allowed: set[UserRole]
) -> None:
    viewer = Viewer(user_id=ME, role=role)
    assert allows(viewer, action, owner) is (role in allowed)
    if role in allowed:
        require(viewer, action, owner_id=owner)
    else:
        with pytest.raises(Forbidden) as caught:
            require(viewer, action, owner_id=owner)
        assert caught.value.extensions == {"code": FORBIDDEN, "action": action.value}
        assert role.value in caught.value.message


def test_every_action_is_in_the_matrix() -> None:
    assert {action for action, _owner, _roles in MATRIX} == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_callers_are_unauthenticated_for_every_action(action: Action) -> None:
    assert not allows(ANONYMOUS, action, None)
    with pytest.raises(Unauthenticated) as caught:
        require(ANONYMOUS, action, owner_id=None)
    assert caught.value.extensions == {"code": UNAUTHENTICATED, "action": action.value}
    assert "sign in" in caught.value.message


def test_forbidden_on_another_accounts_object_says_so() -> None:
    with pytest.raises(Forbidden, match=r"may not do article\.update on another account's"):
        require(Viewer(user_id=ME, role=UserRole.AUTHOR), Action.ARTICLE_UPDATE, owner_id=OTHER)


@dataclass
class _Article:
    created_by_id: int | None
    status: ArticleStatus


@pytest.mark.parametrize("status", list(ArticleStatus))
@pytest.mark.parametrize("role", list(UserRole))
def test_article_edit_rule(role: UserRole, status: ArticleStatus) -> None:
    """Editors and admins edit anything; authors and contributors their own drafts only."""
    viewer = Viewer(user_id=ME, role=role)
    desk = role in (UserRole.ADMIN, UserRole.EDITOR)
    own = _Article(created_by_id=ME, status=status)
    others = _Article(created_by_id=OTHER, status=status)
    if desk or status == ArticleStatus.DRAFT:
        require_article_edit(viewer, own)
    else:
        with pytest.raises(Forbidden, match=f"only while they are drafts \\(this one is {status}"):
            require_article_edit(viewer, own)
    if desk:
        require_article_edit(viewer, others)
    else:
        with pytest.raises(Forbidden):
            require_article_edit(viewer, others)
    with pytest.raises(Unauthenticated):
        require_article_edit(ANONYMOUS, own)


def test_viewer_has_an_account_and_a_role_or_neither() -> None:
    assert not ANONYMOUS.is_authenticated and not ANONYMOUS.sees_unpublished
    assert Viewer(user_id=1, role=UserRole.EDITOR).sees_unpublished
    assert Viewer(user_id=1, role=UserRole.ADMIN).sees_unpublished
    assert not Viewer(user_id=1, role=UserRole.AUTHOR).sees_unpublished
    assert Viewer(user_id=1, role=UserRole.CONTRIBUTOR).is_authenticated
    with pytest.raises(ValueError, match="both a user_id and a role"):
        Viewer(user_id=1)
    with pytest.raises(ValueError, match="both a user_id and a role"):
        Viewer(role=UserRole.ADMIN)
