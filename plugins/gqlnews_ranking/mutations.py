"""``recordView``: an anonymous reader's read of an article, counted for the rankings."""

from datetime import datetime

import strawberry

from gqlnews.api import NOT_FOUND, ClientError, Info, decode_id_of, encode_id
from gqlnews_ranking.hours import start_of
from gqlnews_ranking.recorder import recorder_for

NO_SUCH_ARTICLE = "no such article"


@strawberry.type(description="A read counted by `recordView`.")
class RecordedView:
    article_id: strawberry.ID
    hour: datetime = strawberry.field(
        description=(
            "Start of the hour (UTC) the read counts in. Rankings include it after the next "
            "flush (every few seconds)."
        )
    )


async def record_view(info: Info, article_id: strawberry.ID) -> RecordedView:
    """Count a read of the visible article ``article_id`` in the app's recorder."""
    pk = decode_id_of("Article", article_id, argument="articleId")
    if await info.context.loaders.article.load(pk) is None:
        raise ClientError(NO_SUCH_ARTICLE, code=NOT_FOUND, argument="articleId")
    request = info.context.request
    if request is None:
        raise RuntimeError("recordView needs the HTTP request to find the app's recorder")
    hour = await recorder_for(request.app).record(pk, info.context.now)
    return RecordedView(article_id=strawberry.ID(encode_id("Article", pk)), hour=start_of(hour))


@strawberry.type
class MutationRecordView:
    record_view: RecordedView = strawberry.mutation(
        resolver=record_view,
        description=(
            "Count one read of a visible article (anonymous; call it once per page view). "
            "NOT_FOUND, the same for an unknown article and one you may not see."
        ),
    )
