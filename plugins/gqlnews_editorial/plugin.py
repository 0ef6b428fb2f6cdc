"""The plugin module registered under the ``gqlnews`` entry-point group."""
