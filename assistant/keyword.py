"""Keyword search: BM25 (bm25s) over Sudachi tokens (assistant/tokens.py).

Tokens are Sudachi normalized forms of content words, at two granularities (mode C
compounds and their mode A parts), so 「自治会長情報交換会」 matches both the whole name
and 「情報交換」. Tokens are computed once at index time. The BM25 matrix is built with
numpy from the token ids (the same scores bm25s's own `index()` computes, without its
per-document Python loop) and saved in bm25s's format with the token ids and the corpus
words' Sudachi synonym groups, so opening an index loads it (memory-mapped) instead of
rebuilding it, and an update rebuilds it from stored ids without tokenizing again.
Reading the saved matrix and scoring a query (bm25s's numpy scorer: add each query
word's column) are done here with numpy, so a question's process never imports bm25s
and scipy (~0.35 s).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from assistant.lexicon import lexicon
from assistant.tokens import tokenize, tokenizer

K1, B = 1.5, 0.75  # bm25s's defaults (method "lucene")
TOKEN_IDS, OFFSETS, SYNONYMS, BM25_DIR = "token_ids.npy", "offsets.npy", "synonyms.json", "bm25"
# bm25s's file names (BM25.save / BM25.load)
BM25_FILES = {"data": "data.csc.index.npy", "indices": "indices.csc.index.npy", "indptr": "indptr.csc.index.npy"}
BM25_VOCAB, BM25_PARAMS = "vocab.index.json", "params.index.json"


def flatten(corpus_tokens: list[list[str]], vocab: dict[str, int] | None = None) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Token lists -> (flat token ids, row offsets, vocab); new words extend `vocab`."""
    vocab = {} if vocab is None else vocab
    ids = [vocab.setdefault(t, len(vocab)) for doc in corpus_tokens for t in doc]
    offsets = np.zeros(len(corpus_tokens) + 1, dtype=np.int64)
    np.cumsum([len(doc) for doc in corpus_tokens], out=offsets[1:])
    return np.asarray(ids, dtype=np.int32), offsets, vocab


def bm25_matrix(token_ids: np.ndarray, offsets: np.ndarray, n_vocab: int) -> dict[str, object]:
    """bm25s's score matrix (CSC, documents x vocabulary, lucene idf and tf) computed with
    numpy: score = idf * tf / (tf + k1 * (1 - b + b * len / avg_len))."""
    n_docs = len(offsets) - 1
    lengths = np.diff(offsets)
    docs = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    # One entry per (token, document) pair, with its count: sorted by token, then document.
    pairs, tf = np.unique(token_ids.astype(np.int64) * max(n_docs, 1) + docs, return_counts=True)
    vocab_idx, doc_idx = np.divmod(pairs, max(n_docs, 1))
    df = np.bincount(vocab_idx, minlength=n_vocab)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    avg_len = lengths.mean() if n_docs else 1.0
    tf32 = tf.astype(np.float32)
    tfc = tf32 / (K1 * ((1 - B) + B * lengths[doc_idx] / avg_len) + tf32)
    data = (idf[vocab_idx] * tfc).astype(np.float32)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {"data": data, "indices": doc_idx.astype(np.int32), "indptr": indptr, "num_docs": n_docs}


