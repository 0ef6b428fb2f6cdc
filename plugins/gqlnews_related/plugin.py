"""The plugin module registered under the ``gqlnews`` entry-point group."""

from gqlnews import hookimpl
from gqlnews.plugins.strategies import RelatedStrategy
from gqlnews_related.blend import Blend
from gqlnews_related.section_time import SectionTime
from gqlnews_related.shared_tags import SharedTags


@hookimpl
def gqlnews_related_strategies() -> list[RelatedStrategy]:
    tags, section = SharedTags(), SectionTime()
    return [Blend([(tags, 0.7), (section, 0.3)]), tags, section]
