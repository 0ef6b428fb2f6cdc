"""Images with the credit the page prints."""

import strawberry

from gqlnews.models import Image as ImageModel


@strawberry.type(description="A picture, registered by URL, with its credit and caption.")
class Image:
    url: str
    credit: str = strawberry.field(description='What the page prints beside it, e.g. "© D.R".')
    byline: str = strawberry.field(description="The photographer, when known.")
    caption: str
    alt: str
    width: int | None
    height: int | None

    @classmethod
    def from_model(cls, m: ImageModel) -> "Image":
        return cls(
            url=m.url,
            credit=m.credit,
            byline=m.byline,
            caption=m.caption,
            alt=m.alt,
            width=m.width,
            height=m.height,
        )
