"""The first line of an answer: the asked-for value, or 「はい」/「いいえ」, with its marker.

「29名 [1]。」 for 「何名参加した？」; 「一関市: 令和6年度から… [1]、岩国市: … [2]。」 for a
comparison; 「はい [1]。」 for a yes/no question. Nothing for questions without such a value.
"""

from __future__ import annotations

import re

from assistant.docview import Statement
from assistant.query import Query
from assistant.text import value_text
from assistant.types import Citation
from assistant.values import unit_value, value_patterns

MAX_VALUES = 4  # values of one statement shown in the lead
_SPACE = re.compile(r"\s+")


def value_lead(query: Query, cited: list[Statement], citations: list[Citation]) -> str | None:
    value_re = value_patterns().get(query.answer_type)
    if not value_re or query.answer_type == "place":
        return None  # a venue is read in its line, not cut out of it
    unit = query.unit
    if unit:
        # 「何名」 is answered by a number of people, not by the first number in the row.
        value_re = unit_value(unit)
    comparison = len(query.cities) >= 2
    parts: list[str] = []
    stated: set[str] = set()
    for st, citation in zip(cited, citations):
        values: list[str] = []
        text = value_text(st.text)
        for m in value_re.finditer(_SPACE.sub("", text) if unit else text):
            v = _SPACE.sub("", m.group(0))
            if v not in values and (v not in stated or comparison):
                values.append(v)
        stated.update(values)
        if values:
            # A comparison says whose value is whose (「一関市: 令和6年度から… [1]」).
            label = f"{st.chunk.city}: " if comparison and st.chunk.city else ""
            parts.append(f"{label}{'、'.join(values[:MAX_VALUES])} [{citation.n}]")
        if len(parts) >= max(2, len(query.cities)):
            break
    return "、".join(parts) + "。" if parts else None


def lead(query: Query, cited: list[Statement], citations: list[Citation], verdict: str | None) -> str | None:
    value = value_lead(query, cited, citations)
    if verdict and citations:
        return f"{verdict}。{value}" if value else f"{verdict} [{citations[0].n}]。"
    return value
