"""The eval harness (EVAL_SPEC.md): gold loading, matching, metrics, and `assistant eval`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.catalog import load_catalog
from assistant.cli import main
from assistant.evaluation import GoldError, GoldItem, compute_metrics, item_record, load_gold, norm, run_eval
from assistant.loaders import load_document, scan_corpus
from assistant.types import Answer, Chunk, Citation, Passage, Turn

METRICS = {
    "answer_chars_p50",
    "hit_at_5",
    "mrr_at_10",
    "fact_accuracy",
    "fact_recall",
    "citation_precision",
    "citation_recall",
    "abstain_rate_unanswerable",
    "false_abstain_rate",
    "latency_p50_ms",
    "latency_p95_ms",
}
RECORD_KEYS = {"id", "answer", "abstained", "citations", "retrieved", "latency_ms"}


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("令和６年度", "令和6年度"),  # NFKC: full-width digits
        ("ＡＢＣ　ｄｅｆ", "abcdef"),  # full-width letters, ideographic space, lower case
        ("１事業 ２０万円を\t上限\n", "1事業20万円を上限"),  # every kind of white space goes
        ("㈱ホタル", "(株)ホタル"),  # NFKC compatibility characters
        ("ｶﾀｶﾅ", "カタカナ"),  # half-width katakana
        ("Hello World", "helloworld"),
    ],
)
def test_norm(raw: str, expected: str) -> None:
    assert norm(raw) == expected


def test_norm_does_nothing_else() -> None:
    assert norm("二十九名") != norm("29名")  # no numeral conversion
    assert norm("5年") != norm("5年間")
    assert norm("参加者、２９名。") == "参加者、29名。"  # punctuation is kept


# --------------------------------------------------------------------------- gold files


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _item(id_: str, **extra: Any) -> str:
    base = {"id": id_, "question": "質問？", "facts": [["答え"]], "sources": ["a.txt"], "evidence": ["答え"], "answerable": True}
    return json.dumps({**base, **extra}, ensure_ascii=False)


def test_load_gold_reads_every_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "g.jsonl",
        [
            _item("q1", facts=[["20万円"], ["100万円", "百万円"]], sources=["a.txt", "b.txt"], all_sources=True),
            "",
            _item("q2", answerable=False, facts=[], sources=[], evidence=[],
                  history=[{"role": "user", "content": "一関市の計画は？"}, {"role": "assistant", "content": "…"}]),
        ],
    )
    q1, q2 = load_gold(path)
    assert q1.id == "q1" and q1.facts == [["20万円"], ["100万円", "百万円"]]
    assert q1.sources == ["a.txt", "b.txt"] and q1.all_sources and q1.answerable and q1.history == []
    assert not q2.answerable and not q2.all_sources
    assert q2.history == [Turn("user", "一関市の計画は？"), Turn("assistant", "…")]


def test_load_gold_rejects_duplicate_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "dup.jsonl", [_item("q1"), _item("q2"), _item("q1")])
    with pytest.raises(GoldError) as info:
        load_gold(path)
    assert f"{path}:3" in str(info.value)
    assert "q1" in str(info.value)


@pytest.mark.parametrize(
    "bad",
    [
        '{"id": "q2", "question": "壊れた行"',  # not JSON
        json.dumps({"id": "q2", "question": "answerable がない"}),  # missing field
    ],
)
def test_load_gold_names_the_broken_line(tmp_path: Path, bad: str) -> None:
    path = _write(tmp_path / "broken.jsonl", [_item("q1"), bad, _item("q3")])
    with pytest.raises(GoldError) as info:
        load_gold(path)
    assert f"{path}:2:" in str(info.value)


def test_load_gold_rejects_empty_file(tmp_path: Path) -> None:
    with pytest.raises(GoldError):
        load_gold(_write(tmp_path / "empty.jsonl", [""]))


def test_load_gold_flat_facts_rejected_or_kept_whole(tmp_path: Path) -> None:
    path = _write(tmp_path / "flat.jsonl", [_item("q1", facts=["20万円"])])
    try:
        [item] = load_gold(path)
    except GoldError as exc:  # rejecting the line is fine ...
        assert f"{path}:1" in str(exc)
        return
    assert item.facts == [["20万円"]]  # ... and so is reading it as one fact; splitting it is not


def test_load_gold_string_false_is_not_answerable(tmp_path: Path) -> None:
    path = _write(tmp_path / "str.jsonl", [_item("q1", answerable="false")])
    try:
        [item] = load_gold(path)
    except GoldError as exc:  # rejecting a non-boolean is fine ...
        assert f"{path}:1" in str(exc)
        return
    assert item.answerable is False  # ... but "false" must never mean answerable


# --------------------------------------------------------------------------- metrics by hand


def _g(id_: str, *, answerable: bool = True, sources=("a.txt",), evidence=(), facts=(), all_sources=False) -> GoldItem:
    return GoldItem(
        id=id_, question="?", facts=[list(f) for f in facts], sources=list(sources), evidence=list(evidence),
        answerable=answerable, all_sources=all_sources,
    )


def _r(id_: str, answer: str = "", *, abstained: bool = False, cites=(), retrieved=(), latency: float = 0.0) -> dict:
    return {
        "id": id_,
        "answer": answer,
        "abstained": abstained,
        "citations": [{"n": i, "source": s, "title": "", "section": "", "page": None, "quote": "q"} for i, s in enumerate(cites, 1)],
        "retrieved": [{"source": s, "text": t, "score": 1.0} for s, t in retrieved],
        "latency_ms": latency,
    }


FILLER = ("x.txt", "関係のない箇所")

GOLD = [
    # g1: evidence (written full-width) in the passage ranked 2; both facts stated; cites a.txt + c.txt
    _g("g1", sources=["a.txt"], evidence=["約３００名"], facts=[["300名", "三百名"], ["7月"]]),
    # g2: evidence only at rank 7; the fact is stated in kanji numerals only (not matched); cites b.txt
    _g("g2", sources=["b.txt"], evidence=["雪かき"], facts=[["50人"]]),
    # g3: evidence only at rank 11 (outside the top 10); fact stated; all_sources but cites only a.txt
    _g("g3", sources=["a.txt", "b.txt"], evidence=["比較"], facts=[["両市"]], all_sources=True),
    # g4: abstained although the evidence is ranked first
    _g("g4", sources=["c.txt"], evidence=["星空"], facts=[["40名"]]),
    _g("u1", answerable=False, sources=[]),
    _g("u2", answerable=False, sources=[]),
]
RECORDS = [
    _r("g1", "７月に開催され、約３００名が参加しました[1][2]。", cites=["a.txt", "c.txt"], latency=10,
       retrieved=[("c.txt", "約300名（別の資料）"), ("a.txt", "ほたる祭りには約 300名が参加")]),
    _r("g2", "延べ五十人が参加しました[1]。", cites=["b.txt"], latency=20,
       retrieved=[("b.txt", "緑町の事業報告")] + [FILLER] * 5 + [("b.txt", "雪かきボランティア")]),
    _r("g3", "両市の取組を比較すると…[1]", cites=["a.txt"], latency=30,
       retrieved=[FILLER] * 10 + [("a.txt", "比較表")]),
    _r("g4", "資料には該当する記載が見つかりませんでした。", abstained=True, latency=40,
       retrieved=[("c.txt", "星空観察会の定員は40名")]),
    _r("u1", "資料には該当する記載が見つかりませんでした。", abstained=True, latency=50),
    _r("u2", "東京都の予算は1億円です[1]。", cites=["x.txt"], latency=60),
]


def test_compute_metrics_by_hand() -> None:
    m = compute_metrics(GOLD, RECORDS)
    assert set(m) == METRICS
    assert m["hit_at_5"] == pytest.approx(2 / 4)  # g1 (rank 2), g4 (rank 1)
    assert m["mrr_at_10"] == pytest.approx((1 / 2 + 1 / 7 + 0 + 1) / 4)
    assert m["fact_accuracy"] == pytest.approx(2 / 4)  # g1, g3; g4's abstention counts as wrong
    assert m["fact_recall"] == pytest.approx((1 + 0 + 1 + 0) / 4)
    assert m["citation_precision"] == pytest.approx(3 / 4)  # g1: 1 of 2, g2: 1 of 1, g3: 1 of 1
    assert m["citation_recall"] == pytest.approx(2 / 3)  # g3 misses b.txt (all_sources)
    assert m["abstain_rate_unanswerable"] == pytest.approx(1 / 2)
    assert m["false_abstain_rate"] == pytest.approx(1 / 4)
    assert m["latency_p50_ms"] == pytest.approx(35.0)
    assert 50.0 <= m["latency_p95_ms"] <= 60.0
    answered = sorted(len(r["answer"]) for r in RECORDS if not r["abstained"])
    assert m["answer_chars_p50"] == pytest.approx(answered[len(answered) // 2] if len(answered) % 2 else
                                                  (answered[len(answered) // 2 - 1] + answered[len(answered) // 2]) / 2)


def test_abstention_is_wrong_even_if_it_mentions_the_fact() -> None:
    gold = [_g("g", evidence=["29名"], facts=[["29名"]])]
    record = _r("g", "29名かどうかは資料には該当する記載が見つかりませんでした。", abstained=True,
                retrieved=[("a.txt", "29名が参加")])
    m = compute_metrics(gold, [record])
    assert m["fact_accuracy"] == 0.0
    assert m["false_abstain_rate"] == 1.0
    assert m["hit_at_5"] == 1.0  # retrieval is scored regardless of the abstention


def test_partial_facts_count_for_recall_not_accuracy() -> None:
    gold = [_g("g", evidence=["e"], facts=[["令和6年度"], ["令和10年度"], ["5年間", "５年"]])]
    m = compute_metrics(gold, [_r("g", "令和６年度から５年です。", cites=["a.txt"])])
    assert m["fact_accuracy"] == 0.0
    assert m["fact_recall"] == pytest.approx(2 / 3)
    assert m["citation_precision"] == 1.0 and m["citation_recall"] == 1.0


def test_all_sources_cited_counts() -> None:
    gold = [_g("g", sources=["a.txt", "b.txt"], evidence=["e"], facts=[["x"]], all_sources=True)]
    m = compute_metrics(gold, [_r("g", "x", cites=["b.txt", "a.txt", "b.txt"])])
    assert m["citation_recall"] == 1.0
    assert m["citation_precision"] == 1.0


def test_item_record_format() -> None:
    chunk = Chunk(id="c1", source="a.txt", title="T", city="青葉市", section="1 目的", page=3, start=0, end=5,
                  text="本文です。", content_hash="h")
    citation = Citation(n=1, source="a.txt", title="T", city="青葉市", section="1 目的", page=3, quote="本文",
                        chunk_id="c1", start=0, end=2)
    passages = [Passage(chunk, score=0.8123456789)] * 12
    answer = Answer(question="?", text="本文です[1]。", abstained=False, citations=[citation], passages=passages,
                    latency_ms=12.3456)
    record = item_record(_g("q9"), answer)
    assert set(record) == RECORD_KEYS
    assert record["id"] == "q9" and record["answer"] == "本文です[1]。" and record["abstained"] is False
    assert record["citations"] == [{"n": 1, "source": "a.txt", "title": "T", "section": "1 目的", "page": 3, "quote": "本文"}]
    assert len(record["retrieved"]) >= 10
    assert record["retrieved"][0] == {"source": "a.txt", "text": "本文です。", "score": pytest.approx(0.8123457, abs=1e-6)}
    assert record["latency_ms"] == pytest.approx(12.35, abs=0.01)
    json.dumps(record, ensure_ascii=False)  # serialisable


def _answer_for(record: dict) -> Answer:
    """An Answer reproducing a hand-made record, so run_eval's arithmetic can be checked by hand."""
    passages = [
        Passage(Chunk(id=f"c{i}", source=p["source"], title="T", city=None, section="", page=None, start=0,
                      end=len(p["text"]), text=p["text"], content_hash="h"), score=1.0 - i / 100)
        for i, p in enumerate(record["retrieved"])
    ]
    citations = [
        Citation(n=c["n"], source=c["source"], title="T", city=None, section="", page=None, quote="q",
                 chunk_id="c", start=0, end=1)
        for c in record["citations"]
    ]
    return Answer(question="?", text=record["answer"], abstained=record["abstained"], citations=citations,
                  passages=passages, latency_ms=record["latency_ms"])


