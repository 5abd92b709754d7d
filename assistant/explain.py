"""「回答の根拠（処理の流れ）」 as staff read it under an answer: numbered steps with a bold
label each (how the question was read, what was found, how it was answered or why it was
declined, which sentences were quoted), document sections shortened to their last heading,
scores as one 「質問との一致」 percentage. Built from `Trace.lines_ja()` and the trace's
fields; every piece of text is escaped (plain text).
"""

from __future__ import annotations

import re

from assistant.plain import plain
from assistant.trace import Trace

PASSAGES_SHOWN = 3
QUOTES_SHOWN = 5
QUOTE_CHARS = 80
_LABEL = re.compile(r"^([^:：（(]{2,20})(（[^）]*）)?[:：]\s*(.*)$", re.DOTALL)


def _short(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _leaf(section: str) -> str:
    return section.split(" > ")[-1].strip() if section else "冒頭"


def trace_steps(trace: Trace) -> list[tuple[str, list[str]]]:
    """(label, lines) per step, in order; lines are plain text, not yet escaped."""
    steps: list[tuple[str, list[str]]] = []
    quotes_done = passages_done = False
    for line in trace.lines_ja():
        if line.startswith("見つかった箇所"):
            if not passages_done:
                passages_done = True
                shown = trace.passages[:PASSAGES_SHOWN]
                steps.append((f"見つかった箇所（上位{len(shown)}件）",
                              [f"{p.get('title', '')} — {_leaf(str(p.get('section') or ''))}" for p in shown]))
            continue
        if line.startswith("引用（"):
            if not quotes_done:
                quotes_done = True
                lines = []
                for c in trace.chosen[:QUOTES_SHOWN]:
                    match = f"（質問との一致 {c.coverage:.0%}）" if c.coverage > 0 else ""
                    lines.append(f"「{_short(c.text, QUOTE_CHARS)}」{match}")
                steps.append(("引用した文", lines))
            continue
        if line.startswith("前の質問を踏まえて"):
            steps.append(("会話の流れ", [line]))
            continue
        m = _LABEL.match(line)
        if m:
            label, rest = m.group(1), m.group(3)
            steps.append((label, [rest] if rest else []))
        else:
            steps.append(("補足", [line]))
    return steps


def trace_markdown(trace: Trace) -> str:
    """The steps as Markdown: 「**1. 質問の読み取り**」 then the step's lines (escaped)."""
    out: list[str] = []
    for n, (label, lines) in enumerate(trace_steps(trace), 1):
        if len(lines) == 1 and len(lines[0]) <= 120:
            out.append(f"**{n}. {plain(label)}**　{plain(lines[0])}")
        else:
            out.append(f"**{n}. {plain(label)}**")
            out += [f"- {plain(line)}" for line in lines]
        out.append("")
    return "\n".join(out).strip()
