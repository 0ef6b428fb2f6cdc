"""The pluggy markers of gqlnews: ``hookimpl`` for plugins, ``hookspec`` for the host."""

import pluggy

PROJECT = "gqlnews"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
