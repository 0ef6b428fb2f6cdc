"""The demo newsroom: a fictional French-language daily, « L'Observateur du Matin ».

:func:`load_demo` fills an empty database with a fortnight of its editions, supplements and
articles (deterministic for a given ``now``). The slugs below let tests and documentation
point at the articles readers must *not* see.
"""

from gqlnews.demo.articles import pinned_slugs
from gqlnews.demo.builder import DemoAlreadyLoaded, DemoSummary, load_demo
from gqlnews.demo.specs import Visibility
from gqlnews.demo.stories_world import ANATOMY_SLUG

DEMO_DRAFT_SLUGS: tuple[str, ...] = pinned_slugs(Visibility.DRAFT)
"""Status ``draft``, no publication time."""
DEMO_SCHEDULED_SLUGS: tuple[str, ...] = pinned_slugs(Visibility.SCHEDULED)
"""Status ``scheduled``, publication time after ``now``."""
DEMO_EMBARGOED_SLUGS: tuple[str, ...] = pinned_slugs(Visibility.EMBARGOED)
"""Status ``published``, publication time past, embargo lifting after ``now``."""
DEMO_FUTURE_PUBLISHED_SLUGS: tuple[str, ...] = pinned_slugs(Visibility.FUTURE)
"""Status ``published`` but a publication time after ``now``."""

__all__ = [
    "ANATOMY_SLUG",
    "DEMO_DRAFT_SLUGS",
    "DEMO_EMBARGOED_SLUGS",
    "DEMO_FUTURE_PUBLISHED_SLUGS",
    "DEMO_SCHEDULED_SLUGS",
    "DemoAlreadyLoaded",
    "DemoSummary",
    "load_demo",
]
