"""The text-similarity index: one row per indexed article and its weighted terms."""

from __future__ import annotations

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from gqlnews.api import Article


class TextDocument(Model):
    """An article as last indexed, with the modification time it had then."""

    id = fields.IntField(primary_key=True)
    article: fields.OneToOneRelation[Article] = fields.OneToOneField(
        "models.Article", related_name=False, on_delete=fields.CASCADE
    )
    indexed_version = fields.DatetimeField()
    length = fields.IntField()

    class Meta:
        table = "related_text_document"


class TextPosting(Model):
    """One of the most distinctive terms of an article, with its weight in the article."""

    id = fields.BigIntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name=False, on_delete=fields.CASCADE, db_index=True
    )
    term = fields.CharField(max_length=64)
    weight = fields.FloatField()

    class Meta:
        table = "related_text_posting"
        unique_together = (("article", "term"),)
        indexes = (Index(fields=("term", "article_id"), name="related_posting_term_idx"),)


class TextTerm(Model):
    """How many indexed articles keep a term among their top terms (its document frequency
    in the index), kept by the indexer in the transaction that writes the postings. The row
    of the empty term (never a real term: every indexed article "keeps" it) holds the number
    of indexed articles these counts were made with."""

    term = fields.CharField(max_length=64, primary_key=True)
    articles = fields.IntField()

    class Meta:
        table = "related_text_term"


class Tally(Model):
    """A kept count of rows (``name``: ``article`` or ``text_document``), so that a lookup
    reads a few rows instead of counting a table. The database's own triggers keep it (see
    :mod:`gqlnews_related.tallies`): on PostgreSQL each writing transaction keeps a row of its
    own with its change (``txid``; the sum of the rows is the count, and the indexer folds
    them into one row whose ``txid`` is null), on SQLite (one writer at a time) the count's
    single row is updated in place."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=32)
    txid = fields.BigIntField(null=True)
    n = fields.BigIntField()

    class Meta:
        table = "related_tally"
        unique_together = (("name", "txid"),)
