"""Staff feedback on answers (👍/👎, a comment, a correction), kept in the page's database.

Each row stores what was asked, what was answered and which passages were cited, so a
👎 can be turned into a gold item or a bug report without asking the staff member again.
Times are stored in UTC and exported in Japan time (JST), as the page shows them.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from assistant.db import Database, UTCDateTime, metadata, now
from assistant.documents import JST
from assistant.types import Citation

LEGACY_DB_NAME = "feedback.sqlite3"  # before the page had one database: imported once, then renamed
RATINGS = {1: "👍", -1: "👎"}
CITATION_FIELDS = ("n", "source", "title", "city", "section", "page", "quote")
log = logging.getLogger(__name__)

feedback_table = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("rating", SmallInteger, CheckConstraint("rating IN (-1, 1)", name="feedback_rating"), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("correction", Text, nullable=True),
    Column("question", Text, nullable=False),
    Column("standalone_question", Text, nullable=True),
    Column("answer", Text, nullable=False),
    Column("citations", JSON, nullable=False),
    Column("mode", String(32), nullable=False),
    Column("abstained", Boolean, nullable=False, default=False),
    Column("generation", String(128), nullable=True),
)


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    created_at: str  # ISO 8601, UTC
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
    correction: str | None = None  # what the answer should have said (a 👎 with a correction)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def jst_text(iso: str) -> str:
    """'2026-11-22T05:24:26+00:00' -> '2026-11-22 14:24:26' (Japan time, as the page shows it)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")


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
    """The `feedback` table of the page's database (`assistant.db`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.ensure(feedback_table)

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
        correction: str | None = None,
    ) -> int:
        """Store one rating; return its id (used to add a comment or change the rating)."""
        moment = now()
        values = dict(
            created_at=moment, updated_at=moment, rating=_check_rating(rating), comment=comment.strip(),
            correction=(correction or "").strip() or None, question=question,
            standalone_question=standalone_question, answer=answer_text,
            citations=[_citation_dict(c) for c in citations], mode=mode, abstained=bool(abstained),
            generation=generation,
        )
        with self.db.write() as conn:
            result = conn.execute(insert(feedback_table).values(**values))
            return int(result.inserted_primary_key[0])

    def update(
        self, feedback_id: int, rating: int | None = None, comment: str | None = None, correction: str | None = None
    ) -> None:
        """Change the rating, the comment and/or the correction of a stored row."""
        values: dict[str, Any] = {"updated_at": now()}
        if rating is not None:
            values["rating"] = _check_rating(rating)
        if comment is not None:
            values["comment"] = comment.strip()
        if correction is not None:
            values["correction"] = correction.strip() or None
        with self.db.write() as conn:
            result = conn.execute(update(feedback_table).where(feedback_table.c.id == feedback_id).values(**values))
            if result.rowcount == 0:
                raise KeyError(f"フィードバック {feedback_id} が見つかりません")

    def delete(self, feedback_id: int) -> None:
        with self.db.write() as conn:
            conn.execute(delete(feedback_table).where(feedback_table.c.id == feedback_id))

    def get(self, feedback_id: int) -> FeedbackRecord | None:
        with self.db.read() as conn:
            row = conn.execute(select(feedback_table).where(feedback_table.c.id == feedback_id)).mappings().first()
        return _record(row) if row else None

    def list_feedback(self) -> list[FeedbackRecord]:
        """All rows, newest first."""
        with self.db.read() as conn:
            rows = conn.execute(select(feedback_table).order_by(feedback_table.c.id.desc())).mappings().all()
        return [_record(r) for r in rows]

    def export_jsonl(self) -> bytes:
        """One JSON object per line (UTF-8), citations as a list, times in JST (+09:00)."""
        lines = []
        for r in self.list_feedback():
            data = asdict(r)
            for key in ("created_at", "updated_at"):
                data[key] = datetime.fromisoformat(data[key]).astimezone(JST).isoformat(timespec="seconds")
            lines.append(json.dumps(data, ensure_ascii=False))
        return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")

    def export_csv(self) -> bytes:
        """CSV in UTF-8 with a BOM, so that Excel opens the Japanese text correctly.

        Times are Japan time (the column says so). Citations become one cell: 「[1] 題名 / 節
        p.3」 lines. Every text cell that staff or a document controls is passed through
        `spreadsheet_safe`.
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["id", "日時（日本時間）", "評価", "コメント", "質問", "検索に使った質問", "回答", "出典", "回答方式",
                         "回答を控えた", "索引の世代", "訂正"])
        for r in self.list_feedback():
            cited = "\n".join(
                f"[{c.get('n')}] {c.get('title') or c.get('source')} / {c.get('section') or ''}"
                + (f" p.{c['page']}" if c.get("page") else "")
                for c in r.citations
            )
            safe = spreadsheet_safe
            writer.writerow([r.id, jst_text(r.created_at), RATINGS[r.rating], safe(r.comment), safe(r.question),
                             safe(r.standalone_question or ""), safe(r.answer), safe(cited), safe(r.mode),
                             int(r.abstained), safe(r.generation or ""), safe(r.correction or "")])
        return out.getvalue().encode("utf-8-sig")

    def counts(self) -> dict[int, int]:
        """{+1: number of 👍, -1: number of 👎}."""
        counts = {1: 0, -1: 0}
        with self.db.read() as conn:
            for rating, n in conn.execute(
                select(feedback_table.c.rating, func.count()).group_by(feedback_table.c.rating)
            ):
                counts[int(rating)] = int(n)
        return counts


def _record(row: Any) -> FeedbackRecord:
    citations = row["citations"]
    if isinstance(citations, str):  # written by hand or by another tool as text
        citations = json.loads(citations)
    return FeedbackRecord(
        id=int(row["id"]), created_at=_iso(row["created_at"]), updated_at=_iso(row["updated_at"]),
        rating=int(row["rating"]), comment=row["comment"] or "", question=row["question"],
        standalone_question=row["standalone_question"], answer=row["answer"], citations=list(citations or []),
        mode=row["mode"], abstained=bool(row["abstained"]), generation=row["generation"],
        correction=row["correction"],
    )


def import_legacy_feedback(db: Database, data_dir: Path) -> int:
    """Rows of the old `<data_dir>/feedback.sqlite3` (before the page had one database) are
    copied into `db` once; the old file is then renamed `feedback.sqlite3.imported`."""
    found = Path(data_dir) / LEGACY_DB_NAME
    legacy = found.with_name(LEGACY_DB_NAME + ".importing")
    try:
        found.rename(legacy)  # atomic: of two instances starting together, one imports
    except OSError:
        return 0
    try:
        with closing(sqlite3.connect(legacy, timeout=10)) as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT * FROM feedback ORDER BY id").fetchall()
    except sqlite3.Error as exc:
        log.warning("%s: not imported: %r", found, exc)
        legacy.rename(found)
        return 0
    values = []
    for r in rows:
        keys = r.keys()
        values.append(dict(
            created_at=datetime.fromisoformat(r["created_at"]), updated_at=datetime.fromisoformat(r["updated_at"]),
            rating=int(r["rating"]), comment=r["comment"] or "", question=r["question"],
            standalone_question=r["standalone_question"], answer=r["answer"], citations=json.loads(r["citations"]),
            mode=r["mode"], abstained=bool(r["abstained"]), generation=r["generation"] if "generation" in keys else None,
        ))
    db.ensure(feedback_table)
    with db.write() as conn:
        if values:
            conn.execute(insert(feedback_table), values)
    legacy.rename(found.with_name(LEGACY_DB_NAME + ".imported"))
    return len(values)
