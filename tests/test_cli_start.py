"""The command line starts fast: importing it loads none of the heavy modules, core commands do
not load the plugins, and the lazily loaded commands are listed as they are. Structural tests
(what is imported), not timed ones: bench/cli_start.py measures the time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gqlnews.cli import _LAZY_COMMANDS, CORE_COMMANDS, _global_options, load_lazy_command
from tests.helpers import run_gqlnews

HEAVY = (
    "strawberry",
    "tortoise",
    "uvicorn",
    "graphql",
    "starlette",
    "prometheus_client",
    "rich",
    "redis",
)


def _loaded_after(code: str) -> list[str]:
    """The heavy top-level modules a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport sys\nprint('\\nloaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.splitlines()[-1].split()[1:]


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert _loaded_after("import gqlnews.cli") == []


PLUGIN_COMMAND_MODULES = (
    "gqlnews_related.plugin",
    "gqlnews_ranking.plugin",
    "gqlnews_editorial.plugin",
    "gqlnews_ranking.cli",
    "gqlnews_related.commands",
    "gqlnews_editorial.commands",
)
"""What ``gqlnews --help`` imports of the built-in plugins: their entry-point modules and the
command modules their ``gqlnews_register_commands`` adds."""


def test_the_built_in_plugins_entry_points_and_commands_load_no_heavy_module() -> None:
    """Listing the plugins' commands must not load the ORM, GraphQL, the web stack or Redis:
    the hooks and the commands import them when they run."""
    assert _loaded_after(f"import {', '.join(PLUGIN_COMMAND_MODULES)}") == []


def test_help_loads_no_heavy_module() -> None:
    """`gqlnews --help` lists every command, the plugins' included, as plain click help (rich
    alone would cost a third of the start)."""
    code = (
        "import sys\n"
        "sys.argv = ['gqlnews', '--help']\n"
        "from gqlnews.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
    )
    assert _loaded_after(code) == []


def test_check_on_a_new_sqlite_file_loads_neither_plugins_nor_orm(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['gqlnews', '--database-url', 'sqlite://{tmp_path}/x.sqlite3', 'check']\n"
        "from gqlnews.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
    )
    assert _loaded_after(code) == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(_LAZY_COMMANDS))
def test_a_lazy_command_is_listed_with_its_own_help(name: str) -> None:
    command = load_lazy_command(name)
    assert command.name == name
    assert command.get_short_help_str(limit=500) == _LAZY_COMMANDS[name][1]
    assert name in CORE_COMMANDS


def test_help_lists_the_core_lazy_and_plugin_commands() -> None:
    done = run_gqlnews("--help")
    assert done.returncode == 0, done.stderr
    commands = done.stdout.split("\nCommands:\n", 1)[1]
    listed = {line.split()[0] for line in commands.splitlines() if line.startswith("  ")}
    for name in ("serve", "migrate", "check", "import", "export", "users", "tokens"):
        assert name in listed
    for name in ("picks", "slots", "views", "related"):  # the built-in plugins' commands
        assert name in listed
    assert "--plugins-dir" in done.stdout


@pytest.mark.parametrize(
    ("command", "subcommands"),
    [
        ("views", {"import"}),
        ("related", {"index", "evaluate"}),
        ("picks", {"set", "list", "clear"}),
        ("slots", {"set", "list", "clear"}),
    ],
)
def test_the_plugins_commands_list_their_subcommands(command: str, subcommands: set[str]) -> None:
    """The plugins' command modules import their work lazily; their commands are unchanged."""
    done = run_gqlnews(command, "--help")
    assert done.returncode == 0, done.stderr
    commands = done.stdout.split("\nCommands:\n", 1)[1]
    listed = {line.split()[0] for line in commands.splitlines() if line.startswith("  ")}
    assert subcommands <= listed


@pytest.mark.parametrize(
    ("argv", "command", "options"),
    [
        ([], None, {}),
        (["--help"], None, {}),
        (["--debug", "check"], "check", {}),
        (["--plugins-dir", "d", "picks", "list"], "picks", {"--plugins-dir": "d"}),
        (
            ["--plugins-dir=d", "--database-url", "x", "migrate"],
            "migrate",
            {
                "--plugins-dir": "d",
                "--database-url": "x",
            },
        ),
    ],
)
def test_the_command_and_global_options_are_found_before_parsing(
    argv: list[str], command: str | None, options: dict[str, str]
) -> None:
    assert _global_options(argv) == (command, options)