class KeywordIndex:
    """BM25 over pre-tokenized chunks; returns (chunk index, score) pairs."""

    def __init__(self, corpus_tokens: list[list[str]] | None = None) -> None:
        token_ids, offsets, vocab = flatten(corpus_tokens or [])
        self._setup(token_ids, offsets, vocab)

    @classmethod
    def from_ids(cls, token_ids: np.ndarray, offsets: np.ndarray, vocab: dict[str, int]) -> "KeywordIndex":
        """From flat token ids (rows delimited by `offsets`); words no row uses are dropped
        from the vocabulary, so `known()` means "some chunk holds it"."""
        used = np.zeros(len(vocab), dtype=bool)
        used[token_ids] = True
        if not used.all():
            remap = np.cumsum(used) - 1
            words = [w for w, i in sorted(vocab.items(), key=lambda kv: kv[1]) if used[i]]
            vocab = {w: i for i, w in enumerate(words)}
            token_ids = remap[token_ids].astype(np.int32)
        index = cls.__new__(cls)
        index._setup(token_ids, offsets, vocab)
        return index

    def _setup(self, token_ids: np.ndarray, offsets: np.ndarray, vocab: dict[str, int], scores: dict[str, object] | None = None) -> None:
        self._size = len(offsets) - 1
        self._vocab = vocab
        self.token_ids, self.offsets = token_ids, offsets
        self._groups: dict[int, set[str]] | None = None
        self._groups_lock = threading.Lock()
        self._scores = scores if scores is not None else bm25_matrix(token_ids, offsets, len(vocab))
        self._data, self._indices, self._indptr = (self._scores[k] for k in ("data", "indices", "indptr"))
        # Lucene's BM25 idf; an unseen token gets the rarest possible weight. A column of the
        # matrix holds one entry per document containing its token: its length is the df.
        df = np.diff(np.asarray(self._indptr))
        self._idf = np.log(1 + (self._size - df + 0.5) / (df + 0.5))
        self._max_idf = float(np.log(1 + (self._size + 0.5) / 0.5))

    # -- storage ---------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        import bm25s

        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / TOKEN_IDS, self.token_ids)
        np.save(folder / OFFSETS, self.offsets)
        bm25 = bm25s.BM25(k1=K1, b=B)
        bm25.scores, bm25.vocab_dict, bm25.nonoccurrence_array = self._scores, self._vocab, None
        bm25.save(str(folder / BM25_DIR), show_progress=False)
        groups = {str(g): sorted(words) for g, words in self._synonym_groups().items()}
        (folder / SYNONYMS).write_text(json.dumps(groups, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "KeywordIndex":
        """The saved index (arrays memory-mapped), with the synonym groups of build time."""
        saved = folder / BM25_DIR
        scores: dict[str, object] = {k: np.load(saved / name, mmap_mode="r") for k, name in BM25_FILES.items()}
        scores["num_docs"] = json.loads((saved / BM25_PARAMS).read_text(encoding="utf-8"))["num_docs"]
        vocab = {str(k): int(v) for k, v in json.loads((saved / BM25_VOCAB).read_text(encoding="utf-8")).items()}
        index = cls.__new__(cls)
        index._setup(np.load(folder / TOKEN_IDS, mmap_mode="r"), np.load(folder / OFFSETS), vocab, scores)
        groups = json.loads((folder / SYNONYMS).read_text(encoding="utf-8"))
        index._groups = {int(g): set(words) for g, words in groups.items()}
        return index

    def vocabulary(self) -> dict[str, int]:
        return self._vocab

    def scores(self, token_ids: list[int]) -> np.ndarray:
        """BM25 score of every chunk: the sum of the query words' columns (a word asked
        twice counts twice, as in bm25s)."""
        out = np.zeros(self._size, dtype=np.float32)
        for t in token_ids:
            start, end = int(self._indptr[t]), int(self._indptr[t + 1])
            out[self._indices[start:end]] += self._data[start:end]  # one entry per chunk in a column
        return out

    def rows(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Token ids and offsets of some rows (an update carries unchanged chunks over)."""
        starts, ends = self.offsets[positions], self.offsets[positions + 1]
        lengths = ends - starts
        offsets = np.zeros(len(positions) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        if not len(positions):
            return np.zeros(0, dtype=np.int32), offsets
        # Contiguous runs are copied as slices: an update keeps whole documents.
        ids = np.concatenate([np.asarray(self.token_ids[s:e]) for s, e in _runs(starts, ends)])
        return ids.astype(np.int32), offsets

    # -- lookups ---------------------------------------------------------------------------------
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
        # Stored with the index; built on first use for an index built in memory.
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
        scores = self.scores(qids)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        # Only the best k of the rows that hold a query word are sorted (everything tied with
        # the k-th is kept, so the order is that of a stable sort of all scores).
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            kth = np.partition(scores[hits], len(hits) - k)[len(hits) - k]
            hits = hits[scores[hits] >= kth]
        top = hits[np.lexsort((hits, -scores[hits]))][:k]
        return [(int(i), float(scores[i])) for i in top]


def _runs(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Merge back-to-back [start, end) ranges."""
    runs: list[tuple[int, int]] = []
    for s, e in zip(starts.tolist(), ends.tolist()):
        if runs and runs[-1][1] == s:
            runs[-1] = (runs[-1][0], e)
        else:
            runs.append((s, e))
    return runs
