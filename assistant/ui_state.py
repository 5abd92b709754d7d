"""What the Streamlit page shows, computed without Streamlit (so it is unit-testable).

Answer text with clickable citation markers, source cards with the quoted span
highlighted, the index status lines, and the evaluation runs kept under the data folder.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.citations import MARKER
from assistant.passage_view import STYLE, structured_html
from assistant.documents import JST, format_time
from assistant.settings import Settings
from assistant.store import Manifest
from assistant.types import Answer, Citation, Passage, Turn

if TYPE_CHECKING:  # the index (Chroma, LangChain) is heavy to import; only its type is needed here
    from assistant.index import Index

RELATED_SHOWN = 3  # passages offered under an abstention
CONTEXT_CHARS = 160  # text shown around a quote that lies outside its chunk
_MD_SPECIAL = re.compile(r"([\\`*_~$<>\[\]|])")
_MD_SPECIAL_LLM = re.compile(r"([\\$~<>\[\]|])")  # keep the model's **bold** and lists
_LINE_START_HASH = re.compile(r"^(\s*)#", re.MULTILINE)
_LINE_START_ORDERED = re.compile(r"^(\d+)\.(?=\s)")

METRIC_LABELS: dict[str, str] = {
    "fact_accuracy": "事実の正確さ",
    "fact_recall": "事実の再現率",
    "citation_precision": "引用の適合率",
    "citation_recall": "引用の再現率",
    "hit_at_5": "検索 Hit@5",
    "mrr_at_10": "検索 MRR@10",
    "abstain_rate_unanswerable": "回答不能で控えた率",
    "false_abstain_rate": "誤って控えた率",
    "latency_p50_ms": "応答時間 p50 (ms)",
    "latency_p95_ms": "応答時間 p95 (ms)",
    "answer_chars_p50": "回答の長さ p50 (字)",
}
RATE_METRICS = [k for k in METRIC_LABELS if not k.startswith(("latency", "answer_chars"))]


def new_message_id() -> str:
    return uuid.uuid4().hex[:10]


def md_escape(text: str, keep_emphasis: bool = False) -> str:
    """Escape characters Streamlit's Markdown would interpret (LaTeX `$`, `~~`, links, HTML)."""
    text = (_MD_SPECIAL_LLM if keep_emphasis else _MD_SPECIAL).sub(r"\\\1", text)
    return _LINE_START_HASH.sub(r"\1\\#", text)


def anchor_id(message_id: str, n: int) -> str:
    return f"src-{message_id}-{n}"


def link_citations(text: str, message_id: str, known: set[int], keep_emphasis: bool = False) -> str:
    """Answer text as Markdown whose `[n]` markers link to source card n of this message.

    Everything else is escaped, except a leading 「- 」 (the answer's own bullet list);
    other line breaks are kept as hard breaks.
    """
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        bullet = ""
        if line.startswith("- "):
            bullet, line = "- ", line[2:]
        parts = []
        last = 0
        for m in MARKER.finditer(line):
            parts.append(md_escape(line[last : m.start()], keep_emphasis))
            n = int(m.group(1))
            parts.append(f"[\\[{n}\\]](#{anchor_id(message_id, n)})" if n in known else md_escape(m.group(0)))
            last = m.end()
        parts.append(md_escape(line[last:], keep_emphasis))
        rendered = bullet + _LINE_START_ORDERED.sub(r"\1\\.", "".join(parts))
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if rendered.strip() and following.strip() and not following.startswith("- "):
            rendered += "  "  # hard line break
        out.append(rendered)
    return "\n".join(out)


