"""Japanese tokens from Sudachi: content-word normalised forms, compounds and their parts.

Used at index time (BM25 tokens) and at question time (the question's words), so both
sides read Japanese the same way. Word lists (stop words, parts of speech) are lexicon data.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

from assistant.lexicon import lexicon

# Bump when tokens change: indexes built with other tokens are rebuilt.
TOKENIZER_VERSION = "3"
# OCR'd plans space digits apart (「基本方針 2」「令和 4 年度」); joined, they match the question.
_DIGIT_GAP = re.compile(r"(?<=[^\x00-\x7f])[ \u3000]+(?=[0-9])|(?<=[0-9])[ \u3000]+(?=[^\x00-\x7f])")


class Tokenizer:
    # Sudachi tokenizers are not thread-safe; Streamlit serves sessions from threads.
    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._dict = Dictionary(dict="core")
        self._local = threading.local()
        self._mode_a = SplitMode.A
        self._mode_c = SplitMode.C
        lex = lexicon()
        self._skip_pos = lex.skip_pos
        self._bigram_pos = lex.bigram_pos
        self._stop = lex.stop_words

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
            if pos in self._skip_pos or norm in self._stop or not norm.strip():
                prev = None
                continue
            parts = [
                p.normalized_form().lower()
                for p in m.split(self._mode_a)
                if p.part_of_speech()[0] not in self._skip_pos and p.normalized_form() not in self._stop
            ]
            out.append(norm)
            if len(parts) > 1:
                out.extend(parts)
                out.extend(a + b for a, b in zip(parts, parts[1:]))
            first = parts[0] if parts else norm
            if prev is not None and prev_end == m.begin() and pos in self._bigram_pos:
                out.append(prev + first)
            prev = (parts[-1] if parts else norm) if pos in self._bigram_pos else None
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

    def morphemes(self, text: str) -> list[tuple[str, str, str, str, str]]:
        """(surface, part of speech, its sub-class, normalized form, its sub-sub-class) of every
        morpheme, mode C (「去年」: 名詞, 普通名詞, 去年, 副詞可能)."""
        out = []
        for m in self._tok().tokenize(unicodedata.normalize("NFKC", text), self._mode_c):
            pos = m.part_of_speech()
            out.append((m.surface(), pos[0], pos[1], m.normalized_form().lower(), pos[2]))
        return out

    def person_names(self, text: str, titles: frozenset[str] = frozenset(), full: bool = False) -> list[str]:
        """Names of people in `text`: a surname followed by a given name (「山田太郎」), or a
        surname followed by an honorific or a title (「佐藤氏」「田中委員」), unless `full`. A
        surname alone is not enough: place names read as surnames too (「緑川市」)."""
        ms = list(self._tok().tokenize(unicodedata.normalize("NFKC", text), self._mode_c))
        out = []
        for i, m in enumerate(ms):
            pos = m.part_of_speech()
            if pos[2] != "人名" or pos[3] != "姓":
                continue
            # Rosters put a space between surname and given name (「三宅　直子」).
            j = i + 1
            while j < len(ms) and not ms[j].surface().strip():
                j += 1
            nxt = ms[j] if j < len(ms) else None
            if nxt is None:
                continue
            npos = nxt.part_of_speech()
            if npos[2] == "人名" and npos[3] == "名":
                out.append(m.surface() + nxt.surface())
            elif not full and (nxt.surface() in ("氏", "さん", "様", "君") or nxt.surface() in titles):
                out.append(m.surface())
        if titles and not out:
            out = _roster_names(unicodedata.normalize("NFKC", text), titles)
        return out

    def nouns(self, text: str) -> list[tuple[str, str]]:
        """(surface, normalized form) of the content nouns of `text`, as compounds; time words
        (「去年」「半年」, adverb-like nouns) are not content."""
        out = []
        for m in self._tok().tokenize(unicodedata.normalize("NFKC", text), self._mode_c):
            pos = m.part_of_speech()
            if pos[0] == "名詞" and pos[1] not in ("数詞", "代名詞") and pos[2] != "副詞可能":
                out.append((m.surface(), m.normalized_form()))
        return out


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    return Tokenizer()


def tokenize(text: str) -> list[str]:
    return tokenizer().tokens(text)


@lru_cache(maxsize=8)
def _roster_line(titles: frozenset[str]) -> re.Pattern[str]:
    pattern = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    # (a name does not end in an office's word, 「委員長　市民協働課」, nor in a measure's, as the
    # header row 「テーマ　講師　参加者数」 does)
    return re.compile(rf"(?:^|[\s、])(?:{pattern})\s+([\u4e00-\u9fff]{{1,4}}\s?[\u4e00-\u9fffぁ-んァ-ヶ]{{1,5}})"
                      r"(?<![課局部会室所係団市町村数額率者費])(?=\s*[(（]|\s*$)", re.M)


def _roster_names(text: str, titles: frozenset[str]) -> list[str]:
    """A roster line: a title, a space, a name, then its affiliation in brackets or the line's end
    (「副委員長　御園さより（社会福祉協議会）」), where Sudachi reads the name as a place or a word."""
    return [m.group(1).replace(" ", "") for m in _roster_line(frozenset(titles)).finditer(text)]
