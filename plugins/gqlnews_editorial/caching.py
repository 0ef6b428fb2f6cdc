"""The plugin's part in the response cache (see docs/caching.md).

Every answer showing the editors' choices depends on :data:`EDITORIAL_KEY` (the
``editorial`` field says so), and every write of picks or slots purges it once committed
(:mod:`gqlnews_editorial.service` does, for the mutations and the commands alike). What the
choices show also changes with no editorial write: an article picked while a draft is
published, a window opens or closes. :func:`depends_on_choices` covers both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from gqlnews.api import depends_on_all, entity_key, max_age, purge_cache
from gqlnews_editorial.rules import next_window_change

EDITORIAL_KEY = "editorial"


async def choices_changed() -> None:
    """Purge every cached answer that shows the editors' choices. Call it after the commit."""
    await purge_cache({EDITORIAL_KEY})


def depends_on_choices(
    rows: Iterable[tuple[int, datetime | None, datetime | None]], now: datetime
) -> None:
    """The answer being built read these picks or slots, as ``(article id, starts_at,
    expires_at)``, at ``now``: it changes when one of their articles does (a draft picked
    ahead of publication included) and when one of their windows opens or closes."""
    rows = list(rows)
    depends_on_all(entity_key("Article", article_id) for article_id, _, _ in rows)
    change = next_window_change(((start, end) for _, start, end in rows), now)
    if change is not None:
        max_age((change - now).total_seconds())
