from pathlib import Path

import pytest

from config import load_settings
from config.errors import SettingsError


def test_defaults_then_user_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().top_k == 8
    user_file = tmp_path / "newsbot.toml"
    user_file.write_text("top_k = 5\ncandidates = 30\n")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(user_file))
    assert (load_settings().top_k, load_settings().candidates) == (5, 30)
    monkeypatch.setenv("NEWSBOT_TOP_K", "3")
    assert (load_settings().top_k, load_settings().candidates) == (3, 30)


def test_a_newsbot_toml_in_the_working_folder_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newsbot.toml").write_text('answerer = "ollama"\n')
    assert load_settings().answerer == "ollama"


def test_secrets_are_refused_in_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user_file = tmp_path / "newsbot.toml"
    user_file.write_text('llm_api_key = "sk-123"\n')
    monkeypatch.setenv("NEWSBOT_CONFIG", str(user_file))
    with pytest.raises(SettingsError, match="secrets are read only from the environment") as caught:
        load_settings()
    assert "sk-123" not in str(caught.value)


def test_a_bad_value_names_the_setting_and_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_ANSWERER", "gpt")
    with pytest.raises(SettingsError, match=r"answerer \(NEWSBOT_ANSWERER\).*'gpt'"):
        load_settings()


def test_a_missing_config_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBOT_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(SettingsError, match="absent.toml"):
        load_settings()


def test_data_dir_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "state"))
    assert load_settings().resolved_data_dir == tmp_path / "state"


def test_the_token_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi")
    settings = load_settings()
    assert "abc.def.ghi" not in repr(settings)
    assert settings.discord_token is not None and settings.discord_token.get_secret_value() == "abc.def.ghi"
