"""The package's public surface is small and pinned."""

import gqlnews


def test_exported_members() -> None:
    assert gqlnews.__all__ == ["Settings", "__version__", "create_app", "hookimpl"]
    for name in gqlnews.__all__:
        assert getattr(gqlnews, name) is not None
    assert callable(gqlnews.create_app)
