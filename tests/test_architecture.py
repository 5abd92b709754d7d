"""The code base's shape: no module imports one that imports it back, the page only draws
and calls assistant/, and no Japanese word list is spelled in code twice."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _modules() -> dict[str, set[str]]:
    mods: dict[str, set[str]] = {}
    for path in (ROOT / "assistant").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        mods[name] = _imports(path)
    return {m: {d for d in deps if d in mods and d != m} for m, deps in mods.items()}


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = _modules()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            for nxt in graph[node]:
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    cycles = sorted((a, b) for a in graph for b in graph[a] if reaches(b, a))
    assert cycles == []


def test_retrieval_does_not_depend_on_the_answer_engine() -> None:
    graph = _modules()
    for module in ("assistant.retrieval", "assistant.rerank", "assistant.keyword", "assistant.evidence"):
        assert "assistant.answer" not in graph[module] and "assistant.strategies" not in graph[module], module


def test_pages_only_call_the_assistant_package() -> None:
    for path in (ROOT / "app_pages").glob("*.py"):
        for module in _imports(path):
            top = module.split(".")[0]
            assert top in {"assistant", "app_pages", "streamlit", "pandas", "altair", "__future__", "typing",
                           "collections", "pathlib", "datetime", "json", "io", "html", "time", "os", "re",
                           "dataclasses", "uuid", "hashlib", "tempfile", "functools"}, (path.name, module)


def test_counters_are_spelled_only_in_the_lexicon() -> None:
    """A counter list in code drifts from the lexicon's (that is how 「何講座」 was missed)."""
    for path in (ROOT / "assistant").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "世帯|" not in text and "|世帯" not in text and "か所|箇所" not in text, path