def test_run_eval_writes_items_summary_and_report(tmp_path: Path) -> None:
    by_id = {r["id"]: r for r in RECORDS}
    out = tmp_path / "run"
    summary = run_eval(GOLD, lambda item: _answer_for(by_id[item.id]), out, {"k": 10}, "hand.jsonl")
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [i["id"] for i in items] == [g.id for g in GOLD]
    saved = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert saved["n"] == 6 and saved["settings"] == {"k": 10}
    assert saved["hit_at_5"] == pytest.approx(0.5) and saved["citation_recall"] == pytest.approx(2 / 3)
    assert saved["false_abstain_rate"] == pytest.approx(0.25)
    assert summary["n"] == 6
    report = (out / "report.md").read_text(encoding="utf-8")
    # Failed: g2 (fact missing), g4 (abstained), u2 (answered an unanswerable question). g1 passed.
    for failed in ("g2", "g4", "u2"):
        assert f"{failed}:" in report
    assert "### g1:" not in report and "### u1:" not in report


# --------------------------------------------------------------------------- `assistant eval` on the seed index


GOLD_SMALL = [
    {"id": "t1", "question": "一関市協働推進計画（第３次）の計画期間はいつからいつまでですか？",
     "facts": [["令和6年度"], ["令和10年度"]], "sources": ["ichinoseki_kyodo_suishin_keikaku_3.md"],
     "evidence": ["本計画は、令和6年度から令和10年度までの5年間とし"], "answerable": True},
    {"id": "t2", "question": "自治会長情報交換会には何名参加しましたか？", "facts": [["29名"]],
     "sources": ["yamaguchi_r6_jisseki.txt", "yamaguchi_r6_jigyo.txt"], "evidence": ["29名"], "answerable": True},
    {"id": "t3", "question": "東京都の防災計画の予算総額はいくらですか？", "facts": [], "sources": [], "evidence": [],
     "answerable": False},
    {"id": "t4", "question": "それはいつ開催されましたか？",
     "history": [{"role": "user", "content": "自治会長情報交換会には何名参加した？"},
                 {"role": "assistant", "content": "29名が参加しました。"}],
     "facts": [["8月18日"]], "sources": ["yamaguchi_r6_jigyo.txt"], "evidence": ["令和６年８月１８日"],
     "answerable": True},
]


