"""Staff feedback on answers (👍/👎 and a comment), kept in SQLite under the data folder.

Each row stores what was asked, what was answered and which passages were cited, so a
👎 can be turned into a gold item or a bug report without asking the staff member again.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from assistant.types import Citation

DB_NAME = "feedback.sqlite3"
SCHEMA_VERSION = 1
RATINGS = {1: "👍", -1: "👎"}
CITATION_FIELDS = ("n", "source", "title", "city", "section", "page", "quote")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    standalone_question TEXT,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    mode TEXT NOT NULL,
    abstained INTEGER NOT NULL DEFAULT 0,
    generation TEXT
)
"""


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    created_at: str
    updated_at: str
    rating: int  # +1 (👍) or -1 (👎)
    comment: str
    question: str
    standalone_question: str | None
    answer: str
    citations: list[dict[str, Any]]
    mode: str
    abstained: bool
    generation: str | None  # index generation the answer came from


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _citation_dict(c: Citation | dict[str, Any]) -> dict[str, Any]:
    raw = asdict(c) if is_dataclass(c) and not isinstance(c, type) else dict(c)
    return {k: raw.get(k) for k in CITATION_FIELDS}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """OWASP's rule against CSV injection: a cell a spreadsheet would run as a formula
    (starting with = + - @, tab or carriage return) gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _check_rating(rating: int) -> int:
    if rating not in RATINGS:
        raise ValueError(f"評価は +1（👍）か -1（👎）です: {rating!r}")
    return int(rating)


class FeedbackStore:
    """`<data_dir>/feedback.sqlite3`. One short connection per call (safe across threads)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / DB_NAME

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as conn:
            conn.row_factory = sqlite3.Row
            with conn:  # one transaction: committed on success, rolled back on error
                conn.execute(_SCHEMA)
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                yield conn

    def record(
        self,
        question: str,
        answer_text: str,
        citations: Iterable[Citation | dict[str, Any]],
        rating: int,
        comment: str = "",
        standalone_question: str | None = None,
        mode: str = "extractive",
        abstained: bool = False,
        generation: str | None = None,
    ) -> int:
        """Store one rating; return its id (used to add a comment or change the rating)."""
        now = _now()
        cited = json.dumps([_citation_dict(c) for c in citations], ensure_ascii=False)
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created_at, updated_at, rating, comment, question, standalone_question,"
                " answer, citations, mode, abstained, generation) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (now, now, _check_rating(rating), comment.strip(), question, standalone_question, answer_text,
                 cited, mode, int(abstained), generation),
            )
            return int(cur.lastrowid or 0)

    def update(self, feedback_id: int, rating: int | None = None, comment: str | None = None) -> None:
        """Change the rating and/or the comment of a stored row."""
        sets, values = ["updated_at = ?"], [_now()]
        if rating is not None:
            sets.append("rating = ?")
            values.append(_check_rating(rating))  # type: ignore[arg-type]
        if comment is not None:
            sets.append("comment = ?")
            values.append(comment.strip())
        with self._connect() as conn:
            cur = conn.execute(f"UPDATE feedback SET {', '.join(sets)} WHERE id = ?", (*values, feedback_id))
            if cur.rowcount == 0:
                raise KeyError(f"フィードバック {feedback_id} が見つかりません")

    def delete(self, feedback_id: int) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM feedback WHERE id = ?", (feedback_id,))

    def list_feedback(self) -> list[FeedbackRecord]:
        """All rows, newest first."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM feedback ORDER BY id DESC").fetchall()
        return [
            FeedbackRecord(
                id=r["id"], created_at=r["created_at"], updated_at=r["updated_at"], rating=r["rating"],
                comment=r["comment"], question=r["question"], standalone_question=r["standalone_question"],
                answer=r["answer"], citations=json.loads(r["citations"]), mode=r["mode"],
                abstained=bool(r["abstained"]), generation=r["generation"],
            )
            for r in rows
        ]

    def export_jsonl(self) -> bytes:
        """One JSON object per line (UTF-8), citations as a list."""
        lines = [json.dumps(asdict(r), ensure_ascii=False) for r in self.list_feedback()]
        return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")

    def export_csv(self) -> bytes:
        """CSV in UTF-8 with a BOM, so that Excel opens the Japanese text correctly.

        Citations become one cell: 「[1] 題名 / 節 p.3」 lines. Every text cell that staff or a
        document controls is passed through `spreadsheet_safe`.
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["id", "日時", "評価", "コメント", "質問", "検索に使った質問", "回答", "出典", "回答方式",
                         "回答を控えた", "索引の世代"])
        for r in self.list_feedback():
            cited = "\n".join(
                f"[{c.get('n')}] {c.get('title') or c.get('source')} / {c.get('section') or ''}"
                + (f" p.{c['page']}" if c.get("page") else "")
                for c in r.citations
            )
            safe = spreadsheet_safe
            writer.writerow([r.id, r.created_at, RATINGS[r.rating], safe(r.comment), safe(r.question),
                             safe(r.standalone_question or ""), safe(r.answer), safe(cited), safe(r.mode),
                             int(r.abstained), safe(r.generation or "")])
        return out.getvalue().encode("utf-8-sig")

    def counts(self) -> dict[int, int]:
        """{+1: number of 👍, -1: number of 👎}."""
        counts = {1: 0, -1: 0}
        for r in self.list_feedback():
            counts[r.rating] += 1
        return counts
