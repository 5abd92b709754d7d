"""Keyword search with the real Sudachi tokenizer and bm25s."""

from __future__ import annotations

from assistant.keyword import KeywordIndex
from assistant.tokens import tokenize, tokenizer

CHUNKS = [
    "協働推進会議を開催し、協働推進計画の進捗状況について意見を求めます。",
    "地域協働体の役割は、地域づくり計画の実行を推進することです。",
    "自治会長情報交換会には29名が参加しました。",
]


def _index() -> KeywordIndex:
    return KeywordIndex([tokenize(c) for c in CHUNKS])


def test_tokens_are_normalized_content_words_with_parts_and_bigrams() -> None:
    tokens = tokenize("自治会長情報交換会に参加した")
    assert "参加" in tokens
    assert "情報交換" in tokens or ("情報" in tokens and "交換" in tokens)
    assert "に" not in tokens and "た" not in tokens  # particles and auxiliaries carry no topic


def test_ocr_spaced_digits_are_joined() -> None:
    assert tokenize("基本方針 2") == tokenize("基本方針2")


def test_search_ranks_the_chunk_with_the_words_first() -> None:
    hits = _index().search("自治会長情報交換会の参加者", 3)
    assert hits[0][0] == 2


def test_synonym_groups_come_from_the_sudachi_dictionary() -> None:
    # 「進み具合」 and 「進捗」 share a synonym group in SudachiDict; 「チェック」 and 「確認」 too.
    assert set(tokenizer().synonym_groups("進み具合")) & set(tokenizer().synonym_groups("進捗"))
    assert tokenizer().synonym_groups("協働推進会議を開催") == ()  # a phrase is not one word


def test_a_word_the_corpus_never_uses_is_bridged_to_the_words_it_does_use() -> None:
    index = _index()
    assert not index.known("進み具合")
    assert index.synonyms("進み具合") == ["進捗"]
    assert index.synonyms("役目") == ["役割"]


def test_words_the_corpus_uses_and_question_words_are_not_bridged() -> None:
    index = _index()
    assert index.known("進捗") and index.synonyms("進捗") == []
    assert index.synonyms("幾つ") == []  # shapes the question, says nothing of the topic
    assert index.synonyms("キャッチフレーズ") == []  # no synonym in this corpus


def test_search_finds_a_chunk_through_a_synonym_only() -> None:
    """No word of 「進み具合」 is in the chunks, but its synonym 「進捗」 is."""
    hits = _index().search("進み具合", 3)
    assert [i for i, _ in hits] == [0]


def test_empty_and_unknown_queries_find_nothing() -> None:
    assert _index().search("", 3) == []
    assert _index().search("量子コンピュータ", 3) == []
    assert KeywordIndex([]).search("進捗", 3) == []


def test_only_nouns_are_bridged() -> None:
    """「使う」 shares a group with 「使用」「利用」, but a question's verb is not its topic."""
    index = KeywordIndex([tokenize("施設の利用と使用について")])
    assert tokenizer().synonym_groups("使う") == ()
    assert index.synonyms("使う") == []
