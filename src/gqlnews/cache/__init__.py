"""The response cache: anonymous answers stored with the surrogate keys they depend on, purged
when what they show changes (see docs/caching.md).

- :mod:`.deps`: what an answer depends on, recorded while it executes (types, lists, plugins);
- :mod:`.local` and :mod:`.shared`: the in-process tier and the Redis tier;
- :mod:`.purge`: which keys a change to an article or a catalog row touches;
- :mod:`.bus`: how writers announce a purge, in this process and to the others;
- :mod:`.service`: the cache a server process uses, tying them together.
"""
