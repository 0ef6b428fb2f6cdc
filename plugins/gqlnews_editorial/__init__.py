"""The built-in editorial plugin (registered under the `gqlnews` entry-point group)."""
