"""Names of surrogate keys: what an answer depends on, as the cache and CDNs see it.

Entity keys are the GraphQL type name and the row's id (``Article:42``: the same words as the
type in a node ID). List keys name a list's criteria (``Section:3:articles``: the articles of
section 3 and its sub-sections), look-up keys a value that found nothing yet
(``Article:slug:x``: ``article(slug: "x")`` was null). Plugins name theirs with their own
prefix (``related:index``, ``editorial``).

A slug in a key is percent-encoded (UTF-8): keys travel in HTTP headers, which carry ASCII
only, and split on spaces and commas; an ASCII slug (``monde``) stays as it is.
"""

from __future__ import annotations

from urllib.parse import quote

ARTICLE_LIST = "Article:list"
"""Every article list that no section, tag, author, edition or supplement restricts (the
front page's, for instance): any article going public or not changes it."""
ARTICLE_SEARCH = "Article:search"
"""Every search answer: which words match is known only to the index."""
EVERYTHING = "*"
"""Purging it drops every stored answer (an import, a restore of the database)."""


def entity(type_name: str, pk: int) -> str:
    """The key of one row shown as ``type_name`` (``Article:42``)."""
    return f"{type_name}:{pk}"


def by_slug(type_name: str, slug: str) -> str:
    """The key of a look-up by slug (``Article:slug:x``), kept whether it found a row or not."""
    return f"{type_name}:slug:{_safe(slug)}"


def _safe(slug: str) -> str:
    """``slug`` as it may stand in a key: printable ASCII without spaces, commas or colons."""
    return quote(slug, safe="")


def genre(name: str) -> str:
    """The key of article lists restricted to a genre and nothing narrower
    (``Article:genre:editorial``: the latest editorial): an article of that genre going public
    or not changes them."""
    return f"Article:genre:{name}"


def catalog(type_name: str) -> str:
    """The key of every list of ``type_name`` rows (``Section:list``): a row created, renamed,
    moved or removed changes them."""
    return f"{type_name}:list"


def articles_of(type_name: str, pk: int) -> str:
    """The key of the article list of one section, tag, author, edition or supplement."""
    return f"{type_name}:{pk}:articles"


def articles_of_slug(type_name: str, slug: str) -> str:
    """The key of an article list restricted by a client's filter on a slug."""
    return f"{type_name}:slug:{_safe(slug)}:articles"


def edition_number(number: int) -> str:
    """The key of a look-up or list by edition number."""
    return f"Edition:number:{number}"


def document(digest: str) -> str:
    """The key of every answer to registered document ``digest`` (removing it purges them)."""
    return f"Document:{digest}"


IMAGE_USES = (ARTICLE_LIST, catalog("Edition"), catalog("Supplement"), catalog("Author"))
"""What a look-up of an image by id (``node``, ``nodes``) depends on besides ``Image:<id>``:
an image is visible while a visible article, edition or supplement or an author uses it (see
:mod:`gqlnews.visibility`), so any article going public or not, any article corrected while
public (its picture may change) and any edition, supplement or author changed may show or hide
it. An image reached through what uses it (an article's picture, a cover) needs none of them:
the answer already depends on its owner."""
