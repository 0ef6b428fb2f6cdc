"""Import and export of the newsroom archive in IPTC ninjs 2.1 (JSON Lines); see docs/archive.md.

Modules, in the order data flows on import:

* :mod:`~gqlnews.archive.reader` opens a file (gzip or not) or standard input, line by line;
* :mod:`~gqlnews.archive.lines` decodes a line into a record (reference lines here, articles
  through :mod:`~gqlnews.archive.ninjs`, the ninjs ↔ gqlnews mapping in both directions), with
  :mod:`~gqlnews.archive.values` for typed field access and :mod:`~gqlnews.archive.records` for
  the record types;
* :mod:`~gqlnews.archive.batching` cuts the records into batches;
* :mod:`~gqlnews.archive.writer` writes a batch in one transaction, resolving slugs through
  :mod:`~gqlnews.archive.directory` and writing rows with :mod:`~gqlnews.archive.bulk`;
* :mod:`~gqlnews.archive.importer` runs the whole import (concurrency, failures, stop requests);
* :mod:`~gqlnews.archive.exporter` writes an archive back;
* :mod:`~gqlnews.archive.progress` shows how far a command is; the commands themselves
  (`import`, `export`) are :mod:`gqlnews.cli_archive`.
"""
