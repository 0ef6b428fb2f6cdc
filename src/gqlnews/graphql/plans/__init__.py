"""Plans: queries run without graphql-core's per-field machinery.

A document that a request names (``documentId`` or an Apollo ``persistedQuery`` hash), or sends
as text (unless ``plans_for_text`` is off), is checked once per process (:mod:`.support`): a
query whose every selection the planner can run gets a plan; anything else (a mutation,
``@defer``, introspection) is named and runs through normal execution. A plan runs level by level
(:mod:`.run`): all the objects of one level are resolved together, the hot relations through
the request's DataLoaders in one call per level (:mod:`.batch`), and the answer is built as the
same dictionary graphql-core would build. Anything unexpected at run time (an error, a null
where the schema says non-null, a preview token) gives the request back to normal execution,
which then answers it, errors and all.
"""

from gqlnews.graphql.plans.run import PlannedExecutor
from gqlnews.graphql.plans.support import PlanStore, unsupported

__all__ = ["PlanStore", "PlannedExecutor", "unsupported"]
