"""An article's revision, as editors see it in ``Article.revisions``."""

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from gqlnews.models.revision import ArticleRevision as RevisionModel


@strawberry.type(description="The article as it was after one change.")
class ArticleRevision:
    number: int = strawberry.field(description="1 for the creation, then one more per change.")
    action: str = strawberry.field(description="create, update, submit, publish, restore…")
    note: str
    created_at: datetime
    user_id: int | None = strawberry.field(description="The account that made the change.")
    content: JSON = strawberry.field(
        description="Everything the revision keeps: texts, links, status and times."
    )

    @classmethod
    def from_model(cls, m: RevisionModel) -> "ArticleRevision":
        return cls(
            number=m.number,
            action=m.action,
            note=m.note,
            created_at=m.created_at,
            user_id=m.user_id,
            content=cast(JSON, m.content),
        )
