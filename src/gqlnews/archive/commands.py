"""``gqlnews import`` and ``gqlnews export`` (to be written)."""

import typer


def register(app: typer.Typer) -> None:
    """Add the archive commands to the ``gqlnews`` command."""
