"""The plugin's part in the response cache (see docs/caching.md).

Every answer of this plugin's strategies depends on :data:`INDEX_KEY`: the text index, and
the articles, tags and sections the other strategies read, which the index follows (an
article is re-indexed whenever it changes). Whatever changes the index purges that key once
its transaction has committed, so every cached ``Article.related`` answer goes at once.
"""

from __future__ import annotations

from gqlnews.api import purge_cache

INDEX_KEY = "related:index"


async def index_changed(indexed: int) -> int:
    """Purge :data:`INDEX_KEY` when ``indexed`` articles were (re)indexed; returns
    ``indexed``. Call it after the commit (a purge before it could be overtaken by an answer
    read from the old index)."""
    if indexed:
        await purge_cache({INDEX_KEY})
    return indexed