def highlight_html(text: str, spans: list[tuple[int, int]]) -> str:
    """HTML of `text` (escaped) with the given character spans wrapped in <mark>."""
    pieces: list[str] = []
    pos = 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if end <= pos or start >= end:
            continue
        start = max(start, pos)
        pieces.append(html.escape(text[pos:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    pieces.append(html.escape(text[pos:]))
    return "".join(pieces)


def passage_block(body_html: str, note: str = "") -> str:
    """A source card's body: the file name, then the passage (see passage_view.structured_html)."""
    note_html = f'<div style="font-size:0.8em;opacity:0.7;margin-bottom:0.3em">{html.escape(note)}</div>' if note else ""
    return f'{STYLE}<div class="src-passage">{note_html}<div class="src-doc">{body_html}</div></div>'


def location_label(title: str, city: str | None, section: str, page: int | None) -> str:
    parts = [p for p in (city, section, f"p.{page}" if page else None) if p]
    return f"{title} — {' / '.join(parts)}" if parts else title


@dataclass(frozen=True)
class SourceCard:
    """One source under an answer: an expander titled `label` showing `html`."""

    n: int  # citation number; 0 for a related passage under an abstention
    anchor: str
    label: str  # Markdown (escaped)
    html: str
    source: str
    quote: str = ""
    title: str = ""
    city: str | None = None
    section: str = ""
    page: int | None = None
    start: int = 0  # the quote's (or the passage's) offsets in the document text
    end: int = 0


def citation_card(citation: Citation, index: Index | None, message_id: str) -> SourceCard:
    """The cited chunk with the quote highlighted; a window of the document if the quote
    runs outside the chunk; the quote alone if the document is no longer indexed."""
    c = citation
    label = f"\\[{c.n}\\] " + md_escape(location_label(c.title, c.city, c.section, c.page))
    doc = index.documents.get(c.source) if index else None
    body: str
    if doc is not None and doc.text[c.start : c.end] == c.quote:
        pos = index.position.get(c.chunk_id) if index else None
        chunk = index.chunks[pos] if pos is not None and index else None
        if chunk is not None and chunk.start <= c.start and c.end <= chunk.end:
            start, end = chunk.start, chunk.end
        else:
            start, end = max(0, c.start - CONTEXT_CHARS), min(len(doc.text), c.end + CONTEXT_CHARS)
        body = structured_html(doc.text[start:end], [(c.start - start, c.end - start)])
        if doc.text[:start].strip():
            body = "<p>…</p>" + body
        if doc.text[end:].strip():
            body += "<p>…</p>"
    else:
        body = f"<p><mark>{html.escape(c.quote)}</mark></p>"
    return SourceCard(c.n, anchor_id(message_id, c.n), label, passage_block(body, c.source), c.source, c.quote,
                      c.title, c.city, c.section, c.page, c.start, c.end)


def related_card(passage: Passage, rank: int) -> SourceCard:
    ch = passage.chunk
    label = f"({rank}) " + md_escape(location_label(ch.title, ch.city, ch.section, ch.page))
    return SourceCard(0, f"rel-{ch.id}", label, passage_block(structured_html(ch.body.strip()), ch.source), ch.source,
                      "", ch.title, ch.city, ch.section, ch.page, ch.start, ch.end)


@dataclass
class ChatMessage:
    """One message of the conversation kept in the session."""

    id: str
    role: str  # "user" | "assistant"
    content: str
    answer: Answer | None = None
    cards: list[SourceCard] = field(default_factory=list)  # citations, or related passages if abstained
    generation: str | None = None
    feedback_id: int | None = None
    rating: int | None = None
    comment_saved: bool = False
    without_history: bool = False  # asked again without the earlier turns (「元の質問のまま検索」)
    gold_id: str | None = None  # added to the staff gold file under this id


def assistant_message(answer: Answer, index: Index | None, generation: str | None = None) -> ChatMessage:
    mid = new_message_id()
    if answer.abstained:
        cards = [related_card(p, i) for i, p in enumerate(answer.passages[:RELATED_SHOWN], 1)]
    else:
        cards = [citation_card(c, index, mid) for c in answer.citations]
    return ChatMessage(mid, "assistant", answer.text, answer, cards, generation)


def answer_markdown(message: ChatMessage) -> str:
    answer = message.answer
    if answer is None:
        return md_escape(message.content)
    known = {c.n for c in answer.citations}
    return link_citations(answer.text, message.id, known, keep_emphasis=answer.mode == "llm")


def history(messages: list[ChatMessage]) -> list[Turn]:
    """The conversation so far, as the pipeline wants it (abstentions included)."""
    return [Turn("user" if m.role == "user" else "assistant", m.content) for m in messages]


# ----------------------------------------------------------------------------- index status


def answer_mode(settings: Settings, use_llm: bool = True) -> str:
    if settings.llm.enabled and use_llm:
        return f"LLM（{settings.llm.model}）＋出典の検証"
    return "抽出型（資料の文を引用、LLMなし）"


def index_status(manifest: Manifest, settings: Settings) -> list[tuple[str, str]]:
    return [
        ("文書", f"{len(manifest.documents)} 件"),
        ("チャンク", f"{manifest.chunk_count} 件"),
        ("最終更新", format_time(manifest.created_at)),
        ("埋め込み", manifest.embedder),
        ("回答方式", answer_mode(settings)),
    ]


# ----------------------------------------------------------------------------- evaluation runs

EVAL_RUNS = "eval_runs"


def eval_runs_dir(data_dir: Path) -> Path:
    return Path(data_dir) / EVAL_RUNS


def new_run_dir(data_dir: Path) -> Path:
    """`<data_dir>/eval_runs/<YYYYmmdd-HHMMSS>` (Japan time), unique."""
    root = eval_runs_dir(data_dir)
    stamp = datetime.now(JST).strftime("%Y%m%d-%H%M%S")
    path, n = root / stamp, 2
    while path.exists():
        path, n = root / f"{stamp}-{n}", n + 1
    return path


@dataclass(frozen=True)
class EvalRun:
    name: str
    path: Path
    summary: dict[str, Any]
    state: str = "finished"  # or running / failed / interrupted (assistant.eval_jobs.run_state)

    @property
    def metrics(self) -> dict[str, float]:
        return self.summary.get("metrics", {})

    def items(self) -> list[dict[str, Any]]:
        path = self.path / "items.jsonl"
        if not path.exists():
            return []
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]


def list_runs(data_dir: Path) -> list[EvalRun]:
    """Completed runs (those with a summary.json), newest first."""
    root = eval_runs_dir(data_dir)
    runs: list[EvalRun] = []
    for path in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        summary_path = path / "summary.json"
        if not summary_path.is_file():
            continue
        try:
            runs.append(EvalRun(path.name, path, json.loads(summary_path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return runs


def list_all_runs(data_dir: Path) -> list[EvalRun]:
    """Every run folder, newest first: finished ones with their summary, the others (running,
    failed, interrupted) with what their status file says."""
    from assistant.eval_jobs import read_status, run_state

    finished = {r.name: r for r in list_runs(data_dir)}
    root = eval_runs_dir(data_dir)
    out: list[EvalRun] = []
    for path in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        if not path.is_dir() or path.name.startswith("."):
            continue
        if path.name in finished:
            out.append(finished[path.name])
            continue
        status = read_status(path)
        summary = {"gold": status.get("gold", ""), "pipeline": status.get("pipeline", ""), "n": status.get("total", 0)}
        out.append(EvalRun(path.name, path, summary, run_state(path)))
    return out


def runs_table(runs: list[EvalRun]) -> list[dict[str, Any]]:
    from assistant.eval_jobs import STATE_LABELS

    rows = []
    for run in runs:
        row: dict[str, Any] = {
            "実行": run.name,
            "状態": STATE_LABELS.get(run.state, run.state),
            "正解データ": Path(str(run.summary.get("gold", ""))).name,
            "方式": run.summary.get("pipeline", ""),
            "問題数": run.summary.get("n", 0),
        }
        for key, label in METRIC_LABELS.items():
            value = run.metrics.get(key)
            row[label] = round(float(value), 3 if key in RATE_METRICS else 1) if value is not None else None
        rows.append(row)
    return rows


def previous_run(runs: list[EvalRun], current: EvalRun) -> EvalRun | None:
    """The run before `current` on the same gold file (for deltas)."""
    older = [r for r in runs if r.name < current.name and r.summary.get("gold") == current.summary.get("gold")]
    return max(older, key=lambda r: r.name) if older else None


def latency_histogram(latencies_ms: list[float], bins: int = 8) -> list[tuple[str, int]]:
    """Equal-width bins up to the 95th percentile, slower items in a last 「以上」 bin, so
    one cold start does not squeeze everything else into a single bar."""
    if not latencies_ms:
        return []
    ordered = sorted(latencies_ms)
    lo, top = ordered[0], ordered[-1]
    upper = ordered[int(0.95 * (len(ordered) - 1))]
    overflow = upper < top and len(ordered) >= 20
    hi = upper if overflow else top
    n = bins - 1 if overflow else bins
    width = max((hi - lo) / n, 1.0)
    counts = [0] * bins
    for v in ordered:
        counts[bins - 1 if overflow and v > hi else min(int((v - lo) / width), n - 1)] += 1
    labels = [f"{lo + i * width:.0f}–{lo + (i + 1) * width:.0f} ms" for i in range(n)]
    if overflow:
        labels.append(f"{hi:.0f} ms 超")
    return list(zip(labels, counts))
