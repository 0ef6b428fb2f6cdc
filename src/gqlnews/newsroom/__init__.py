"""The newsroom's write side: validation, the workflow, revisions, the one publishing path and
the scheduler. Plain async functions over the models; the GraphQL mutations call them."""
