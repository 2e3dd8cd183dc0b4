from pathlib import Path

import pytest

from matcher.config import Settings


def test_defaults_put_the_sqlite_store_under_var():
    settings = Settings.from_env(env={})
    assert settings.data_dir == Path("var")
    assert settings.resolved_database_url == "sqlite:///var/matcher.db"
    assert settings.resolved_index_dir == Path("var/index")


def test_environment_variables_override_defaults():
    settings = Settings.from_env(
        env={
            "MATCHER_DATA_DIR": "/srv/matcher",
            "MATCHER_BATCH_SIZE": "250",
            "MATCHER_AUTO_MIGRATE": "false",
            "MATCHER_DATABASE_URL": "postgresql+psycopg://u:p@db/matcher",
        }
    )
    assert settings.data_dir == Path("/srv/matcher")
    assert settings.batch_size == 250
    assert settings.auto_migrate is False
    assert settings.resolved_database_url == "postgresql+psycopg://u:p@db/matcher"


def test_keyword_overrides_win_and_none_is_ignored():
    settings = Settings.from_env(env={"MATCHER_BATCH_SIZE": "250"}, batch_size=10, encoder=None)
    assert settings.batch_size == 10
    assert settings.encoder == "default"


def test_bad_values_name_the_variable():
    with pytest.raises(ValueError, match="MATCHER_BATCH_SIZE='many'"):
        Settings.from_env(env={"MATCHER_BATCH_SIZE": "many"})
    with pytest.raises(ValueError, match="MATCHER_AUTO_MIGRATE"):
        Settings.from_env(env={"MATCHER_AUTO_MIGRATE": "perhaps"})


def test_float_settings_are_parsed_and_a_bad_one_is_named():
    settings = Settings.from_env(env={"MATCHER_FIT_THRESHOLD": "0.45"})
    assert settings.fit_threshold == 0.45
    with pytest.raises(ValueError, match="MATCHER_FIT_THRESHOLD='high'"):
        Settings.from_env(env={"MATCHER_FIT_THRESHOLD": "high"})
