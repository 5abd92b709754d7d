"""Evidence for one question: the statements of the candidate passages, scored once.

Each statement (sentence, table row, list item, heading) is scored by the idf-weighted share
of the question's words it holds (alone, and with its section path and document title), by
how well its passage covers the question, by where retrieval ranked its passage, and by
whether it holds a value of the asked kind. The reranker and the answer read the same
features: the per-passage work (tokens, value checks) is done once and cached by chunk; only
the rank term differs between the reranker's order and the answer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.docview import DocumentView, Segment, Statement, continues_paragraph
from assistant.keyword import KeywordIndex
from assistant.lexicon import lexicon
from assistant.query import VALUE_TYPES, Query
from assistant.settings import AnswerSettings
from assistant.text import city_stem, value_text
from assistant.dates import patterns as date_patterns
from assistant.types import Chunk, Passage
from assistant.values import (
    NUMBER_ONLY, SHARE, TABLE_NUMBER, counted_value, counter_ending, item_count, quantities, term_length, unit_value,
    value_patterns,
)


def query_terms(query: Query, keyword: KeywordIndex, idf_floor: float) -> dict[str, float]:
    """Topic words of the question with their weights (BM25 idf, floored so that common
    words still count a little). Expansions count only when the corpus knows them."""
    lex = lexicon()
    terms = set(query.tokens)
    terms |= {t for t in query.expansion_tokens if keyword.known(t)}
    items = item_count()
    terms = {t for t in terms if t not in lex.question_words and not NUMBER_ONLY.match(t) and not items.match(t)}
    # City names restrict retrieval already; as terms they would reward every sentence of
    # that city's documents equally.
    terms -= {city_stem(c) for c in query.cities} | set(query.cities) | {"市"}
    weights: dict[str, float] = {}
    # In a fixed order: the weights are summed, and a sum taken in the order of a set (which
    # changes with the hash seed) differs in its last bits, which reorders tied statements.
    for t in sorted(terms):
        # A word the plans never use weighs the most when it is a noun (「開館時間」: the topic is
        # not there); a verb or a colloquial word (「走る」「やる」「どういう」) only shapes the question.
        if not keyword.known(t) and t not in query.noun_words:
            weights[t] = idf_floor
            continue
        mates = keyword.synonyms(t)
        if mates:
            # A word the plans never use stands for the synonyms they do use; together they
            # weigh what one word would.
            for mate in mates:
                weights[mate] = max(weights.get(mate, 0.0), max(keyword.idf(mate), idf_floor) / len(mates))
        else:
            weights[t] = max(weights.get(t, 0.0), max(keyword.idf(t), idf_floor))
    return weights


def coverage(terms: dict[str, float], tokens: frozenset[str] | set[str]) -> float:
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in tokens) / total if total else 0.0


@dataclass(frozen=True)
class _Features:
    """What a statement holds, independent of where its passage was ranked."""

    segment: Segment
    text: str
    base: float  # the word-overlap part of the score
    factors: tuple[float, ...]  # value / heading / list-intro multipliers, in order
    coverage: float
    typed: bool
    own: float = 0.0  # coverage by the statement's own words
    passage: float = 0.0  # coverage by its whole passage
    carried: bool = False  # read with the sentences before it in its paragraph


class Evidence:
    """The scored statements of a question's candidate passages."""

    def __init__(self, query: Query, view: DocumentView, cfg: AnswerSettings) -> None:
        self.query = query
        self.view = view
        self.cfg = cfg
        self.terms = query_terms(query, view.keyword, cfg.idf_floor)
        self.target = query.definition_target if query.answer_type == "definition" else None
        self.typed_question = query.answer_type in VALUE_TYPES or self.target is not None
        lex = lexicon()  # (read once per question: is_typed runs for every statement)
        start, end = bool(lex.cue("asks_start").search(query.normalized)), bool(lex.cue("asks_end").search(query.normalized))
        self.asks_both_ends, self.asks_one_end = start and end, start != end
        self._features: dict[str, list[_Features]] = {}
        self._scored: dict[tuple[str, ...], list[Statement]] = {}

    # -- values ---------------------------------------------------------------------------------
    def is_typed(self, seg: Segment, text: str, target: str | None = None) -> bool:
        """Whether a statement holds a value of the kind the question asks for."""
        q = self.query
        kind = q.answer_type
        if kind == "definition":
            return bool(target and target in text and lexicon().defines_pattern.search(text))
        value_re = value_patterns().get(kind)
        if not value_re:
            return False
        norm = value_text(text)
        if kind in ("count", "amount") and q.asks_share:
            # 「高齢化率は？」 is not answered by 「7つの集落」, nor 「補助率と上限額」's 補助率 by 「20万円」.
            return bool(SHARE.search(norm))
        if kind in ("count", "amount") and q.asks_magnitude and SHARE.search(norm):
            return True  # 「どれくらいまで概算払いできる？」: 「２分の１以内」
        if kind == "period" and q.asks_term and term_length().search(norm):
            return True  # 「任期は何年？」: 「委員の任期は２年とします」
        if kind == "count" and q.asks_tally and not q.unit:
            value_re = value_patterns()["tally"]  # 「回収数は？」 is not answered by 「回収率 54.1％」
        if seg.kind == "table" and seg.whole_row and kind == "amount" and any(u.endswith("円") for u in seg.header_units):
            # 「| 2 | 交付金 | 5,520,000 | 5,520,000 |」 under 「予算額（円）」: the header gives the yen.
            no_labels = lexicon().number_label_pattern.sub(" ", date_patterns().year_labels.sub(" ", norm))
            return bool(TABLE_NUMBER.search(no_labels))
        if seg.kind == "table" and seg.whole_row and kind == "count":
            if seg.header_units and all(u.endswith("円") for u in seg.header_units):
                # 「委員は何人？」 is not answered by a budget row (「審議会運営事業 415 398」 in 千円).
                return bool(quantities(value_re, norm))
            # In a table the unit often sits in a header column; a year or a label
            # (「事業 13」「第 3 次」) is not a quantity.
            no_labels = lexicon().number_label_pattern.sub(" ", date_patterns().year_labels.sub(" ", norm))
            if q.asks_tally and not q.unit:
                no_labels = SHARE.sub(" ", no_labels)
            return bool(TABLE_NUMBER.search(no_labels))
        if kind == "count" and (q.unit or q.counted):
            # Lines wrap inside words in converted PDFs (「３つの自治\n会」); 「30の市民センター」
            # answers 「市民センターは何か所」, 「15の取組」 answers 「取組がいくつ」.
            flat = re.sub(r"\s+", "", norm)
            if q.unit and quantities(unit_value(q.unit), flat):
                return True
            # 「地域はいくつ」: 「8地域」 (the counted noun as a counter) or 「30の市民センター」;
            # 「ＮＰＯ法人はいくつ」: 「47法人」 (its last word as the counter).
            tail = counter_ending(q.counted) if q.counted else None
            return bool(q.counted and (counted_value(q.counted).search(flat) or quantities(unit_value(re.escape(q.counted)), flat)
                                       or (tail and quantities(unit_value(re.escape(tail)), flat))))
        dates = date_patterns()
        if kind == "period" and self.asks_both_ends:
            norm = dates.length_of_time.sub(" ", norm)  # 「いつからいつまで」 asks both ends, not 「5年間」
        elif kind == "period" and self.asks_one_end:
            # 「いつから予約できる」「締切はいつまで」 ask one end: a span of days (「12月29日～1月3日」
            # closed) is another matter's period.
            norm = dates.day_span.sub(" ", norm)
        if kind in ("date", "period") and not q.asks_period_end and lexicon().cue("asks_start").search(q.normalized):
            norm = dates.relative_deadline.sub(" ", norm)  # 「いつから予約できる」 is not answered by 「3日前まで」
        if kind == "period" and q.asks_period_end and dates.period_end.search(norm) and ("期間" in norm or "期間" not in q.normalized):
            return True  # 「何年度までが計画期間」「いつまでに開催」 is answered by its end alone
        if kind == "date" and q.asks_time:
            return bool(dates.clock_time.search(norm))  # 「何時まで開いている」 wants a time of day
        if kind == "date" and q.asks_day and not q.asks_year:
            return bool(dates.month_day.search(norm))  # 「いつ開催」 wants a month/day, not a year
        if kind in ("count", "amount"):
            return bool(quantities(value_re, norm))
        return bool(value_re.search(norm))

    def coverage(self, tokens: frozenset[str] | set[str]) -> float:
        return coverage(self.terms, tokens)

    # -- statements --------------------------------------------------------------------------------
    def _passage(self, chunk: Chunk) -> list[_Features]:
        got = self._features.get(chunk.id)
        if got is not None:
            return got
        view, cfg, q = self.view, self.cfg, self.query
        title_tokens = view.phrase_tokens(chunk.title)
        segs = view.segments_in(chunk)
        passage_tokens = set(title_tokens | view.phrase_tokens(chunk.section))
        for seg in segs:
            passage_tokens |= view.tokens_of(chunk.source, seg)
        passage_cov = self.coverage(passage_tokens)
        introduces = lexicon().introduces_list
        out: list[_Features] = []
        asked: frozenset[str] = frozenset()  # the words of a question the document just asked
        doc_text = view.documents[chunk.source].text
        previous: tuple[Segment, frozenset[str]] | None = None  # the sentences before, in this paragraph
        for seg in segs:
            text = view.text_of(chunk.source, seg)
            tokens = view.tokens_of(chunk.source, seg)
            # 「…お助け隊をご利用ください。…令和6年度は14集落で…」: a Japanese sentence leaves out
            # the topic its paragraph named before; it is read with the words of the sentences before.
            # An answer to the document's own question (「Ｑ５ …？」 then 「Ａ５ 『チャレンジ補助金』が
            # あります。…」 over several lines) is one paragraph too.
            goes_on = previous is not None and (
                continues_paragraph(doc_text, previous[0], seg) or (bool(asked) and seg.kind == "text"))
            carried = previous[1] if previous is not None and goes_on else frozenset()
            previous = (seg, frozenset(tokens) | carried) if seg.kind == "text" else None
            if seg.header:
                tokens = tokens | view.tokens_of(chunk.source, Segment(*seg.header, "table"))
            # The section in force at this sentence, which may differ from the chunk's first.
            context = title_tokens | view.phrase_tokens(view.section_at(chunk.source, seg.start))
            # Q&A (「Ｑ２ 区に入っていなくても参加できますか？」 then 「Ａ …どなたでも参加できます。」):
            # the answer is read with its question's words; the question itself answers nothing.
            is_question = text.rstrip().endswith(("？", "?"))
            if seg.kind == "heading" or is_question:
                asked = frozenset()  # the answer runs to the next question or heading
            context |= asked
            if is_question:
                asked = tokens
            own = self.coverage(tokens)
            with_context = self.coverage(tokens | context)
            if carried:
                # The carried words count half: the sentence may have moved on to a new topic.
                with_context += cfg.carried_share * (self.coverage(tokens | context | carried) - with_context)
            typed = self.is_typed(seg, text, self.target)
            if not typed and q.answer_type in VALUE_TYPES and seg.kind == "text":
                details = view.details(Statement(seg, chunk, 0, text))
                typed = any(self.is_typed(d.segment, d.text) for d in details)
            base = cfg.weight_own * own + cfg.weight_context * with_context + cfg.weight_passage * passage_cov
            factors: list[float] = []
            if self.typed_question:
                factors.append(1.0 if typed else cfg.untyped_factor)
            if is_question:
                factors.append(cfg.question_line_factor)
            if seg.kind == "heading" and q.answer_type != "list":
                factors.append(cfg.heading_factor)  # a heading names the topic; the text under it answers
            elif seg.kind == "table" and seg.whole_row and q.answer_type in ("list", "definition", "other") and (
                value_patterns()["count"].search(lexicon().number_label_pattern.sub(" ", value_text(text)))
            ):
                factors.append(cfg.table_row_factor)  # a row of figures gives a value, not what a thing is
            if q.answer_type == "list" and introduces.search(text):
                factors.append(cfg.list_intro_boost)  # 「【…事例】」「次の3つ」「…：」 are followed by the items
            if q.asks_reason and seg.kind == "text" and lexicon().gives_reason.search(text):
                factors.append(cfg.reason_boost)  # 「なぜ」: 「…を下回ったため」 says why
            out.append(_Features(seg, text, base, tuple(factors), with_context, typed, own, passage_cov, bool(carried)))
        self._features[chunk.id] = out
        return out

    def score(self, f: _Features, rank: int) -> float:
        score = f.base + self.cfg.weight_rank / (1 + self.cfg.rank_decay * rank)
        for factor in f.factors:  # one by one, in the order they were found
            score *= factor
        return score

    def scored(self, passages: list[Passage]) -> list[Statement]:
        """Statements of these passages (ranked in this order), best first. Among sentences on
        the topic, those giving a value of the asked kind come first."""
        key = tuple(p.chunk.id for p in passages)
        got = self._scored.get(key)
        if got is not None:
            return got
        out: list[Statement] = []
        for rank, passage in enumerate(passages):
            for f in self._passage(passage.chunk):
                out.append(Statement(f.segment, passage.chunk, rank, f.text, self.score(f, rank), f.coverage, f.typed))
        out.sort(key=lambda st: (-st.score, st.rank, st.start))
        if self.typed_question and out:
            bar = self.cfg.typed_bar * max(st.coverage for st in out)
            out.sort(key=lambda st: not (st.typed and st.coverage >= bar))
        self._scored[key] = out
        return out

    def window(self, passages: list[Passage]) -> list[Passage]:
        """The passages whose statements are read; a comparison reads that many per city."""
        n = self.cfg.statement_passages
        if len(self.query.cities) < 2:
            return passages[:n]
        out: list[Passage] = []
        for city in self.query.cities:
            out.extend([p for p in passages if p.chunk.city == city][:n])
        return out

    def statements(self, passages: list[Passage]) -> list[Statement]:
        """The statements an answer is chosen from: those of the top passages."""
        return self.scored(self.window(passages))
