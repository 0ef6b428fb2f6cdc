"""Search on PostgreSQL at a cost that barely grows with the number of matches.

Measured on the 10k archive (bench/search-scale-results.md): a word found in 70 % of the
articles took 83 ms, because every match's ``search_vector`` (all of the body's terms, a few KB,
compressed out of line) was read twice: once by a sequential scan testing ``@@`` (the planner
prefers it to the GIN index for common words, not knowing what reading those vectors costs),
once by ``ts_rank_cd``. This migration (PostgreSQL only; SQLite's FTS5 is unchanged):

- adds ``article.rank_vector``, generated from the title's terms (weight A) and the excerpt's
  (weight B): a few hundred bytes kept in the row, which ranking reads instead;
- adds the function ``article_search_matches(matching, ranking)``: the id and rank of every
  article whose ``search_vector`` matches ``matching``, found through the GIN index
  (sequential scans are off inside it; the planner is told to expect 100 matches, so that it
  checks visibility by index look-ups rather than by reading every visible article), ranked
  by ``ts_rank`` of ``rank_vector`` against ``ranking`` (the query's terms, any of them) with
  the weights 1.0 (title) and 0.4 (excerpt), SQLite's 10 and 4. A match in the body alone
  ranks 0: such matches come after the others, newest id first.

After migrating, ``VACUUM ANALYZE article`` (or autovacuum, later): adding the column rewrote
the table, and until it is vacuumed index-only look-ups read the rows too.

Reversing it drops both.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

POSTGRES_FORWARD = [
    """ALTER TABLE article ADD COLUMN rank_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_terms), 'A') ||
            setweight(to_tsvector('simple'::regconfig, excerpt_terms), 'B')
        ) STORED""",
    """CREATE FUNCTION article_search_matches(matching tsquery, ranking tsquery)
        RETURNS TABLE (id integer, rank real)
        LANGUAGE sql STABLE
        ROWS 100
        SET enable_seqscan = off
        AS $$
            SELECT a.id, ts_rank('{0, 0, 0.4, 1.0}', a.rank_vector, ranking)
            FROM article a WHERE a.search_vector @@ matching
        $$""",
]
POSTGRES_BACKWARD = [
    "DROP FUNCTION IF EXISTS article_search_matches(tsquery, tsquery)",
    "ALTER TABLE article DROP COLUMN IF EXISTS rank_vector",
]


async def _run(schema_editor: Any, statements: list[str]) -> None:
    client = schema_editor.client
    if client.capabilities.dialect != "postgres":
        return  # SQLite: FTS5 ranks from its own index
    for statement in statements:
        await client.execute_script(statement)


async def forward(apps: Any, schema_editor: Any) -> None:
    """PostgreSQL: the narrow rank vector and the matching function."""
    await _run(schema_editor, POSTGRES_FORWARD)


async def backward(apps: Any, schema_editor: Any) -> None:
    """PostgreSQL: drop the function, then the column."""
    await _run(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("models", "0010_feeds")]

    initial = False

    operations = [ops.RunPython(forward, backward)]
