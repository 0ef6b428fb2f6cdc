"""``gqlnews previews …``: draft preview links from the command line (see docs/previews.md).

Bad input ends a command with a message and exit code 2.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from gqlnews import previews
from gqlnews.command_database import run_on_database
from gqlnews.models import Article
from gqlnews.slugs import normalize_slug

previews_app = typer.Typer(
    help="Draft preview links: revoke an article's.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class _Refused(Exception):
    """The command cannot do what was asked; the message says why (exit code 2)."""


@previews_app.command("revoke")
def previews_revoke(
    ctx: typer.Context,
    article: Annotated[
        str, typer.Argument(help="The article: its slug, or its number (database id).")
    ],
) -> None:
    """Revoke every live preview link of an article (in the trash or not): their tokens stop
    working at once."""

    async def work() -> tuple[str, int]:
        where = {"id": int(article)} if article.isdigit() else {"slug": normalize_slug(article)}
        found = await Article.filter(**where).first()
        if found is None:
            raise _Refused(f"no article {article!r} (give its slug or its number)")
        return found.slug, await previews.revoke_all(found.pk, datetime.now(UTC))

    slug, revoked = run_on_database(ctx.obj, work, refused=(_Refused,))
    typer.echo(f"revoked {revoked} preview link{'s' if revoked != 1 else ''} of {slug}")


def register(app: typer.Typer) -> None:
    """Add ``previews`` to the ``gqlnews`` command."""
    app.add_typer(previews_app, name="previews")
