"""``language`` and ``direction`` of the things a page prints text from.

A section, author, tag, edition, supplement or image stores a language only when the newsroom
set one; null means the site's language (``GQLNEWS_SITE_LANGUAGE``), so that changing the
setting changes every thing left at the default. The direction is always derived from the
language by :func:`gqlnews.text.text_direction`, the rule ``Article.direction`` uses too.
"""

import strawberry

from gqlnews.graphql.context import Info
from gqlnews.graphql.types.enums import TextDirection
from gqlnews.text import text_direction

LANGUAGE_DESCRIPTION = (
    "Language tag of its texts (fr, ar, ar-MA…): the one the newsroom set, else the site's "
    "(GQLNEWS_SITE_LANGUAGE). Set `lang` from it."
)
DIRECTION_DESCRIPTION = (
    "LTR, or RTL for Arabic, Persian, Hebrew, Urdu and other right-to-left languages (any "
    "region: ar-MA too), derived from `language`: set `dir` from it."
)


def direction_of(language: str) -> TextDirection:
    """The writing direction of ``language`` (a tag such as ``ar-MA``)."""
    return TextDirection(text_direction(language))


@strawberry.type
class Localized:
    """Adds ``language`` and ``direction`` to a type whose row has a nullable ``language``."""

    stored_language: strawberry.Private[str | None]

    def _language(self, info: Info) -> str:
        return self.stored_language or info.context.settings.site_language

    @strawberry.field(description=LANGUAGE_DESCRIPTION)
    def language(self, info: Info) -> str:
        return self._language(info)

    @strawberry.field(description=DIRECTION_DESCRIPTION)
    def direction(self, info: Info) -> TextDirection:
        return direction_of(self._language(info))
