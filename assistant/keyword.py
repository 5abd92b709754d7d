"""Keyword search: BM25 (bm25s) over Sudachi tokens (assistant/tokens.py).

Tokens are Sudachi normalized forms of content words, at two granularities (mode C
compounds and their mode A parts), so 「自治会長情報交換会」 matches both the whole name
and 「情報交換」. Tokens are computed once at index time and stored with the chunks; the
BM25 matrix itself is rebuilt in memory when an index is opened (milliseconds).
"""

from __future__ import annotations

import threading

import bm25s
import numpy as np

from assistant.lexicon import lexicon
from assistant.tokens import tokenize, tokenizer


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
        if token in self._vocab or token in lexicon().question_words:
            return []
        groups = tokenizer().synonym_groups(token)
        if not groups:
            return []
        by_group = self._synonym_groups()
        return sorted({w for g in groups for w in by_group.get(g, ())})

    def mates(self, token: str) -> list[str]:
        """Words of the corpus that Sudachi puts in a synonym group of `token`, whether or not
        the corpus uses `token` itself (「メンバー」 and 「構成員」)."""
        groups = tokenizer().synonym_groups(token)
        if not groups:
            return []
        by_group = self._synonym_groups()
        return sorted({w for g in groups for w in by_group.get(g, ()) if w != token})

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
