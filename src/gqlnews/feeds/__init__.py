"""Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) and sitemaps, from the visible articles.

Layers: :mod:`~gqlnews.feeds.items` loads (constant statements), :mod:`~gqlnews.feeds.formats`
and :mod:`~gqlnews.feeds.sitemaps` write the documents, :mod:`~gqlnews.feeds.routes` answers
HTTP. See docs/feeds.md.
"""
