"""The default answer engine, with no language model.

It picks the sentences, table cells and list items of the retrieved passages that answer
the question (weighted by what the question asks for: a count, a date, an amount, a
period, a list, a definition), leads with the asked-for value when there is one, and
cites every statement with a verified quote. When the evidence is too weak it abstains
with a fixed phrase and shows the closest passages instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chunking import split_sentences
from assistant.citations import make_citation, verify
from assistant.index import Index
from assistant.keyword import tokenize
from assistant.query import Query, nfkc
from assistant.settings import AnswerSettings
from assistant.types import Answer, Citation, Passage

ABSTAIN_TEXT = "資料には該当する記載が見つかりませんでした。"
RELATED_HEADING = "関連する可能性のある箇所"

# Words that shape a question but say nothing about its topic.
QUESTION_WORDS = {
    "何", "なに", "なん", "いつ", "どこ", "誰", "どう", "どの", "どんな", "どのよう", "いくら", "いくつ",
    "教える", "下さる", "くださる", "ある", "居る", "いる", "為る", "する", "成る", "なる", "です", "ます",
    "挙げる", "述べる", "記載", "書く", "説明", "具体", "的", "について", "中", "頃", "か", "の", "よう",
    "知る", "分かる", "載る", "示す", "れる", "られる", "いう", "言う",
}

_TYPE_VALUE = {
    "count": re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:名|人|件|回|か所|箇所|ヶ所|カ所|地区|団体|校|世帯|社|つ|個|%|割|協働体|組織|事業|人日)"),
    "amount": re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万|億|千)?\s*円"),
    "date": re.compile(r"(?:令和|平成|昭和)\s*(?:元|\d{1,2})\s*年(?:度)?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{4}\s*年(?:\s*\d{1,2}\s*月)?|\d{1,2}\s*月\s*\d{1,2}\s*日"),
    "period": re.compile(r"(?:(?:令和|平成)\s*(?:元|\d{1,2})|\d{4})\s*年度?\s*(?:から|～|〜|~|-|－|－)\s*(?:(?:令和|平成)\s*(?:元|\d{1,2})|\d{4})?\s*年度?(?:まで)?(?:の\s*\d+\s*年間)?|\d+\s*年間"),
}
_UNKNOWN_PLACE = re.compile(r"([一-龥ぁ-んァ-ヶ]{1,5}?)(市|町|村|県|区)(?![民役長議政内外営街区町村域])")
_GENERIC_PLACES = {"本", "当", "各", "同", "他", "都", "全", "市", "都道府", "区", "市町", "政令", "自"}
_SEGMENT_BREAK = re.compile(r"<[^>]+>|\t|\n")
_BULLET = re.compile(r"(?:[-・●■○◆◇□※*>]\s*)+")
_NON_CONTENT = re.compile(r"^[\s\d\-ー・■●○◆◇□※*#|｜:：、。,.（）()「」『』【】～〜]*$")


@dataclass
class Statement:
    rank: int  # rank of its passage
    passage: Passage
    start: int
    end: int
    text: str
    score: float = 0.0
    coverage: float = 0.0
    typed: bool = False


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Statement spans inside text[start:end]: split at lines, table cells and inline tags,
    then into sentences. Spans never cross a tag, so quotes read cleanly."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _SEGMENT_BREAK.finditer(text, start, end):
        spans.extend(split_sentences(text, cursor, m.start()))
        cursor = m.end()
    spans.extend(split_sentences(text, cursor, end))
    out = []
    for s, e in spans:
        m = _BULLET.match(text, s, e)
        s = m.end() if m else s
        if s < e and not _NON_CONTENT.match(text[s:e]):
            out.append((s, e))
    return out


class AnswerEngine:
    def __init__(self, index: Index, cfg: AnswerSettings) -> None:
        self.index = index
        self.cfg = cfg

    # -- scoring ------------------------------------------------------------------------
    def _weights(self, tokens: set[str]) -> dict[str, float]:
        return {t: self.index.keyword.idf(t) for t in tokens}

    def query_terms(self, query: Query) -> dict[str, float]:
        terms = {t for t in tokenize(query.keyword_text) if t not in QUESTION_WORDS}
        # City names restrict retrieval already; as terms they would reward every sentence
        # of that city's documents equally.
        city_stems = {re.sub(r"[市町村]$", "", c) for c in query.cities}
        terms -= city_stems | set(query.cities) | {"市"}
        return self._weights(terms)

    @staticmethod
    def _coverage(terms: dict[str, float], tokens: set[str]) -> float:
        total = sum(terms.values())
        return sum(w for t, w in terms.items() if t in tokens) / total if total else 0.0

    def statements(self, query: Query, passages: list[Passage]) -> list[Statement]:
        terms = self.query_terms(query)
        value_re = _TYPE_VALUE.get(query.answer_type)
        out: list[Statement] = []
        for rank, passage in enumerate(passages[:6]):
            chunk = passage.chunk
            doc = self.index.documents[chunk.source]
            context = set(tokenize(f"{chunk.title} {chunk.section}"))
            passage_tokens = set(tokenize(chunk.text)) | context
            passage_cov = self._coverage(terms, passage_tokens)
            for s, e in _segments(doc.text, chunk.start, chunk.end):
                text = doc.text[s:e]
                tokens = set(tokenize(text))
                own = self._coverage(terms, tokens)
                with_context = self._coverage(terms, tokens | context)
                typed = bool(value_re and value_re.search(nfkc(text)))
                score = (
                    0.45 * own
                    + 0.25 * with_context
                    + 0.15 * passage_cov
                    + 0.15 / (1 + 0.5 * rank)
                    + (0.15 if typed else 0.0)
                )
                out.append(Statement(rank, passage, s, e, text, score, with_context, typed))
        out.sort(key=lambda st: (-st.score, st.rank, st.start))
        return out

    # -- decisions ----------------------------------------------------------------------
    def unknown_place(self, query: Query) -> str | None:
        """A municipality named in the question that no indexed document belongs to."""
        known = self.index.cities
        for m in _UNKNOWN_PLACE.finditer(query.normalized):
            stem, suffix = m.group(1), m.group(2)
            # The regex is greedy from the left; try each tail so 「では札幌市」 yields 札幌.
            for i in range(len(stem)):
                tail = stem[i:]
                if tail in _GENERIC_PLACES or len(tail) < 2:
                    continue
                name = tail + suffix
                if any(name == c or tail == re.sub(r"[市町村]$", "", c) for c in known):
                    break
                if self.index.keyword.known(tail) and suffix != "市":
                    break
                if not any(tail in d.text for d in self.index.documents.values()):
                    return name
                break
        return None

    def evidence_strength(self, query: Query, statements: list[Statement]) -> float:
        if not statements:
            return 0.0
        best = statements[0]
        strength = best.coverage
        if query.answer_type in ("count", "amount", "date", "period") and not any(
            st.typed for st in statements[:5]
        ):
            strength *= 0.6  # the question asks for a value no close passage gives
        return strength

    # -- composing ----------------------------------------------------------------------
    def select(self, query: Query, statements: list[Statement]) -> list[Statement]:
        if not statements:
            return []
        best = statements[0].score
        limit = self.cfg.max_statements + (4 if query.answer_type == "list" else 0)
        floor = 0.8 * best if query.answer_type != "list" else 0.7 * best
        chosen: list[Statement] = []
        for st in statements:
            if st.score < floor or len(chosen) >= limit:
                break
            if any(st.start < c.end and c.start < st.end and st.passage.chunk.source == c.passage.chunk.source for c in chosen):
                continue
            chosen.append(st)
        # A comparison needs each city's best statement, even if it scores lower.
        for city in query.cities:
            if not any(c.passage.chunk.city == city for c in chosen):
                own = next((st for st in statements if st.passage.chunk.city == city), None)
                if own:
                    chosen.append(own)
        return chosen

    def compose(self, query: Query, passages: list[Passage]) -> Answer:
        place = self.unknown_place(query)
        statements = self.statements(query, passages) if not place else []
        strength = self.evidence_strength(query, statements)
        if place or strength < self.cfg.abstain_threshold:
            return Answer(question=query.original, text=ABSTAIN_TEXT, abstained=True, passages=passages)

        chosen = self.select(query, statements)
        citations: list[Citation] = []
        lines: list[str] = []
        for st in chosen:
            chunk = st.passage.chunk
            doc = self.index.documents[chunk.source]
            citation = make_citation(len(citations) + 1, chunk, doc, st.start, st.end, self.index.outlines[chunk.source])
            if not verify(citation, self.index.documents):
                continue  # never show a statement whose quote cannot be found in its source
            citations.append(citation)
            lines.append(f"{st.text.strip()} [{citation.n}]")
        if not citations:
            return Answer(question=query.original, text=ABSTAIN_TEXT, abstained=True, passages=passages)

        lead = self._lead(query, chosen[0], citations[0].n)
        body = "\n".join(f"- {line}" for line in lines)
        text = f"{lead}\n\n資料の該当箇所:\n{body}" if lead else body
        return Answer(question=query.original, text=text, abstained=False, citations=citations, passages=passages)

    def _lead(self, query: Query, top: Statement, n: int) -> str | None:
        """The asked-for value first: 「35名です [1]」. Only for value questions."""
        value_re = _TYPE_VALUE.get(query.answer_type)
        if not value_re or not top.typed:
            return None
        values: list[str] = []
        for m in value_re.finditer(nfkc(top.text)):
            v = re.sub(r"\s+", "", m.group(0))
            if v not in values:
                values.append(v)
        return f"{'、'.join(values[:4])}です [{n}]。" if values else None


def passage_answer(assistant, question: str, history=None) -> Answer:  # type: ignore[no-untyped-def]
    """Retrieval only: quote the best passage whole. The eval's reference point for what
    the answer engine adds on top of retrieval."""
    import time

    started = time.perf_counter()
    standalone = assistant.standalone(question, history or [])
    query, passages = assistant.retrieve(standalone)
    if not passages:
        return Answer(question=question, text=ABSTAIN_TEXT, abstained=True)
    top = passages[0].chunk
    index = assistant.index
    citation = make_citation(1, top, index.documents[top.source], top.start, top.end, index.outlines[top.source])
    return Answer(
        question=question,
        text=f"{citation.quote} [1]",
        abstained=False,
        citations=[citation],
        passages=passages,
        mode="passage",
        latency_ms=(time.perf_counter() - started) * 1000,
    )
