"""Lookups over the whole corpus that a question needs, answered without reading it all.

The answer engine asks a few questions of every document at once: does any document (of
these cities) contain this word (the off-topic and focus gates, unknown places), and where
is this term defined (the definition strategy). Read naively, each costs time in proportion
to the corpus on every question (searching the concatenated text of thousands of documents,
segmenting every document). Here they are answered from indexes the build stores with each
generation (`corpus/`), memory-mapped when the index opens:

- `TextIndex`: which documents contain a string. Every character, character pair and
  character triple of each document (NFKC, as the gates compare) is posted to the documents
  holding it. A string of one or two characters is its own key (no text is read); a longer
  one's candidates are the documents holding all its triples, and only they are searched.
  The NFKC texts are stored too, so a search decodes only its candidates.
- Titles: which documents a subject names (「…計画の期間は？」 asked of a plan by its title).
- Definition terms: which documents may define a term. Each document's candidate terms (what
  precedes 「とは」 near a segment's start, a term before a colon, a table row's first cell, a
  heading or short line without its marks) are stored per document; the definition rules
  then run on those documents only, in document order, exactly as on all of them.

An update copies the unchanged documents' keys, texts and terms from the previous
generation (like their vectors) and computes the changed ones'. Both lookups give what a full
scan gives (tests/test_corpus_index.py compares them); they only skip documents that cannot
match.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.lazy_records import head_of
from assistant.text import city_stem, compact, nfkc
from assistant.types import LoadedDocument

FOLDER = "corpus"
VERSION = 2  # bump when the stored keys or terms change meaning
# A term line of the definition rule is at most 30 characters; twice that leaves room for the
# rule to change without the stored terms missing a document.
SHORT_LINE_CHARS = 60

_SHIFT = np.uint64(21)  # code points fit in 21 bits: a triple is 63 bits
_PAIR = np.uint64(1 << 63)  # pairs and single characters are marked apart from triples
_SINGLE = np.uint64((1 << 63) | (1 << 62))


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _triples(c: np.ndarray) -> np.ndarray:
    return (c[:-2] << np.uint64(42)) | (c[1:-1] << _SHIFT) | c[2:]


def text_keys(text: str) -> np.ndarray:
    """The distinct characters, pairs and triples of a text, as sorted integer keys."""
    c = _codes(text)
    parts = [c | _SINGLE, ((c[:-1] << _SHIFT) | c[1:]) | _PAIR]
    if len(c) >= 3:
        parts.append(_triples(c))
    return np.unique(np.concatenate(parts))


def query_keys(s: str) -> np.ndarray:
    """What a document must hold to contain `s` (one key for a character or a pair)."""
    c = _codes(s)
    if len(c) == 1:
        return c | _SINGLE
    if len(c) == 2:
        return ((c[:-1] << _SHIFT) | c[1:]) | _PAIR
    return np.unique(_triples(c))


def keys_of_texts(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`invert` of every text's `text_keys`, made for all texts at once: thousands of short
    texts (titles) cost one pass of numpy instead of one per text."""
    c = _codes("".join(texts))
    doc = np.repeat(np.arange(len(texts), dtype=np.int32), [len(t) for t in texts])
    same2 = doc[:-1] == doc[1:]
    same3 = same2[:-1] & same2[1:]
    keys = np.concatenate([c | _SINGLE, (((c[:-1] << _SHIFT) | c[1:]) | _PAIR)[same2], _triples(c)[same3]])
    owners = np.concatenate([doc, doc[:-1][same2], doc[:-2][same3]])
    order = np.lexsort((owners, keys))  # by key, then document: each key's documents ascending
    keys, owners = keys[order], owners[order]
    distinct = np.ones(len(keys), dtype=bool)
    distinct[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    keys, owners = keys[distinct], owners[distinct]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(first)
    return keys[starts], np.append(starts, len(keys)).astype(np.int64), owners


def invert(keys_by_doc: np.ndarray, doc_offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-document sorted keys -> (distinct keys, posting offsets, documents per key)."""
    owners = np.repeat(np.arange(len(doc_offsets) - 1, dtype=np.int32), np.diff(doc_offsets))
    order = np.argsort(keys_by_doc, kind="stable")  # stable: each key's documents stay ascending
    ordered = keys_by_doc[order]
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    return ordered[starts], np.append(starts, len(ordered)).astype(np.int64), owners[order]


class TextIndex:
    """Which documents (by position) contain a string, their NFKC texts read only as needed."""

    def __init__(self, keys: np.ndarray, offsets: np.ndarray, owners: np.ndarray, texts: Any, text_offsets: np.ndarray) -> None:
        self._keys, self._offsets, self._owners = keys, offsets, owners
        self._texts, self._text_offsets = texts, text_offsets  # UTF-8 bytes (or a memory map of them)
        self.size = len(text_offsets) - 1

    @classmethod
    def of(cls, texts: list[str]) -> "TextIndex":
        """Made in memory from NFKC texts (views of a few documents, indexes without stored files)."""
        blobs = [t.encode("utf-8") for t in texts]
        text_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        text_offsets[1:] = np.cumsum([len(b) for b in blobs])
        return cls(*keys_of_texts(texts), b"".join(blobs), text_offsets)

    def text(self, i: int) -> str:
        return bytes(self._texts[self._text_offsets[i] : self._text_offsets[i + 1]]).decode("utf-8")

    def _posting(self, key: np.uint64) -> np.ndarray:
        i = int(np.searchsorted(self._keys, key))
        if i < len(self._keys) and self._keys[i] == key:
            return np.asarray(self._owners[self._offsets[i] : self._offsets[i + 1]])
        return np.zeros(0, dtype=np.int32)

    def candidates(self, s: str, among: np.ndarray | None = None) -> np.ndarray:
        """Documents (ascending) holding every key of `s`, among `among` if given."""
        postings = sorted((self._posting(k) for k in query_keys(s)), key=len)
        found = postings[0] if among is None else np.intersect1d(postings[0], among, assume_unique=True)
        for posting in postings[1:]:
            if not len(found):
                break
            found = np.intersect1d(found, posting, assume_unique=True)
        return found

    def containing(self, s: str, among: np.ndarray | None = None) -> Iterator[int]:
        """The documents whose text contains `s`, ascending."""
        if not s:
            yield from (range(self.size) if among is None else (int(i) for i in among))
            return
        exact = len(s) <= 2  # a character or a pair is its own key: no text needs reading
        for i in self.candidates(s, among):
            if exact or s in self.text(int(i)):
                yield int(i)

    def contains(self, s: str, among: np.ndarray | None = None) -> bool:
        """Whether any document (of `among`) contains `s`; the empty string is in every text."""
        return not s or next(self.containing(s, among), None) is not None


class CorpusText:
    """The documents of some cities (or all), as the gates read them: `word in text`."""

    def __init__(self, index: TextIndex, among: np.ndarray | None) -> None:
        self.index, self.among = index, among

    def __contains__(self, s: object) -> bool:
        return isinstance(s, str) and self.index.contains(s, self.among)

    def search(self, around: str, pattern: re.Pattern[str], limit: int) -> re.Match[str] | None:
        """The first match of `pattern` in the first `limit` documents holding `around` (a literal
        part of it): bounded, so a question costs the same at any size of corpus."""
        for n, i in enumerate(self.index.containing(around, self.among)):
            if n >= limit:
                break
            m = pattern.search(self.index.text(i))
            if m:
                return m
        return None


# ----------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class TermRules:
    """What the definition strategy looks for (strategies/definition.py gives them; see
    assistant/corpus_terms.py): how far into a segment 「Xとは」 may stand, the term-before-a-
    colon pattern, the term marks around a term line."""

    prefix_chars: int
    colon_term: re.Pattern[str]
    term_marks: re.Pattern[str]


def definition_terms(text: str, segments: Iterable[Any], rules: TermRules) -> set[str]:
    """Every term one of the document's segments could define, by the definition strategy's
    rules: a superset, so that a document not listed for a term cannot define it. Per
    segment: each phrase ending right before a 「とは」 (or 「」とは」「』とは」) in its first
    characters; the term before a colon; a table row's first cell; a heading or short
    segment without its term marks."""
    terms: set[str] = set()
    for seg in segments:
        s = text[seg.start : seg.end]
        head = s[: rules.prefix_chars]
        at = head.find("とは")
        while at > 0:
            before = head[:at]
            for phrase in (before, before[:-1] if before[-1] in "」』" else ""):
                terms.update(phrase[i:] for i in range(len(phrase)))
            at = head.find("とは", at + 1)
        colon = rules.colon_term.match(s)
        if colon:
            terms.add(colon.group("t").strip())
        if seg.kind == "table":
            terms.add(s.split("\t")[0].strip())
        bare = rules.term_marks.sub("", s).strip()
        if seg.kind == "heading" or len(bare) <= SHORT_LINE_CHARS:
            terms.add(bare)
    terms.discard("")
    return terms


TermsOf = Callable[[str], Iterable[str]]  # a document's text -> its candidate terms


def invert_terms(terms: Iterable[Iterable[str]]) -> dict[str, list[int]]:
    """Per-document terms (in document order) -> term: the documents' positions, ascending."""
    by_term: dict[str, list[int]] = {}
    for i, doc_terms in enumerate(terms):
        for term in doc_terms:
            by_term.setdefault(term, []).append(i)
    return by_term


class DefinitionTerms:
    """Term -> the documents (in document order) that may define it."""

    def __init__(self, order: list[str], by_term: dict[str, list[int]] | None) -> None:
        self._order, self._by_term = order, by_term

    def sources(self, term: str) -> list[str]:
        if self._by_term is None:
            return list(self._order)
        return [self._order[i] for i in self._by_term.get(term, ())]


# ----------------------------------------------------------------------------- stored files


def _meta(gen_dir: Path) -> dict[str, Any] | None:
    try:
        with open(gen_dir / FOLDER / "meta.json", encoding="utf-8") as fh:
            meta = json.load(fh)
    except (OSError, ValueError):
        return None
    return meta if meta.get("version") == VERSION else None


class _Stored:
    """A generation's stored corpus files (None where absent or of another version)."""

    def __init__(self, gen_dir: Path | None) -> None:
        self.meta = _meta(gen_dir) if gen_dir else None
        self.position: dict[str, int] = {s: i for i, s in enumerate(self.meta["sources"])} if self.meta else {}
        if self.meta and gen_dir:
            folder = gen_dir / FOLDER
            self.keys = np.load(folder / "doc_keys.npy", mmap_mode="r")
            self.key_offsets = np.load(folder / "doc_key_offsets.npy")
            self.texts = np.memmap(folder / "texts.bin", dtype=np.uint8, mode="r") if (folder / "texts.bin").stat().st_size else b""
            self.text_offsets = np.load(folder / "text_offsets.npy")
            with open(folder / "terms.json", encoding="utf-8") as fh:
                self.terms: dict[str, list[str]] = json.load(fh)

    def has(self, source: str, whole_row_chars: int) -> bool:
        return source in self.position and self.meta is not None and self.meta["whole_row_chars"] == whole_row_chars


def is_stored(gen_dir: Path, whole_row_chars: int) -> bool:
    """Whether the generation holds this version's corpus files for these segments."""
    meta = _meta(gen_dir)
    return meta is not None and meta["whole_row_chars"] == whole_row_chars


def write_corpus(gen_dir: Path, documents: list[tuple[str, str]], old_dir: Path | None, carried: set[str],
                 whole_row_chars: int, terms_of: TermsOf) -> None:
    """Store the corpus lookups of a generation whose documents are (source, text), in row
    order. The `carried` (unchanged) documents' keys, texts and terms are copied from the
    previous generation where it stored them; the others are computed."""
    old = _Stored(old_dir)
    folder = gen_dir / FOLDER
    (folder / "meta.json").unlink(missing_ok=True)  # incomplete until it is written again, last
    keys, texts, terms = [], [], {}
    for source, text in documents:
        if source in carried and old.has(source, whole_row_chars):
            i = old.position[source]
            keys.append(np.asarray(old.keys[old.key_offsets[i] : old.key_offsets[i + 1]]))
            texts.append(bytes(old.texts[old.text_offsets[i] : old.text_offsets[i + 1]]))
            terms[source] = old.terms[source]
        else:
            normalized = nfkc(text)
            keys.append(text_keys(normalized))
            texts.append(normalized.encode("utf-8"))
            terms[source] = sorted(terms_of(text))
    folder.mkdir(exist_ok=True)
    key_offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    key_offsets[1:] = np.cumsum([len(k) for k in keys])
    all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
    np.save(folder / "doc_keys.npy", all_keys)
    np.save(folder / "doc_key_offsets.npy", key_offsets)
    distinct, offsets, owners = invert(all_keys, key_offsets)
    np.save(folder / "keys.npy", distinct)
    np.save(folder / "offsets.npy", offsets)
    np.save(folder / "owners.npy", owners)
    text_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    text_offsets[1:] = np.cumsum([len(t) for t in texts])
    with open(folder / "texts.bin", "wb") as fh:
        for t in texts:
            fh.write(t)
    np.save(folder / "text_offsets.npy", text_offsets)
    with open(folder / "terms.json", "w", encoding="utf-8") as fh:  # per document: what an update copies
        fh.write(json.dumps(terms, ensure_ascii=False))
    with open(folder / "definitions.json", "w", encoding="utf-8") as fh:  # per term: what a question reads
        fh.write(json.dumps(invert_terms(terms[s] for s, _ in documents), ensure_ascii=False))
    meta = {"version": VERSION, "whole_row_chars": whole_row_chars, "sources": [s for s, _ in documents]}
    with open(folder / "meta.json", "w", encoding="utf-8") as fh:
        fh.write(json.dumps(meta, ensure_ascii=False))  # last: the folder is complete


# ----------------------------------------------------------------------------- the corpus


class CorpusIndex:
    """What the answer engine looks up across documents, made once per open index."""

    def __init__(self, documents: Mapping[str, LoadedDocument], whole_row_chars: int, gen_dir: Path | None = None,
                 terms_of: TermsOf | None = None) -> None:
        self.documents = documents
        self.terms_of = terms_of  # for documents without stored terms; None: every document is a candidate
        self.order = list(documents)
        self.whole_row_chars = whole_row_chars
        folder = gen_dir / FOLDER if gen_dir else None
        meta = _meta(gen_dir) if gen_dir else None
        self._stored = meta is not None and meta["sources"] == self.order
        if self._stored and folder is not None:
            self.text = TextIndex(
                np.load(folder / "keys.npy", mmap_mode="r"), np.load(folder / "offsets.npy", mmap_mode="r"),
                np.load(folder / "owners.npy", mmap_mode="r"),
                np.memmap(folder / "texts.bin", dtype=np.uint8, mode="r") if (folder / "texts.bin").stat().st_size else b"",
                np.load(folder / "text_offsets.npy"),
            )
            self._terms_file = folder / "definitions.json" if meta and meta["whole_row_chars"] == whole_row_chars else None
        else:  # no stored files (a view of a few texts, an index built before them): made here
            self.text = TextIndex.of([nfkc(d.text) for d in documents.values()])
            self._terms_file = None
        rows: dict[str, list[int]] = {}
        for i, source in enumerate(self.order):
            rows.setdefault(head_of(documents, source)[1] or "", []).append(i)
        self._rows_by_city = {c: np.asarray(r, dtype=np.int32) for c, r in rows.items()}
        self._definitions: DefinitionTerms | None = None
        self._titles: tuple[TextIndex, TextIndex] | None = None

    def rows_of(self, cities: tuple[str, ...] | list[str]) -> np.ndarray | None:
        """The documents of these cities (ascending positions), or None for every document."""
        if not cities:
            return None
        parts = [self._rows_by_city[c] for c in set(cities) if c in self._rows_by_city]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)

    def corpus_text(self, cities: tuple[str, ...] | list[str]) -> CorpusText:
        return CorpusText(self.text, self.rows_of(cities))

    def mentions(self, s: str) -> bool:
        """Whether any document's own text (not NFKC) contains `s`: the NFKC index names the
        candidates (a name NFKC leaves as it is stays a name), the original texts decide."""
        if not s:
            return True
        return any(s in self.documents[self.order[i]].text for i in self.text.candidates(nfkc(s)))

    def documents_mentioning(self, texts: list[str], cities: tuple[str, ...], limit: int) -> list[str]:
        """The sources of up to `limit` documents (of these cities, or any) whose NFKC text
        contains every one of `texts`, in document order."""
        among = self.rows_of(cities)
        found: list[str] = []
        first, rest = texts[0], texts[1:]
        for i in self.text.containing(nfkc(first), among):
            if all(nfkc(t) in self.text.text(i) for t in rest):
                found.append(self.order[i])
                if len(found) >= limit:
                    break
        return found

    def documents_named(self, subject: str, names: Callable[[str, str, str | None], bool],
                        edition: re.Pattern[str]) -> list[str]:
        """The sources of the documents whose title names `subject` by `names(subject, title, city)`
        (docview.names_document: the subject in the compact title, or its words without the
        `edition` marks in the title without city and edition), in document order: the titles
        that hold either are looked up; only they are compared."""
        titles, cores = self._title_indexes(edition)
        found = set(titles.containing(subject))
        core = edition.sub("", subject)
        if len(core) >= 4:
            found.update(cores.containing(core))
        sources = [self.order[i] for i in sorted(found)]
        return [s for s in sources if names(subject, *head_of(self.documents, s))]

    def _title_indexes(self, edition: re.Pattern[str]) -> tuple[TextIndex, TextIndex]:
        """The compact titles, and the same without their city and edition (made on first use)."""
        if self._titles is None:
            titles, cores = [], []
            for source in self.order:
                name, city = head_of(self.documents, source)
                title = compact(name)
                titles.append(title)
                if city:
                    title = title.replace(city, "").replace(city_stem(city), "")
                cores.append(edition.sub("", title))
            self._titles = (TextIndex.of(titles), TextIndex.of(cores))
        return self._titles

    @property
    def definitions(self) -> DefinitionTerms:
        """Made on the first definition question (from the stored terms when there are)."""
        if self._definitions is None:
            by_term: dict[str, list[int]] | None = None  # no rules given (a view of a few texts): all may
            if self._terms_file is not None:
                with open(self._terms_file, encoding="utf-8") as fh:
                    by_term = json.load(fh)
            elif self.terms_of is not None:
                by_term = invert_terms(self.terms_of(d.text) for d in self.documents.values())
            self._definitions = DefinitionTerms(self.order, by_term)
        return self._definitions

    def defining_documents(self, term: str) -> Iterator[tuple[str, LoadedDocument]]:
        """The documents that may define `term`, in document order."""
        for source in self.definitions.sources(term):
            yield source, self.documents[source]