def test_eval_command_on_seed_index(seed_env: dict[str, str], seed_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gold_path = tmp_path / "small.jsonl"
    gold_path.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD_SMALL) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner(env=seed_env).invoke(main, ["eval", "--gold", str(gold_path), "--out", str(out)],
                                            catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "4 問を評価しました" in result.stdout

    lines = (out / "items.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    items = [json.loads(line) for line in lines]
    assert [i["id"] for i in items] == ["t1", "t2", "t3", "t4"]
    catalog = load_catalog(seed_settings.corpus_dir)
    texts = {sf.source: load_document(sf, catalog).text for sf in scan_corpus(seed_settings.corpus_dir, catalog)}
    for item in items:
        assert set(item) == RECORD_KEYS | {"trace"}  # the trace: beyond the spec, why it answered
        assert item["trace"]["outcome"] in ("answered", "abstained")
        assert isinstance(item["answer"], str) and isinstance(item["abstained"], bool)
        assert isinstance(item["latency_ms"], (int, float)) and item["latency_ms"] > 0
        assert len(item["retrieved"]) >= 10, "the spec asks for at least the top 10 passages"
        for p in item["retrieved"]:
            assert {"source", "text", "score"} <= set(p) and p["source"] in texts
        for c in item["citations"]:
            assert set(c) == {"n", "source", "title", "section", "page", "quote"}
            assert c["quote"] in texts[c["source"]]
        if item["abstained"]:
            assert not item["citations"]

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert METRICS <= set(summary)
    assert summary["n"] == 4
    assert isinstance(summary["settings"], dict) and summary["settings"]
    stamps = [v for k, v in summary.items() if k.endswith("_at") or "time" in k]
    assert stamps and all(datetime.fromisoformat(s) for s in stamps)
    for key in METRICS - {"latency_p50_ms", "latency_p95_ms", "answer_chars_p50"}:
        assert 0.0 <= summary[key] <= 1.0, key
    assert summary["latency_p95_ms"] >= summary["latency_p50_ms"] > 0
    # The summary is computed from the items that were written.
    recomputed = compute_metrics(load_gold(gold_path), items)
    for key in METRICS:
        assert summary[key] == pytest.approx(recomputed[key]), key
    assert summary["abstain_rate_unanswerable"] == float(items[2]["abstained"])

    reports = [p for p in out.iterdir() if p.suffix in (".md", ".html")]
    assert len(reports) == 1
    report = reports[0].read_text(encoding="utf-8")
    gold = {g["id"]: g for g in GOLD_SMALL}
    for item in items:  # every item that plainly failed is listed
        g = gold[item["id"]]
        if g["answerable"]:
            missing = [f for f in g["facts"] if not any(norm(a) in norm(item["answer"]) for a in f)]
            failed = item["abstained"] or bool(missing)
        else:
            failed = not item["abstained"]
        if failed:
            assert item["id"] in report, item["id"]


def test_eval_command_rejects_a_bad_gold_file(seed_env: dict[str, str], tmp_path: Path) -> None:
    gold_path = _write(tmp_path / "dup.jsonl", [_item("q1"), _item("q1")])
    result = CliRunner(env=seed_env).invoke(main, ["eval", "--gold", str(gold_path), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "dup.jsonl:2" in result.output
    assert not (tmp_path / "o" / "items.jsonl").exists()
