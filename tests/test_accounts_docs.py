"""docs/accounts.md follows the code: the grants table, the actions and the commands."""

from __future__ import annotations

from pathlib import Path

from gqlnews.cli_accounts import tokens_app, users_app
from gqlnews.models import UserRole
from gqlnews.permissions import GRANTS, Action

DOC = (Path(__file__).resolve().parent.parent / "docs" / "accounts.md").read_text("utf-8")


def _grants_table() -> dict[UserRole, set[str]]:
    lines = DOC.split("| grant |", 1)[1].splitlines()
    header = [cell.strip() for cell in ("| grant |" + lines[0]).strip("|").split("|")]
    roles = [UserRole(name) for name in header[1:]]
    table: dict[UserRole, set[str]] = {role: set() for role in roles}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        grant = cells[0].strip("`")
        for role, mark in zip(roles, cells[1:], strict=True):
            if mark == "✓":
                table[role].add(grant)
    return table


def test_the_grants_table_is_the_code() -> None:
    assert _grants_table() == {role: set(grants) for role, grants in GRANTS.items()}


def test_every_role_and_action_is_documented() -> None:
    for role in UserRole:
        assert f"| `{role.value}` |" in DOC, role
    for action in Action:
        assert f"`{action.value}" in DOC, action


def test_every_command_is_documented() -> None:
    for group, typer_app in (("users", users_app), ("tokens", tokens_app)):
        for command in typer_app.registered_commands:
            assert f"gqlnews {group} {command.name}" in DOC, command.name
