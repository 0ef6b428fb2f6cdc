"""Settings come from GQLNEWS_* variables, with CLI overrides, and refuse nonsense."""

import pytest

from gqlnews.settings import DEFAULT_DATABASE_URL, Settings, SettingsError


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.debug is False
    assert settings.max_page_size == 100
    assert settings.default_page_size == 20


def test_environment_and_overrides() -> None:
    env = {"GQLNEWS_DEBUG": "yes", "GQLNEWS_MAX_DEPTH": "7", "GQLNEWS_DATABASE_URL": "sqlite://x"}
    settings = Settings.from_env(env, database_url="postgres://u@h/db", debug=None)
    assert settings.debug is True
    assert settings.max_depth == 7
    assert settings.database_url == "postgres://u@h/db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GQLNEWS_DEBUG": "perhaps"}, "GQLNEWS_DEBUG must be true or false"),
        ({"GQLNEWS_MAX_DEPTH": "deep"}, "GQLNEWS_MAX_DEPTH must be a whole number"),
        ({"GQLNEWS_MAX_ALIASES": "0"}, "GQLNEWS_MAX_ALIASES must be at least 1"),
        ({"GQLNEWS_DEFAULT_PAGE_SIZE": "500"}, "GQLNEWS_DEFAULT_PAGE_SIZE must be between"),
        ({"GQLNEWS_DATABASE_URL": "mysql://x"}, "must start with sqlite:// or postgres://"),
        ({"GQLNEWS_GC_THRESHOLD": "-1"}, "GQLNEWS_GC_THRESHOLD must be 0"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
