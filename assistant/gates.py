"""Abstention gates: each one small rule that may stop an answer, with its reason.

A gate returns a Japanese reason when the documents do not answer, else None. Gates of the
"evidence" stage run before an answer is chosen, on the scored statements; those of the
"selection" stage run on the statements chosen to answer. Their order is data
(`answer.gates` in the settings). Every verdict goes into the answer's trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Literal

from assistant.docview import DocumentView, Segment, Statement, item_number
from assistant.evidence import Evidence
from assistant.lazy_records import head_of
from assistant.values import editions
from assistant.lexicon import lexicon
from assistant.strategies.picking import NUMBERED_ITEM
from assistant.strategies.replies import asks
from assistant.query import VALUE_TYPES, Focus, Query, expand_variants, topic_nouns
from assistant.settings import AnswerSettings
from assistant.text import compact, nfkc, table_cells
from assistant.tokens import tokenizer
from assistant.dates import fiscal_years, year_forms
from assistant.types import Passage
from assistant.values import ANNOUNCED

Stage = Literal["evidence", "selection"]


@dataclass(frozen=True)
class Decline:
    """A gate's verdict against answering: why (for the trace), and what the documents do not
    say (named in the answer: 「資料には『市の職員数』に関する記載が見つかりませんでした。」)."""

    reason: str
    missing: str | None = None


@dataclass
class Case:
    """What the gates look at for one question."""

    query: Query
    passages: list[Passage]
    evidence: Evidence
    view: DocumentView
    cfg: AnswerSettings
    chosen: list[Statement] = field(default_factory=list)
    _statements: list[Statement] | None = None
    missing_focus: list[str] = field(default_factory=list)  # focus phrases named elsewhere, not in the quotes

    @property
    def statements(self) -> list[Statement]:
        if self._statements is None:
            self._statements = self.evidence.statements(self.passages)
        return self._statements


@dataclass(frozen=True)
class Gate:
    name: str
    stage: Stage
    check: Callable[[Case], "Decline | None"]
    doc: str


# ----------------------------------------------------------------------------- evidence stage


def unknown_place(case: Case) -> Decline | None:
    """A municipality named in the question that no indexed document mentions (「横浜市の…」)."""
    lex = lexicon()
    known, known_stems = case.view.city_names_and_stems
    for name, suffix in case.query.places:
        if len(name) < 2 or name in lex.generic_place_prefixes:
            continue
        tails = [name[i:] for i in range(len(name) - 1)]
        if any(t in known_stems or t + suffix in known for t in tails):
            continue
        if case.view.mentions(name + suffix) and not _asks_its_own_document(case.query, name + suffix):
            continue
        return Decline(f"「{name}{suffix}」の資料は登録されていません。", f"{name}{suffix}")
    return None


_QUOTED = re.compile(r"[「『]([^」』、。]{2,20})[」』]")
_NAME_END = re.compile(r"[\u4e00-\u9fff々ァ-ヶーA-Za-z0-9]$")
QUOTED_NAME_DOCUMENTS = 50  # documents read for a name wrapped across lines


def quoted_name_unknown(case: Case) -> Decline | None:
    """A name the question puts in brackets (「ジャンプアップ部門」「ボランティア登録者数」) that no
    document of the asked municipalities writes: the staff member names something exact, and
    quotes about its neighbours (the other 部門, the other indicators) do not answer it."""
    q = case.query
    corpus = case.view.corpus_text(tuple(sorted(q.cities)))
    asking = lexicon().interrogative_pattern
    for m in _QUOTED.finditer(q.normalized):
        name = m.group(1).strip()
        if not _NAME_END.search(name) or asking.search(name):
            continue  # 「地区の役員を引き受けてもよい」 (an answer's words), 「設立何年」 (a question)
        if any(v in corpus for v in (name, *expand_variants(name))):
            continue
        # A PDF may wrap the name across lines (「ボランティア登\n録者数」).
        spaced = re.compile(r"\s*".join(map(re.escape, name)))
        if corpus.search(name[:2], spaced, QUOTED_NAME_DOCUMENTS):
            continue
        return Decline(f"「{name}」は資料に書かれていません。", name)
    return None


def _asks_its_own_document(q: Query, place: str) -> bool:
    """「水城県協働推進指針の計画期間は？」: the question asks about a plan of a place the documents
    only mention (the prefecture a city's plan names): a plan of that place no document is."""
    at = q.normalized.find(place)
    if at < 0:
        return False
    after = re.match(r"(?:の)?([一-龥ァ-ヶー]{0,12})", q.normalized[at + len(place):])
    return bool(after) and any(after.group(1).endswith(kind) for kind in lexicon().document_kinds)


def missing_nouns(case: Case) -> list[str]:
    """Content nouns of the question that no document of the asked cities contains."""
    lex = lexicon()
    q = case.query
    text = case.view.corpus_text(tuple(sorted(q.cities)))
    missing = []
    for surface, normalized in topic_nouns(q):  # (「令和8年度」 asked of a table headed R8)
        if len(surface) < 2 or surface in lex.generic_attributes or surface in lex.question_words:
            continue
        if surface in lex.light_nouns or normalized in lex.light_nouns:
            continue  # (「予算どおり全額」: how it went, not a thing the documents must name)
        if surface in text or normalized in text or surface in q.cities:
            continue
        if any(mate in text for mate in case.view.keyword.synonyms(normalized)):
            continue  # 「進み具合」 where the plan says 「進捗」
        if any(v in text for v in (*expand_variants(surface), *lex.equivalents(surface))):
            continue  # 「問い合わせ先」 written 「問合せ先」, 「電話番号」 as 「電話」
        missing.append(surface)
    return missing


def off_topic(case: Case) -> Decline | None:
    """Two or more content nouns of the question occur in no document of the asked cities
    (「開館時間と休館日」 about a plan that never mentions them): the documents are about
    something else, however well the other words match."""
    missing = missing_nouns(case)
    if len(missing) >= case.cfg.missing_nouns_to_abstain:
        return Decline("「" + "」「".join(missing) + "」はどの資料にも出てきません。", "』『".join(missing))
    return None


def evidence_strength(case: Case) -> float:
    statements = case.statements
    if not statements:
        return 0.0
    top = statements[: case.cfg.strength_top]
    strength = max(st.coverage for st in top)
    if case.query.answer_type in VALUE_TYPES:
        # The asked-for value must stand in an on-topic sentence or the lines right after it
        # (「■実施日 …」), not merely somewhere in the passage.
        near = [st for st in top if st.coverage >= case.cfg.on_topic * strength]
        ev, view = case.evidence, case.view
        if not any(st.typed or any(ev.is_typed(f.segment, f.text) for f in view.following(st, 2)) for st in near):
            strength *= case.cfg.type_miss_penalty
    return strength


def weak_evidence(case: Case) -> Decline | None:
    """The best statements cover too little of the question."""
    strength = evidence_strength(case)
    if strength < case.cfg.abstain_threshold:
        return Decline(f"質問に合う記述が見つかりません（一致度 {strength:.2f} < {case.cfg.abstain_threshold:.2f}）。",
                       case.query.topic)
    return None


def value_missing(case: Case) -> Decline | None:
    """A value question whose subject (「おおうち産業フェア」) the documents do mention, but
    never with a value of the asked kind, in the sentence, its 「■」 lines or the next two."""
    q = case.query
    if q.answer_type not in VALUE_TYPES or not q.subject or q.superlative:
        return None  # (「いちばん多かった月」 is a table's row label, not a value written as such)
    view, ev = case.view, case.evidence
    subject = q.subject
    own = view.documents_named(subject)
    if q.cities:
        own = [s for s in own if head_of(view.documents, s)[1] in q.cities]
    if own:
        # The subject is a document itself (「…プロジェクトの計画期間は？」): the value must
        # stand somewhere in it. Where many documents share the title's words (every city's
        # 「協働推進計画」), the best retrieved are read first and a bounded number in all: the
        # cost of a question does not grow with the corpus.
        rank: dict[str, int] = {}
        for i, st in enumerate(case.statements):
            rank.setdefault(st.chunk.source, i)  # each document by its best statement
        own = sorted(own, key=lambda s: rank.get(s, len(rank)))[: case.cfg.named_documents_read]
        found = any(ev.is_typed(seg, view.documents[s].text[seg.start : seg.end])
                    for s in own for seg in view.segments(s))
        return None if found else Decline(f"「{subject}」の資料に、尋ねられた値が書かれていません。", _asked(q))
    about = [
        st for st in case.statements
        if subject in compact(st.text) or subject in compact(view.without_city_names(st.text))
    ]
    if not about:
        return None  # not found verbatim (paraphrased?): no judgement
    # 「…補助金の執行率」: a table names the thing in its row and the measure in its header.
    thing, _, measure = subject.rpartition("の")
    about += [st for st in case.statements if thing and measure and st.segment.header
              and thing in compact(st.text) and measure in compact(_header_text(view, st))]
    for st in about:
        # A 「■対象地域 …」 line sits in a block whose date may come before it; the block ends
        # at a heading (the next section's value is another subject's). A heading naming the
        # subject (「(4) 協働フェスタ2023」) is about it down to the next heading.
        if st.segment.kind == "heading":
            near = [st, *_under_heading(view, st, view.following(st, case.cfg.subject_section_lines))]
        else:
            before = _within_section(view.preceding(st, 2)[::-1])[::-1]
            near = [*before, st, *view.details(st), *_within_section(view.following(st, 2))]
            if any(asks(b) for b in before):
                # An answer to the document's own question (「Ｑ５ …？」「Ａ５ 『…補助金』があります。
                # …通算３回までです。」) is about its subject to the next question.
                near += _rest_of_answer(view.following(st, case.cfg.subject_section_lines))
        if any(ev.is_typed(n.segment, n.text) for n in near):
            return None
    return Decline(f"「{subject}」の記載はありますが、尋ねられた値は書かれていません。", _asked(q))


def _header_text(view: DocumentView, st: Statement) -> str:
    return view.text_of(st.chunk.source, Segment(*st.segment.header, "table")) if st.segment.header else ""


def _rest_of_answer(statements: list[Statement]) -> list[Statement]:
    """Statements up to the next heading or the next question the document asks."""
    out = []
    for st in statements:
        if st.segment.kind == "heading" or asks(st):
            break
        out.append(st)
    return out


def _under_heading(view: DocumentView, heading: Statement, statements: list[Statement]) -> list[Statement]:
    """Statements down to the end of a heading's section, its sub-headings included
    (「（1）はじめの一歩部門」 over 「①対象」「②補助率：…10分の10」 read as headings of their own)."""
    path = view.section_at(heading.chunk.source, heading.start)
    out = []
    for st in statements:
        if st.chunk.source != heading.chunk.source or not view.section_at(st.chunk.source, st.start).startswith(path):
            break
        out.append(st)
    return out


def _within_section(statements: list[Statement]) -> list[Statement]:
    """Statements up to the first heading (in the order given)."""
    out = []
    for st in statements:
        if st.segment.kind == "heading":
            break
        out.append(st)
    return out


_KIND_JA = {"count": "数", "amount": "金額", "date": "日付", "period": "期間", "place": "場所", "name": "名前"}


def _asked(q: Query) -> str:
    """What a value question asks, in words: 「おおうち産業フェアの日付」."""
    return f"{q.subject}の{_KIND_JA.get(q.answer_type, '記載')}" if q.subject else _KIND_JA.get(q.answer_type, "記載")


# ----------------------------------------------------------------------------- selection stage


_COMPARED_YEAR = re.compile(r"(?:令和|平成|R|H)?\s*(?:元|\d{1,4})\s*年度?[^、。]{0,6}?(?:と比較|と比べ|に比べ|比|より)")
YEAR_LOOKBACK = 8  # sentences before a quote, in its section, that may name the year it speaks of


def _names_year(case: Case, st: Statement, years: tuple[int, ...], own: bool = False) -> bool:
    """Whether the statement's passage (or, `own`, the statement itself with its table's header
    row), heading or document title names one of the years."""
    doc = case.view.documents[st.chunk.source]
    body = st.chunk.text
    if own:
        header = doc.text[st.segment.header[0] : st.segment.header[1]] if st.segment.header else ""
        body = f"{st.text} {header} {case.view.section_at(st.chunk.source, st.start)}"
    elif st.segment.kind == "text":
        # 「令和６年度の実績について報告します。…年間利用者数は32,870人で…」: a sentence leaves out
        # the year the sentences before it in its section named (a report read out in a meeting).
        before = _within_section(case.view.preceding(st, YEAR_LOOKBACK)[::-1])
        body = " ".join((*(b.text for b in before), body))
    seen = compact(nfkc(" ".join((doc.title, st.chunk.section, body))))
    return any(form in seen for year in years for form in year_forms(year)) or any(
        re.search(rf"(?<!\d){year}(?!\d)", seen) for year in years)  # 「フェスタ2024」, 「（2024）」


_FIGURE = re.compile(r"^\s*\d|\d\s*(?:[人件回円%％]|団体)")


def _labels_only(text: str) -> bool:
    """A table row of column labels, no figures (「項目 内容」「事業名 予算額（千円）」)."""
    return not _FIGURE.search(nfkc(text))


def year_statements(case: Case) -> list[Statement]:
    """The statements found, about as much on the question as the best, whose passage names the
    asked year: where to look again when the chosen quotes (a plan that never says 令和6年度) do
    not (the year's report row)."""
    best = max((st.coverage for st in case.statements), default=0.0)
    return [st for st in case.statements
            if st.coverage >= case.cfg.on_topic * best and _names_year(case, st, case.query.years, own=True)]


def year_not_stated(case: Case) -> Decline | None:
    """A question about one year (「令和7年度の…」) is answered only from passages that name
    that year, in any form (令和7年, 2025年, R7): a plan's 「今年度」 is its own year."""
    years = case.query.years
    if not years or not case.chosen:
        return None
    # A table row is read with its header, heading and title, not the whole passage: the
    # sentence above an R6 budget table that mentions 令和５年度 does not make the row R5's.
    # A header row quoted above its rows (「事業名 予算現額（千円） 決算額（千円）」) speaks through
    # them: the rest of its passage (another year's sentence) is not the rows' year. A row taken
    # for a header that holds figures (「1 市民協働入門講座 … 年４回開催」) is read as before.
    headers = {o.segment.header[0] for o in case.chosen if o.segment.kind == "table" and o.segment.header}
    read = [st for st in case.chosen
            if not (st.segment.kind == "table" and st.start in headers and _labels_only(st.text))] or case.chosen
    named = "・".join(f"{y}年" for y in years)
    if case.query.answer_type in VALUE_TYPES and not case.query.yes_no:
        # 「令和7年度の件数は？」 answered by 「令和2年度は…中止となった事業（9件）」: a sentence that
        # gives its value for years of its own, none of them the asked one, is another year's,
        # whatever the rest of its passage names.
        typed = [st for st in case.chosen if st.typed or case.evidence.is_typed(st.segment, st.text)]
        # (a year a sentence compares with, 「令和5年度実績値と比較し91人増加」, is not its own)
        own = [fiscal_years(_COMPARED_YEAR.sub(" ", nfkc(st.text))) for st in typed]
        if typed and all(st.segment.kind == "text" for st in typed) and all(own) and not any(set(years) & o for o in own):
            return Decline(f"引用できる箇所の値は別の年度のもので、{named}（度）の記載がありません。",
                           f"{named}（度）の{case.query.topic or '記載'}")
    if any(_names_year(case, st, years, own=st.segment.kind == "table" and bool(st.segment.header)) for st in read):
        return None
    return Decline(f"引用できる箇所に、{named}（度）の記載がありません。", f"{named}（度）の{case.query.topic or '記載'}")


def edition_not_stated(case: Case) -> Decline | None:
    """「第2回円卓会議はいつ？」 answered from quotes about the 第1回 (「フェスタ2023」 from the
    2024 one, 「第1次計画の理念」 from the 第2次 plan): when the quotes name another edition of
    the same series and never the asked one, the documents do not say."""
    if not case.chosen:
        return None
    view = case.view
    # Each quote with its title, heading and the two sentences before it (「フェスタ2024は…開催
    # しました。」 then 「出展団体は48団体…」).
    seen = [compact(nfkc(" ".join((view.documents[st.chunk.source].title, st.chunk.section,
                                   *(p.text for p in _within_section(view.preceding(st, 2)[::-1])), st.text))))
            for st in case.chosen]
    for series, asked in editions(compact(case.query.normalized)):
        if any(asked in text for text in seen):
            continue
        other = next((m.group(0) for text in seen for m in series.finditer(text)), None)
        if other is not None:
            topic = case.query.topic or "記載"
            return Decline(f"引用できる箇所は「{other}」についてのもので、「{asked}」の記載がありません。",
                           topic if asked in compact(topic) else f"{asked}の{topic}")
    return None


def items_only_announced(case: Case) -> Decline | None:
    """「どの5つのゴール？」 answered by one sentence that only announces 「5つのゴール」 and
    names none of them: the plan does not say which."""
    q, chosen = case.query, case.chosen
    if len(chosen) != 1 or q.answer_type == "count" or not q.asks_which:
        return None
    text = nfkc(chosen[0].text)
    for m in ANNOUNCED.finditer(text):
        n, noun = int(m.group(1)), m.group(2)
        if n >= 2 and q.mentions(noun):
            parts = len([ch for ch in text if ch in "、・「" or "①" <= ch <= "⑳"])
            if parts < n - 1:
                return Decline(f"資料は「{m.group(0)}」と数を示すだけで、項目を挙げていません。", f"{m.group(0)}の内容")
    return None


_BULLET_MARK = re.compile(r"\s*[・\-*●○◆■□]")
_NAMES_IN_BRACKETS = re.compile(r"[「『][^」』]{2,}[」』]|[（(][^）)0-9０-９]{2,}[）)]")


def _one_named(kind: str, text: str, question: str) -> bool:
    """Whether `text` writes `kind` after a name of its own (「上郷まちづくり協議会」), not after
    the question's own words, a number or a particle (「地区まちづくり協議会」「５団体」「の団体」)."""
    for m in re.finditer(re.escape(kind), text):
        before = text[max(0, m.start() - 2) : m.start()]
        if len(before) == 2 and re.fullmatch(r"[\u4e00-\u9fffァ-ヶー]{2}", before) and before + kind not in question:
            return True
    return False


def names_not_given(case: Case) -> Decline | None:
    """「設立された５地区の協議会の名前は？」「採択された団体の名前を教えて」 answered by sentences that
    only count them (「５地区に設立」「１７団体」): the documents do not say which. Quotes that may
    name them pass: a table row not about the asked things as a kind, a list item, a 「name」 or
    （name）, a person's name, a sentence with no count."""
    q = case.query
    cue = lexicon().cue("asks_names").search(q.normalized)
    if not case.chosen or q.yes_no or not cue:
        return None
    asked = [f.text for f in q.focus if not f.frame and f.text in q.normalized[: cue.start()]]
    kind = compact(asked[-1]) if asked else ""
    # 「17団体」「５地区」, and the asked thing counted by its own noun (「3集落」).
    head = re.escape(kind[-2:]) if len(kind) >= 2 else ""
    counted = re.compile(rf"\d[\d,]*\s*(?:{lexicon().counter_pattern}{'|' + head if head else ''})")
    titles = lexicon().person_titles
    for st in case.chosen:
        text = nfkc(st.text)
        if st.segment.kind == "heading" and kind and kind in compact(text) and not _one_named(kind, compact(text), compact(q.normalized)):
            continue  # the section about them, by the kind's name
        if not counted.search(text) or _NAMES_IN_BRACKETS.search(text) or tokenizer().person_names(text, titles):
            return None  # no count: it may name the thing in its own words
        if kind and kind in compact(text):
            if _one_named(kind, compact(text), compact(q.normalized)):
                return None  # 「上郷まちづくり協議会」: one of them by name
            continue  # about them as a kind (「設立された地区まちづくり協議会に対し…」)
        doc = case.view.documents[st.chunk.source].text
        line = doc[doc.rfind("\n", 0, st.start) + 1 : st.end]
        if st.segment.kind != "text" or NUMBERED_ITEM.match(line) or _BULLET_MARK.match(line):
            return None  # a table row or a list item may be one of them (「上沢集落 15世帯」)
    thing = asked[-1] if asked else (q.topic or "該当するもの")
    return Decline("引用できる箇所は数を示すだけで、名前を挙げていません。", f"{thing}の名前")


def _with_header(view: DocumentView, st: Statement) -> str:
    """The statement read with its table's header row and its section path, compacted."""
    return compact(nfkc(" ".join((st.text, _header_text(view, st), view.section_at(st.chunk.source, st.start)))))


def breakdown_not_given(case: Case) -> Decline | None:
    """「年代別の参加率は？」「月別の来館者数は？」 answered by quotes that give the whole (「回答者
    数 1,287人」「来館者数 43,918人」): the documents do not break it down. Quotes that may pass
    say the breakdown (「年代別」「地区ごと」), or are rows of a table by it (two rows or more
    whose label holds the breakdown's word: 「30歳代」 for 年代, 「4月」 for 月). (A breakdown that
    is itself the focus, 「男女別の数字」「男女比」, is judged with the focus: `_breakdown_missing`.)"""
    q = case.query
    # (「比」 is left to the focus: 「前年度比は？」 asks a ratio, not a breakdown by year)
    # (「地区ごとに何人」 asks the number each has: one figure, not a breakdown)
    m = re.search(r"([\u4e00-\u9fffァ-ヶー]{1,4}?)(?:別|ごと(?!に))", q.normalized)
    if not m or not case.chosen or q.yes_no:
        return None
    if any(m0[0] in lexicon().not_breakdowns for m0 in tokenizer().morphemes(q.normalized)):
        return None  # 「特別」「個別」「区別」: one word, no breakdown
    by = m.group(1)
    if not re.fullmatch(r"[ァ-ヶー]+", by):
        by = by[-2:]  # the word before 別 (「登録者年代別」: 年代)
    view = case.view
    said = [f"{by}別", f"{by}ごと", f"{by}毎"]
    rows = 0
    for st in case.chosen:
        header = _header_text(view, st)
        if any(w in _with_header(view, st) for w in said) or (header and by in compact(nfkc(header))):
            return None
        cells = table_cells(nfkc(st.text)) if st.segment.kind == "table" else []
        if cells and by[-1] in cells[0]:
            rows += 1
    if rows >= 2:
        return None
    return Decline(f"引用できる箇所に{by}別の内訳がありません。", f"{by}別の内訳")


# 「利用者数の実績は？」「実績値は？」 ask what was done; 「実績報告」 is a report, not a figure.
_ASKS_ACTUAL = re.compile(r"実績(?!報告|について|に関して|に対して|を踏まえ)")


def target_for_actual(case: Case) -> Decline | None:
    """An actual figure asked (「令和6年度の年間利用者数の実績は？」) is not answered by a target
    (a row under 「目標（年度）」, 「…を目指します」): quotes whose table header, section or
    words speak only of targets give what was planned, not what was done."""
    q = case.query
    if not case.chosen or q.yes_no or not _ASKS_ACTUAL.search(q.normalized):
        return None  # (「実績について、委員会からどんな意見が出た？」 asks what was said, not a figure)
    lex = lexicon()
    view = case.view
    targets = 0
    for st in case.chosen:
        context = _with_header(view, st)
        if any(w in context for w in lex.actual_words):
            return None
        if any(w in context for w in lex.target_words):
            targets += 1
    if targets == 0 or targets < len([st for st in case.chosen if st.typed or st.segment.kind == "table"]):
        return None
    named = "・".join(f.text for f in q.focus if not f.frame) or q.topic or ""
    return Decline("引用できる箇所は目標を示すだけで、実績を示していません。", f"{named}の実績".lstrip("の"))


def value_of_a_sibling(case: Case) -> Decline | None:
    """「地域課題解決コースの上限は？」 answered by 「補助率は10分の10、補助上限額は５万円です。」 whose
    sentence before names 「はじめの一歩コース」: a value said of another course, section or 枠
    of the same programme (the asked name's last word) is that one's, not the asked one's."""
    q = case.query
    if q.answer_type not in VALUE_TYPES or not case.chosen:
        return None
    heads = lexicon().sibling_heads
    asked = []
    for f in q.focus:
        name = compact(f.text)
        head = next((h for h in heads if name.endswith(h) and len(name) >= len(h) + 2), None)
        if head:
            asked.append((name, head))
    if not asked:
        return None
    view = case.view
    typed = [st for st in case.chosen if st.typed]
    if not typed:
        return None
    for st in typed:
        before = [p for p in view.preceding(st, 2) if p.segment.kind == st.segment.kind == "text"]
        near = compact(nfkc(" ".join([*(p.text for p in before), st.text])))
        for name, head in asked:
            if name in near:
                return None
            # A name's part before the head ends in kanji or katakana (「一歩部門」); 「２つの部門」
            # 「各コース」 speak of the parts, naming none.
            others = {m + head for m in re.findall(rf"([\u4e00-\u9fffァ-ヶーぁ-ん]{{1,12}}?[\u4e00-\u9fffァ-ヶー]){re.escape(head)}", near)
                      if m not in ("各", "全", "両", "他", "同") and not name.endswith(m + head) and not (m + head).endswith(name)}
            if not others:
                return None
    return Decline(f"引用できる箇所の値は、「{asked[0][0]}」ではなく別の{asked[0][1]}のものです。", asked[0][0])


def _present(surface: str, normalized: str, context: str, tokens: frozenset[str], case: Case) -> bool:
    """Whether a word stands in the context: as written, as its normalized form, as a
    spelling variant or a word staff use for it, or as a Sudachi synonym the corpus uses."""
    if surface in context or normalized in context or normalized in tokens:
        return True
    if any(v in context for v in (*expand_variants(surface), *lexicon().equivalents(surface))):
        return True
    if _written_with_no(surface, context):
        return True
    return any(mate in tokens or mate in context for mate in case.view.keyword.mates(normalized))


_KANJI_WORD = re.compile(r"[\u4e00-\u9fff]{4,8}")


def _written_with_no(surface: str, context: str) -> bool:
    """「追加申請」 written 「追加の申請」, 「目標達成」 written 「目標を達成」: a compound of two
    kanji words is said with a particle between them (each side two kanji at least)."""
    if not _KANJI_WORD.fullmatch(surface):
        return False
    return any(f"{surface[:i]}{p}{surface[i:]}" in context for i in range(2, len(surface) - 1) for p in "のを")


# Between the two last words of a compound as documents write it apart: a suffix and 「の」
# (「デジタル化のモデル事業」 names 「デジタル化モデル事業」; 「参加者アンケート」 names
# 「参加アンケート」, the parts leaving out 「者」). Not 「型」: 「提案型協働」 is not 「行政提案型協働」's.
_JOINER = "[化性的用者等]?の?"


_ORDINAL_AFTER = re.compile(r"(.{2,}?)(第[0-9]+[回期次号])")


# 「会議室B」「ルーム2」: a thing told apart from its like by one letter or number after it.
_DESIGNATED = re.compile(r"([一-龥ァ-ヶー]{2,})\s*([A-Za-z]|\d{1,2})")


def _designation_in(noun: str, mark: str, context: str) -> bool:
    """Whether the context names the thing with its mark: 「会議室B」「会議室 Ｂ」「B会議室」
    「第2会議室」 (the context is NFKC; letters in either case)."""
    m = re.escape(mark)
    n = re.escape(noun)
    pattern = rf"{n}\s*[（(]?\s*{m}(?![A-Za-z0-9])|(?<![A-Za-z0-9]){m}\s*{n}|第\s*{m}\s*{n}"
    return bool(re.search(pattern, context, re.IGNORECASE))


def _covered(focus: Focus, context: str, tokens: frozenset[str], case: Case) -> bool:
    """Whether the context says what a focus phrase names: the phrase itself, or enough of its
    parts."""
    if focus.text in context:
        return True
    swapped = _ORDINAL_AFTER.fullmatch(focus.text)
    if swapped and swapped.group(2) in context and swapped.group(1) in context[context.find(swapped.group(2)):]:
        return True  # 「推進委員会第2回」 written 「第２回 …推進委員会」
    if focus.exact:
        long_name = _long_name(focus.text, case)
        return bool(long_name) and long_name in context
    if any(w in context for w in lexicon().equivalents(focus.text)):
        return True  # 「広報紙」 named 「協働ニュース」: the phrase as a whole stands for another word
    kinds = lexicon().document_kinds
    if focus.parts and focus.parts[-1][0] in kinds:
        # 「協働推進計画」 of a town whose plan is 「協働のまちづくり基本計画」: a document of that
        # kind about the same thing.
        others = focus.parts[:-1]
        return any(k in context for k in kinds) and (
            not others or any(_present(s, n, context, tokens, case) for s, n in others)
        )
    designated = _DESIGNATED.fullmatch(nfkc(focus.text))
    if designated and not _designation_in(designated.group(1), designated.group(2), context):
        return False  # 「会議室B」: rooms A and C are listed, B is not
    # 「男女別」: a one-character part (別, 型, 用) is said of everything (「年代別」); the
    # longer parts say what the phrase names.
    parts = [p for p in focus.parts if len(p[0]) >= 2] or list(focus.parts)
    found = sum(_present(s, n, context, tokens, case) for s, n in parts)
    if found < case.cfg.focus_part_share * len(parts):
        return False
    if _unheard_qualifier(focus, context, tokens, case):
        return False
    if len(focus.parts) >= 3:
        # A long compound (「協働推進計画」) is named by its head with the word before it
        # (「推進計画」), not by 「協働」 here and 「計画」 there, nor by 「協働推進会議」.
        (a, _), (b, _) = focus.parts[-2], focus.parts[-1]
        lex = lexicon()
        return any(
            x + y in context or re.search(re.escape(x) + _JOINER + re.escape(y), context)
            for x in (a, *expand_variants(a), *lex.equivalents(a))
            for y in (b, *expand_variants(b), *lex.equivalents(b))
        )
    return True


def _unheard_qualifier(focus: Focus, context: str, tokens: frozenset[str], case: Case) -> bool:
    """「カラーコピーは１枚いくら」 over 「コピー機（白黒）１枚10円」: the value of a kind of thing
    whose kind (カラー) no document writes is not the value of the kind they list. (Only for
    values: a yes/no question describes its case in its own words.)"""
    q = case.query
    if q.answer_type not in VALUE_TYPES or q.yes_no or len(focus.parts) < 2:
        return False
    corpus = case.view.corpus_text(())  # (any municipality's word: 「意識調査」 of a village that says アンケート)
    modifiers = focus.parts[:-1]
    return any(
        len(s) >= 2 and not _present(s, n, context, tokens, case)
        and s not in corpus and n not in corpus and not any(v in corpus for v in (*expand_variants(s), *lexicon().equivalents(s)))
        for s, n in modifiers
    ) and _present(*focus.parts[-1], context, tokens, case)


LONG_NAME_DOCUMENTS = 5  # documents read for the name a nickname stands for


def _long_name(nickname: str, case: Case) -> str | None:
    """The name a bracketed nickname stands for (「榎川市市民活動センター（愛称：えのきベース）」):
    quotes from a 年報 titled with the centre's own name are about the えのきベース."""
    pattern = re.compile(rf"([\u4e00-\u9fffァ-ヶー]{{4,}})[（(「『]\s*(?:愛称\s*[:：]?\s*)?{re.escape(nickname)}[)）」』]")
    m = case.view.corpus_text(()).search(nickname, pattern, LONG_NAME_DOCUMENTS)
    return compact(m.group(1)) if m else None


def _known(focus: Focus, case: Case) -> bool:
    """Whether the documents talk about this phrase somewhere (all its parts stand in them). A
    phrase they never use (「テント」 where they say 備品) may be an instance or a paraphrase of
    what the quotes say; one they use elsewhere, but not in the quotes, means the quotes are
    about something else. A yes/no question describes a case in its own words (「5万円の
    テント」); with a city asked, only that city's documents count for it: another town's
    table listing 「テント」 says nothing about how this town words it."""
    if case.query.answer_type in VALUE_TYPES and not case.query.yes_no and not case.query.facets:
        # 「調理室の利用料金は？」: a value of a thing the documents never name is not the value
        # of another thing they list (会議室の料金); only a yes/no question describes a case in
        # words of its own.
        return True
    corpus = case.view.corpus_text(tuple(sorted(case.query.cities)) if case.query.yes_no else ())
    if focus.exact:
        return focus.text in corpus
    return all(s in corpus or n in corpus for s, n in focus.parts)


def _read_in_passage(view: DocumentView, statements: list[Statement], headers: bool = False) -> tuple[str, frozenset[str]]:
    """The statements read in their passages, as the gates read quotes: with the part of the
    chunk under the same heading, the section path, the document title and (`headers`) a table
    row's header row. Compact text and tokens."""
    texts: list[str] = []
    tokens: set[str] = set()
    for st in statements:
        source = st.chunk.source
        section = view.section_at(source, st.start)
        around = _around(view, st, section)
        header = _header_text(view, st) if headers else ""
        intro = _item_intro(view, st)
        texts += [around, st.text, header, section, view.documents[source].title, _row_name(view, st), intro]
        tokens |= view.phrase_tokens(around) | view.phrase_tokens(section) | view.title_tokens[source]
        if intro:
            tokens |= view.phrase_tokens(intro)
        if header:
            tokens |= view.phrase_tokens(header)
    return compact(" ".join(texts)), frozenset(tokens)


ITEM_INTRO_LOOKBACK = 12  # segments read back from a numbered item to the sentence announcing the list


def _item_intro(view: DocumentView, st: Statement) -> str:
    """The sentence announcing the list a numbered item belongs to: 「(4) 5万円以上の備品の購入費」
    is read with 「次の各号に掲げる経費は、補助対象経費としない。」 above (1)-(7)."""
    if item_number(st.text) is None:
        return ""
    for before in reversed(view.preceding(st, ITEM_INTRO_LOOKBACK)):
        if item_number(before.text) is not None:
            continue
        plain = nfkc(before.text).strip()
        return before.text if plain.endswith(("。", ":")) and before.segment.kind == "text" else ""
    return ""


def _row_name(view: DocumentView, st: Statement) -> str:
    """A table row's label with its column's heading, as one name: 「スタート支援」 under
    「コース」 is the 「スタート支援コース」 (a table names the kind once, in its header)."""
    if st.segment.kind != "table" or not st.segment.header:
        return ""
    row, head = table_cells(st.text), table_cells(_header_text(view, st))
    if not row or not head or row[0] == head[0] or len(head[0]) > 8:
        return ""
    return row[0] + head[0]


def _around(view: DocumentView, st: Statement, section: str) -> str:
    """The statement read in its passage: the part of the chunk under the same heading (the
    next section's 「中間見直し」 does not make a festival's date about it)."""
    source = st.chunk.source
    return " ".join(view.text_of(source, seg) for seg in view.segments_in(st.chunk)
                    if view.section_at(source, seg.start) == section)


def covering_statements(case: Case) -> list[Statement]:
    """The statements that, read with their own section path and document title (not the rest
    of their passage), name every focus phrase of the question: where to look again when the
    chosen quotes came from elsewhere (「サマボラ」 in a section heading, its rows below)."""
    return _covering(case, read_around=False)


def covering_statements_around(case: Case) -> list[Statement]:
    """Where to look when no statement names every focus phrase with its section path alone:
    statements that name the asked one of a series themselves (「第３回」「５月」) and, read as
    the gate reads them (with the part of their passage under the same heading), every focus
    phrase (the row 「第３回 令和７年２月18日」 below 「協働推進会議を年３回開催しました」). A row
    naming only an attribute (「定員20人」) may be another thing's, whatever stands near it."""
    return _covering(case, read_around=True)


def _covering(case: Case, read_around: bool) -> list[Statement]:
    view = case.view
    focus = case.query.focus
    out: list[Statement] = []
    for st in case.statements:
        source = st.chunk.source
        section = view.section_at(source, st.start)
        own = compact(" ".join([st.text, section, view.documents[source].title, _row_name(view, st)]))
        own_tokens = view.tokens_of(source, st.segment) | view.phrase_tokens(section) | view.title_tokens[source]
        context, tokens = own, own_tokens
        if read_around:
            if not any(f.exact and f.text in compact(st.text) for f in focus):
                continue  # it names the asked one of a series (第３回, ５月) itself, not only stands near it
            around = _around(view, st, section)
            context = compact(" ".join([around, own]))
            tokens = own_tokens | view.phrase_tokens(around)
        if all(f.frame or f.text in context or all(_present(a, n, context, tokens, case) for a, n in f.parts)
               for f in focus):
            out.append(st)  # every part, where the gate settles for most: a second look is stricter
    return out


def names_every_focus(case: Case, statements: list[Statement]) -> bool:
    """Whether these statements, read in their passages with section paths and titles, name
    every focus phrase of the question (each whole, or all its parts), known to the documents
    or not: what quotes found away from the retrieved passages must do."""
    view = case.view
    texts: list[str] = []
    tokens: set[str] = set()
    for st in statements:
        source = st.chunk.source
        section = view.section_at(source, st.start)
        texts += [st.chunk.text, section, view.documents[source].title]
        tokens |= view.phrase_tokens(st.chunk.text) | view.phrase_tokens(section) | view.title_tokens[source]
    context = compact(" ".join(texts))
    frozen = frozenset(tokens)
    return all(f.frame or f.text in context or all(_present(a, n, context, frozen, case) for a, n in f.parts)
               for f in case.query.focus)


NUMBERED_AFTER_CHARS = 3  # 「次募集」: enough words after a leading number to name a series
_NUMBERED = re.compile(r"(?<![0-9A-Za-z])([0-9]+|[A-Z])(?![0-9A-Za-z])")
_QUANTITY_AFTER = re.compile(r"[年月日時分秒週歳間%円人件回名団体か箇ヶ万千百]")
_ERA_BEFORE = re.compile(r"(?:令和|平成|昭和|西暦|R|H)$")


def numbered_item_not_listed(case: Case) -> Decline | None:
    """「会議室4の使用料は？」「様式第4号は？」 where the documents list 会議室1–3 and 様式第1–3号:
    the numbered item asked is not among the numbered items the documents name (the same words
    with another number or letter), so nothing about it is stated."""
    q = case.query
    text = case.view.corpus_text(tuple(sorted(q.cities)))
    for f in q.focus:
        name = nfkc(f.text)
        m = _NUMBERED.search(name)
        if f.frame or not m or name in text:
            continue
        before, after = name[: m.start()], name[m.end() :]
        # 「３次募集」「2期生」: numbered by a leading number when the words after it say what.
        leading = not before and len(after) >= NUMBERED_AFTER_CHARS and m.group(1).isdigit()
        if (len(before) < 2 and not leading) or _QUANTITY_AFTER.match(after) or _ERA_BEFORE.search(before) or len(m.group(1)) == 4:
            continue  # 「令和5年度末」「最長5年間」「3人」「フェスタ2023」: a date, a quantity or an edition
        other = re.compile(re.escape(before) + r"(?<![0-9])(?:[0-9]+|[A-Z])(?![0-9A-Za-z])" + re.escape(after))
        if text.search(before or after, other, case.cfg.named_documents_read):
            return Decline(f"資料には「{before}」の番号付きの項目がありますが、「{f.text}」はありません。", f.text)
    return None


def _breakdown_stem(focus: Focus) -> str | None:
    """「男女」 of 「男女別」「男女比」: what a breakdown focus breaks the figure down by."""
    text = focus.text
    suffix = next((s for s in lexicon().breakdowns if text.endswith(s) and len(text) > len(s) + 1), None)
    return text[: -len(suffix)] if suffix else None


def _breakdown_missing(focus: Focus, context: str) -> bool:
    """「男女別」「分野別」「男女比」: a breakdown is stated only where the quotes break the figure
    down that way (the words themselves, 「男女ごと」, or each member: 「男性13人、女性15人」);
    「男女」 alone elsewhere is not it."""
    stem = _breakdown_stem(focus)
    if stem is None or focus.frame:
        return False
    return not (focus.text in context or f"{stem}ごと" in context or _members_stated(stem, context))


def _broken_down(focus: Focus, context: str) -> bool:
    """A breakdown focus (「男女比」) the quotes give member by member."""
    stem = _breakdown_stem(focus)
    return stem is not None and _members_stated(stem, context)


def _members_stated(stem: str, context: str) -> bool:
    """「男女別」 given as 「男性13人、女性15人」: every member of the breakdown is stated."""
    members = lexicon().breakdown_members.get(stem)
    return bool(members) and all(m in context for m in members)


def _asked_available(focus: Focus, question: str) -> bool:
    """「ピアノは借りられる？」「Wi-Fiって使えますか」: the thing itself asked to be there for use
    (not 「テントを買うのに補助金は使える？」, where the テント is a case of what the rules say)."""
    ends = lexicon().cue("asks_availability").pattern
    return bool(re.search(rf"{re.escape(focus.text)}(?:は|って|も)(?:{ends})[^、。]{{0,6}}[?？]?$", question))


def focus_not_covered(case: Case) -> Decline | None:
    """The chosen statements, read in their passage with its section path and document title,
    must be about what the question names (「飲食ブース」「開館時間」「第1回」): quotes that only
    share a word with the question do not answer it."""
    if not case.query.focus or not case.chosen:
        return None
    context, frozen = _read_in_passage(case.view, case.chosen)
    q = case.query
    broken = [f for f in q.focus if _breakdown_missing(f, context)]
    uncovered = [f for f in q.focus if f in broken or not (_covered(f, context, frozen, case) or _broken_down(f, context))]
    if any(not f.frame and f not in uncovered for f in case.query.focus):
        # 「すみサポって建物のどこに入ってるの」: 「建物」 frames the answer (「プラザ2階」); the
        # quotes are about the question when they name its subject.
        uncovered = [f for f in uncovered if not f.frame]
    exists = case.query.original.strip().rstrip("?？ 　").endswith(tuple(lexicon().cue_words["asks_existence"]))
    # 「むくのばに体育館はありますか」: a thing asked to exist that no document names is not there
    # as far as the documents say; elsewhere a phrase the documents never use may be the case in
    # the question's own words (「5万円のテント」).
    # 「ピアノは借りられる？」: so is a thing asked to be there for use.
    available = [f for f in uncovered if q.yes_no and not f.frame and _asked_available(f, q.normalized)]
    missing = [f.text for f in uncovered
               if _known(f, case) or (exists and q.yes_no and not f.frame) or f in broken or f in available]
    if q.yes_no and not exists and not available and len(uncovered) < len(q.focus):
        # 「地元の会社が単独で申請できる？」: a yes/no question describes a case in its own words;
        # the quotes must be about some of them, not all (but 「男女別の数字ってある？」 asks
        # whether the thing is there at all).
        missing = []
    case.missing_focus = missing
    if missing:
        return Decline("引用できる箇所に「" + "」「".join(missing) + "」がありません（資料の別の箇所にはあります）。",
                       "』『".join(missing))
    return None


def attribute_not_stated(case: Case) -> Decline | None:
    """A value asked by a word of its own (「申請期間」「休館日」「採択件数」) is answered only by
    quotes that, read in their passage, speak of it (申請, 休館, 採択, or a word staff use for
    it): the dates of an event table do not give a centre's closing days."""
    q = case.query
    if (q.answer_type not in VALUE_TYPES or q.yes_no or q.facets or q.superlative or len(q.cities) >= 2
            or not q.attributes or not case.chosen):
        return None
    view = case.view
    context, frozen = _read_in_passage(view, case.chosen, headers=True)  # 「参加者数」 over a count column
    # A word the documents never use (「来場者」 where they say 参加者) is said there in other words.
    corpus = view.corpus_text(tuple(sorted(q.cities)))
    used = [a for a in q.attributes if all(s in corpus or n in corpus for s, n in a.parts)]
    missing = [a.text for a in used if not all(_present(s, n, context, frozen, case) for s, n in a.parts)]
    if missing:
        return Decline("引用できる箇所は「" + "」「".join(missing) + "」について述べていません。", "』『".join(missing))
    return None


@lru_cache(maxsize=1)
def _counted_deed() -> re.Pattern[str]:
    """「何件採択された」「何団体が発表した」「何人参加」: the deed whose number is asked (a kanji
    verb noun right after the counter, then する in some form)."""
    return re.compile(rf"何\s*(?P<counter>{lexicon().counter_pattern})\s*(?:が|の|を|に|くらい|ぐらい|ほど)?\s*"
                      r"(?P<deed>[\u4e00-\u9fff]{2,4})(?:さ|し|す|で|[?？]|$)")


def deed_not_stated(case: Case) -> Decline | None:
    """「令和6年度は何件採択された？」 answered by 「回収数 1,284件」: a number of a deed (採択, 発表, 参加)
    is answered only by quotes that, read in their passage, speak of that deed (or a word staff
    use for it); a deed the documents never write is said there in other words."""
    q = case.query
    if q.answer_type != "count" or q.yes_no or q.facets or len(q.cities) >= 2 or not case.chosen:
        return None
    m = _counted_deed().search(q.part or q.normalized)  # (a part asked on its own: its own deed)
    if m is None or m.group("counter") in lexicon().frequency_counters:
        return None  # 「年に何回開催」: how often, written 「年2回」 without the deed
    deed = m.group("deed")
    morphemes = tokenizer().morphemes(deed)
    if len(morphemes) != 1 or morphemes[0][4] != "サ変可能" or deed in lexicon().generic_attributes:
        return None  # (「何人を目指して」: a verb's stem, the target, not a deed counted)
    corpus = case.view.corpus_text(tuple(sorted(q.cities)))
    if deed not in corpus:
        return None
    context, frozen = _read_in_passage(case.view, case.chosen, headers=True)
    if _present(deed, deed, context, frozen, case):
        return None
    return Decline(f"引用できる箇所は「{deed}」の数について述べていません。", f"{deed}の数")


def _held_by(text: str, title: str, other: str) -> bool:
    """「副市長を本部長とし」「本部長は副市長が務めます」: the asked title (本部長) is held by
    another title; the same words do not say who the 副市長 is."""
    at, by = text.find(title), text.find(other)
    if at < 0 or by < 0:
        return False
    if by < at:
        return text[by + len(other) : by + len(other) + 1] == "を"
    return text[at + len(title) : at + len(title) + 1] in ("は", "が", "：", ":")


def naming_statements(case: Case) -> list[Statement]:
    """The statements that give the full name of who holds the asked title (「委員長　三宅
    直子」, not the 「副委員長」 row, not 「三宅委員長」): where to look again when the chosen
    quotes name no one, or only by surname."""
    title = case.query.person_title
    if not title:
        return []
    titles = lexicon().person_titles
    view = case.view
    out = []
    for st in case.statements:
        at = st.text.find(title)
        longer = any(t != title and t.endswith(title) and st.text.find(t) == at - (len(t) - len(title)) >= 0
                     for t in titles)
        if at < 0 or longer or not tokenizer().person_names(st.text, titles, full=True):
            continue
        # The row must be about the question's other words too (「欠席した委員」 is not answered
        # by the roster of those present).
        around = view.tokens_of(st.chunk.source, st.segment) | view.phrase_tokens(
            view.section_at(st.chunk.source, st.start)) | view.title_tokens[st.chunk.source]
        if all(n in around or a in around or any(a in c for c in case.query.cities) for a, n in case.query.nouns):
            out.append(st)
    return out


def no_person_named(case: Case) -> Decline | None:
    """「会長は誰？」 is answered only by quotes that name a person (「会長 山田太郎」); quotes that
    mention the title without a name do not say who."""
    title = case.query.person_title
    if not title or not case.chosen:
        return None
    titles = lexicon().person_titles
    view = case.view
    for st in case.chosen:
        near = [st, *view.following(st, 1)]
        if any(tokenizer().person_names(n.text, titles) for n in near):
            return None
        if any(_held_by(st.text, title, t) for t in titles if t != title and not title.endswith(t)):
            return None
    return Decline(f"引用できる箇所に{title}の氏名がありません。", f"{title}の氏名")


def prefecture_not_stated(case: Case) -> Decline | None:
    """「澄浜市は何県にある市？」 is answered only by quotes that name a prefecture; a plan names
    its own city everywhere and its prefecture rarely."""
    if not case.query.asks_prefecture or not case.chosen:
        return None
    pattern = lexicon().prefecture_name
    if any(pattern.search(nfkc(st.text)) for st in case.chosen):
        return None
    where = "・".join(case.query.cities) or "その自治体"
    return Decline("引用できる箇所に都道府県の名前がありません。", f"{where}がある都道府県")


def _value_kinds(text: str) -> tuple[bool, bool, bool]:
    """Whether a statement gives a total (「交付総額」), a programme's budget or spending
    (「予算額」「決算額」), and a cap or a per-unit value (「20万円を上限」「1団体あたり」)."""
    lex = lexicon()
    total = any(w in text for w in lex.total_words)
    budget = any(w in text for w in lex.budget_words)
    capped = any(w in text for w in (*lex.per_unit, *lex.caps))
    return total, budget, capped


def total_vs_cap(case: Case) -> Decline | None:
    """A total (「予算総額」「事業費の合計」) is not answered by caps or per-unit values, and a cap
    (「1団体あたり上限いくら」) is not answered by a total: the documents give the other one."""
    q = case.query
    if q.answer_type != "amount" or q.asks_total == q.asks_cap or not case.chosen:
        return None
    view = case.view
    valued = []
    for st in case.chosen:
        if not st.typed and not case.evidence.is_typed(st.segment, st.text):
            continue
        text = nfkc(st.text)
        if st.segment.header:
            text += nfkc(view.documents[st.chunk.source].text[st.segment.header[0] : st.segment.header[1]])
        valued.append(_value_kinds(text))
    if not valued:
        return None
    if q.asks_total and not any(total for total, _, _ in valued):
        # 「予算総額」 is not answered by caps, rates or a rounding rule (「1,000円未満の端数」).
        return Decline("資料には上限や単価はありますが、合計は書かれていません。", f"{q.subject or q.topic or ''}の合計")
    if q.asks_cap and all((total or budget) and not capped for total, budget, capped in valued):
        # 「補助金の上限額は？」 is not answered by the grant's line in a budget table (「予算額 6,000」).
        return Decline("資料には合計や予算額はありますが、上限や単価は書かれていません。", f"{q.subject or q.topic or ''}の上限")
    return None


def no_value_quoted(case: Case) -> Decline | None:
    """A question asking how many, how much or when is answered only by quotes that give such a
    value (in the statement or the lines right after it)."""
    q = case.query
    # 「何月何日に行う？」 asks a day: 「令和8年度に中間見直し」 does not give one.
    asks_day = q.answer_type == "date" and (q.asks_day or q.asks_time) and not q.asks_year
    if (q.answer_type not in ("count", "amount") and not asks_day) or q.yes_no or q.facets or not case.chosen:
        return None
    ev, view = case.evidence, case.view
    for st in case.chosen:
        if st.typed or ev.is_typed(st.segment, st.text) or any(ev.is_typed(f.segment, f.text) for f in view.following(st, 2)):
            return None
    return Decline("引用できる箇所に、尋ねられた値が書かれていません。", _asked(q))


def column_not_stated(case: Case) -> Decline | None:
    """「…の中間目標は？」 answered from a table whose header has only 現状 and 目標 (or a sentence
    that never says 中間): a column the plan's table does not have is not stated."""
    if not case.chosen:
        return None
    question = compact(case.query.normalized)
    group = next((g for g in lexicon().optional_columns if g[0] in question), None)
    if group is None:
        return None
    view = case.view
    for st in case.chosen:
        text = st.text
        if st.segment.kind == "table" and st.segment.header:
            text += view.documents[st.chunk.source].text[st.segment.header[0] : st.segment.header[1]]
        if any(w in compact(nfkc(text)) for w in group):
            return None
    return Decline(f"引用できる表や文に「{group[0]}」がありません。", f"{case.query.topic or ''}の{group[0]}".lstrip("の"))


def _asked_contact(q: Query) -> tuple[str, re.Pattern[str]] | None:
    """The contact detail a question asks for (「電話番号」「住所」「内線番号」) and how one is written."""
    return next(((word, shape) for word, shape in lexicon().contact_values.items() if word in q.normalized), None)


def quotes_contact(case: Case, statements: list[Statement]) -> bool:
    """Whether the statements (with the lines after them) write the contact detail asked."""
    asked = _asked_contact(case.query)
    if asked is None:
        return True
    near = [f for st in statements for f in [st, *case.view.following(st, 2)]]
    return any(asked[1].search(nfkc(st.text)) for st in near)


def contact_not_stated(case: Case) -> Decline | None:
    """「電話番号は？」「住所は？」: the quotes (with the lines after them) or another statement
    found must write one (a number or an address of that shape); an office's name and floor do
    not answer it. (Quotes that do not, while another statement does, are chosen again among
    those: contact_statements, answer.py.)"""
    q = case.query
    asked = _asked_contact(q)
    if asked is None or not case.chosen or quotes_contact(case, case.chosen) or contact_statements(case):
        return None
    word = asked[0]
    return Decline(f"「{word}」が書かれた箇所がありません。", f"{q.topic or ''}の{word}".lstrip("の") if word not in (q.topic or "") else q.topic)


def contact_statements(case: Case) -> list[Statement]:
    """The statements found that write a contact detail of the asked kind (a telephone number,
    an address with 丁目 or 番地): where to look again when the chosen quotes name only an office."""
    asked = _asked_contact(case.query)
    if asked is None:
        return []
    return [st for st in case.statements if asked[1].search(nfkc(st.text))]


GATES: dict[str, Gate] = {
    g.name: g
    for g in (
        Gate("unknown_place", "evidence", unknown_place, "a municipality no document mentions"),
        Gate("quoted_name_unknown", "evidence", quoted_name_unknown, "a name in brackets no document writes"),
        Gate("off_topic", "evidence", off_topic, "question nouns no document contains"),
        Gate("weak_evidence", "evidence", weak_evidence, "the best statements cover too little"),
        Gate("numbered_item_not_listed", "evidence", numbered_item_not_listed, "a numbered item (会議室4) the documents' numbered list lacks"),
        Gate("value_missing", "evidence", value_missing, "the subject is there, the asked value is not"),
        Gate("year_not_stated", "selection", year_not_stated, "the asked year is named nowhere in the quotes"),
        Gate("edition_not_stated", "selection", edition_not_stated, "the quotes are about another edition (第1回, 2024)"),
        Gate("items_only_announced", "selection", items_only_announced, "the plan counts the items but never names them"),
        Gate("focus_not_covered", "selection", focus_not_covered, "the quotes are not about what the question names"),
        Gate("attribute_not_stated", "selection", attribute_not_stated, "a value asked by its own word (申請期間), quotes that never speak of it"),
        Gate("deed_not_stated", "selection", deed_not_stated, "a number of a deed (何件採択), quotes that never speak of the deed"),
        Gate("no_person_named", "selection", no_person_named, "who holds a title, and the quotes name nobody"),
        Gate("names_not_given", "selection", names_not_given, "names asked, quotes that only count the things"),
        Gate("breakdown_not_given", "selection", breakdown_not_given, "a breakdown asked (年代別, 月別), quotes that give the whole"),
        Gate("target_for_actual", "selection", target_for_actual, "an actual figure asked, quotes that give only targets"),
        Gate("value_of_a_sibling", "selection", value_of_a_sibling, "a value said of another course or 部門 than the one asked"),
        Gate("total_vs_cap", "selection", total_vs_cap, "a total asked, only caps given (or the reverse)"),
        Gate("prefecture_not_stated", "selection", prefecture_not_stated, "which prefecture, and the quotes name none"),
        Gate("no_value_quoted", "selection", no_value_quoted, "a value asked, none in the quotes"),
        Gate("column_not_stated", "selection", column_not_stated, "a table column asked (中間目標) that the quoted table lacks"),
        Gate("contact_not_stated", "selection", contact_not_stated, "a phone number or an address asked, none written"),
    )
}
