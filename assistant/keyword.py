"""Keyword search: BM25 (bm25s) over SudachiPy tokens.

Tokens are Sudachi normalized forms of content words, at two granularities (mode C
compounds and their mode A parts), so 「自治会長情報交換会」 matches both the whole name
and 「情報交換」. Tokens are computed once at index time and stored with the chunks; the
BM25 matrix itself is rebuilt in memory when an index is opened (milliseconds).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import bm25s
import numpy as np

from assistant.query import QUESTION_WORDS

# Parts of speech that carry no topic: particles, auxiliaries, symbols, blanks.
_SKIP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}
_BIGRAM_POS = {"名詞", "接尾辞", "接頭辞"}
# Bump when tokens change: indexes built with other tokens are rebuilt.
TOKENIZER_VERSION = "3"
# OCR'd plans space digits apart (「基本方針 2」「令和 4 年度」); joined, they match the question.
_DIGIT_GAP = re.compile(r"(?<=[^\x00-\x7f])[ \u3000]+(?=[0-9])|(?<=[0-9])[ \u3000]+(?=[^\x00-\x7f])")
_STOP = {"為る", "居る", "成る", "有る", "在る", "此の", "其の", "事", "物", "等", "ため", "よう", "こと"}


class _Tokenizer:
    # Sudachi tokenizers are not thread-safe; Streamlit serves sessions from threads.
    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._dict = Dictionary(dict="core")
        self._local = threading.local()
        self._mode_a = SplitMode.A
        self._mode_c = SplitMode.C

    def _tok(self):  # type: ignore[no-untyped-def]
        tok = getattr(self._local, "tok", None)
        if tok is None:
            tok = self._local.tok = self._dict.create()
        return tok

    def tokens(self, text: str) -> list[str]:
        """Content-word normalized forms, their mode-A parts, and bigrams of adjacent
        content words (「地域協働」「協働体」), so phrases outrank scattered words."""
        text = _DIGIT_GAP.sub("", unicodedata.normalize("NFKC", text))
        out: list[str] = []
        prev: str | None = None
        prev_end = -1
        for m in self._tok().tokenize(text, self._mode_c):
            pos = m.part_of_speech()[0]
            norm = m.normalized_form().lower()
            if pos in _SKIP_POS or norm in _STOP or not norm.strip():
                prev = None
                continue
            parts = [
                p.normalized_form().lower()
                for p in m.split(self._mode_a)
                if p.part_of_speech()[0] not in _SKIP_POS and p.normalized_form() not in _STOP
            ]
            out.append(norm)
            if len(parts) > 1:
                out.extend(parts)
                out.extend(a + b for a, b in zip(parts, parts[1:]))
            first = parts[0] if parts else norm
            if prev is not None and prev_end == m.begin() and pos in _BIGRAM_POS:
                out.append(prev + first)
            prev = (parts[-1] if parts else norm) if pos in _BIGRAM_POS else None
            prev_end = m.end()
        return out


    @lru_cache(maxsize=8192)
    def synonym_groups(self, word: str) -> tuple[int, ...]:
        """Sudachi's synonym groups of `word` when it is a single noun (「進捗」 and
        「進み具合」 share one); () for phrases, other parts of speech and words the
        dictionary lists no synonyms for."""
        morphemes = self._tok().tokenize(word, self._mode_c)
        if len(morphemes) != 1:
            return ()
        pos = morphemes[0].part_of_speech()
        if pos[0] != "名詞" or pos[1] in ("代名詞", "数詞"):
            return ()  # verbs bridge too loosely (「使う」 -> 「使用」「利用」)
        return tuple(morphemes[0].synonym_group_ids() or ())

    def nouns(self, text: str) -> list[tuple[str, str]]:
        """(surface, normalized form) of the content nouns of `text`, as compounds."""
        out = []
        for m in self._tok().tokenize(unicodedata.normalize("NFKC", text), self._mode_c):
            pos = m.part_of_speech()
            if pos[0] == "名詞" and pos[1] not in ("数詞", "代名詞"):
                out.append((m.surface(), m.normalized_form()))
        return out


@lru_cache(maxsize=1)
def tokenizer() -> _Tokenizer:
    return _Tokenizer()


def tokenize(text: str) -> list[str]:
    return tokenizer().tokens(text)


class KeywordIndex:
    """BM25 over pre-tokenized chunks; returns (chunk index, score) pairs."""

    def __init__(self, corpus_tokens: list[list[str]]) -> None:
        self._size = len(corpus_tokens)
        self._vocab: dict[str, int] = {}
        ids = [[self._vocab.setdefault(t, len(self._vocab)) for t in doc] for doc in corpus_tokens]
        df = np.zeros(len(self._vocab))
        for doc in ids:
            df[list(set(doc))] += 1
        # Lucene's BM25 idf; an unseen token gets the rarest possible weight.
        self._idf = np.log(1 + (self._size - df + 0.5) / (df + 0.5))
        self._max_idf = float(np.log(1 + (self._size + 0.5) / 0.5))
        self._groups: dict[int, set[str]] | None = None
        self._groups_lock = threading.Lock()
        self._bm25 = bm25s.BM25()
        if self._size:
            self._bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=self._vocab), show_progress=False)

    def idf(self, token: str) -> float:
        i = self._vocab.get(token)
        return float(self._idf[i]) if i is not None else self._max_idf

    def known(self, token: str) -> bool:
        return token in self._vocab

    def synonyms(self, token: str) -> list[str]:
        """Words of the corpus that Sudachi lists as synonyms of `token`, for a token the
        corpus never uses: staff write 「進み具合」「チェック」, the plans 「進捗」「確認」."""
        if token in self._vocab or token in QUESTION_WORDS:
            return []
        groups = tokenizer().synonym_groups(token)
        if not groups:
            return []
        by_group = self._synonym_groups()
        return sorted({w for g in groups for w in by_group.get(g, ())})

    def _synonym_groups(self) -> dict[int, set[str]]:
        # Built on first use (tens of milliseconds), so opening an index stays fast.
        with self._groups_lock:
            if self._groups is None:
                groups: dict[int, set[str]] = {}
                for word in self._vocab:
                    for g in tokenizer().synonym_groups(word):
                        groups.setdefault(g, set()).add(word)
                self._groups = groups
            return self._groups

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k chunks for `query`; `allowed` is a boolean mask restricting the candidates.
        A query word the corpus never uses is replaced by its synonyms the corpus does use."""
        if not self._size:
            return []
        tokens = tokenize(query)
        tokens += [s for t in set(tokens) for s in self.synonyms(t)]
        qids = [self._vocab[t] for t in tokens if t in self._vocab]
        if not qids:
            return []
        scores = self._bm25.get_scores(qids)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
