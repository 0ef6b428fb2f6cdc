"""The built-in ranking plugin (registered under the `gqlnews` entry-point group)."""
