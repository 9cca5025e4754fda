"""Skill extraction measured against hand-labelled real postings."""

from __future__ import annotations

import json
from pathlib import Path

from matching.lexicon import SkillVocabulary

LABELS = Path(__file__).resolve().parents[2] / "data" / "skill_labels.jsonl"


def test_precision_and_recall_on_labelled_postings() -> None:
    vocab = SkillVocabulary.default()
    tp = fp = fn = 0
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        found, wanted = set(vocab.extract(item["text"])), set(item["skills"])
        tp += len(found & wanted)
        fp += len(found - wanted)
        fn += len(wanted - found) + len(item["outside_lexicon"])
    # Observed: precision 0.968, recall 0.923 (335 found, 11 wrong, 28 missed).
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.9
