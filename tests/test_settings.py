from pathlib import Path

import pytest

from config import load_settings
from config.errors import SettingsError


def test_defaults_then_user_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().top_k == 12
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


@pytest.mark.parametrize(
    "content",
    [
        'LLM_API_KEY = "sk-file-secret"\n',
        'Llm_Api_Key = "sk-file-secret"\n',
        'DISCORD_TOKEN = "sk-file-secret"\n',
        'NEWSBOT_DISCORD_TOKEN = "sk-file-secret"\n',
        'CHROMA_TOKEN = "sk-file-secret"\n',
        '[newsbot]\nllm_api_key = "sk-file-secret"\n',
        '[discord]\nDiscord_Token = "sk-file-secret"\n',
    ],
)
def test_every_spelling_of_a_secret_is_refused_in_files(
    content: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_file = tmp_path / "newsbot.toml"
    user_file.write_text(content)
    monkeypatch.setenv("NEWSBOT_CONFIG", str(user_file))
    with pytest.raises(SettingsError, match="secrets are read only from the environment") as caught:
        load_settings()
    assert "sk-file-secret" not in str(caught.value)


def test_other_tools_keys_in_dotenv_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-other-tool\nDATABASE_URL=postgres://x\nNEWSBOT_TOP_K=4\n")
    assert load_settings().top_k == 4


def test_a_bad_secret_looking_value_is_never_echoed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("NEWSBOT_OPENAI_API_KEY=sk-typo-secret\n")
    with pytest.raises(SettingsError, match="NEWSBOT_OPENAI_API_KEY") as caught:
        load_settings()
    assert "sk-typo-secret" not in str(caught.value)
    user_file = tmp_path / "newsbot.toml"
    user_file.write_text('[llm]\nendpoint_password = "hunter2-secret"\n')
    (tmp_path / ".env").unlink()
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "hunter2-secret" not in str(caught.value)


def test_the_built_in_defaults_are_those_of_config_defaults_toml() -> None:
    import tomllib

    from config.settings import _defaults_file, default

    shipped = tomllib.loads(_defaults_file().read_text(encoding="utf-8"))
    for name in ("top_k", "candidates", "rrf_k", "embed_backend", "embed_batch_size", "embed_title", "title_weight"):
        assert default(name) == shipped[name], name


def test_embed_title_true_and_false_keep_their_old_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    """It was a switch (true: "title. paragraph" embedded); configs written then must not change meaning."""
    assert load_settings().embed_title == "vector"
    monkeypatch.setenv("NEWSBOT_EMBED_TITLE", "true")
    assert load_settings().embed_title == "prefix"
    monkeypatch.setenv("NEWSBOT_EMBED_TITLE", "false")
    assert load_settings().embed_title == "none"
    assert load_settings(embed_title=True).embed_title == "prefix"
    monkeypatch.setenv("NEWSBOT_EMBED_TITLE", "headline")
    with pytest.raises(SettingsError, match="embed_title"):
        load_settings()


def test_library_classes_take_their_defaults_from_the_settings() -> None:
    import inspect

    from config.settings import default
    from retrieval.embeddings import ParagraphEmbedder
    from retrieval.hybrid import HybridRetriever, HybridSearcher
    from retrieval.ranking import FusionWeights

    assert FusionWeights().rrf_k == default("rrf_k")
    assert inspect.signature(HybridSearcher).parameters["candidates"].default == default("candidates")
    assert HybridRetriever.model_fields["k"].default == default("top_k")
    assert inspect.signature(ParagraphEmbedder).parameters["backend"].default == default("embed_backend")
