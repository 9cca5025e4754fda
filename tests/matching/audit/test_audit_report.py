"""Known answers of the fairness audit report, tallied over hand-made rankings."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from matching.audit import build_report
from matching.pipeline import Candidates
from matching.policy import RankingPolicy
from matching.records import CandidateProfile, SensitiveAttributes
from ranking import FairnessConstraint, PriorityPolicy

F, M = SensitiveAttributes(gender="female"), SensitiveAttributes(gender="male")
POOR = SensitiveAttributes(gender="female", hardship=("脱贫家庭",))


def _job(relevance: list[float], sensitive: list[SensitiveAttributes]) -> Candidates:
    cands = [CandidateProfile(id=f"c{i}", resume_text="毕业生") for i in range(len(relevance))]
    return Candidates(
        cands, np.zeros((len(cands), 1)), None, np.asarray(relevance), None, sensitive
    )  # type: ignore[arg-type]


def test_counts_rates_ratios_and_skew() -> None:
    # two jobs of four candidates (2 f, 2 m each); the men score higher; k = 2
    jobs = [
        ("j1", _job([0.9, 0.8, 0.3, 0.2], [M, M, F, F])),
        ("j2", _job([0.9, 0.5, 0.4, 0.1], [M, F, M, F])),
    ]
    off = RankingPolicy(priority=PriorityPolicy(enabled=False))
    data = build_report(jobs, k=2, policy=off, attributes=["gender"]).to_dict()
    assert data["n_jobs"] == 2 and data["k"] == 2
    groups = data["attributes"]["gender"]["groups"]
    model = {g: groups[g]["stages"]["model"] for g in groups}
    # men: 3 of 4 pooled selected; women: 1 of 4
    assert model["male"]["selected"] == 3 and model["female"]["selected"] == 1
    assert model["male"]["selection_rate"] == 0.75 and model["female"]["selection_rate"] == 0.25
    assert model["female"]["impact_ratio"] == pytest.approx(1 / 3, abs=1e-4)
    # skew: women hold 1 of 4 selected against a pool share of 1/2
    assert model["female"]["skew"] == pytest.approx(math.log(0.25 / 0.5), abs=1e-4)
    # exposure per pooled member: men 1 + 1/log2(3) + 1 over 4; women 1/log2(3) over 4
    e_m = (2 + 1 / math.log2(3)) / 4
    e_f = (1 / math.log2(3)) / 4
    assert model["female"]["exposure_ratio"] == pytest.approx(e_f / e_m, abs=1e-4)
    assert data["attributes"]["gender"]["four_fifths"]["below"] == ["female"]
    assert data["relevance"]["ndcg_at_k"]["model"] == 1.0 and data["relevance"]["ndcg_cost"] == 0
    assert data["priority"] == {"rankings_changed": 0, "n_promoted": 0, "positions_moved": 0}


def test_priority_moves_and_fairness_cost_are_reported(tmp_path: Path) -> None:
    jobs = [("j1", _job([0.90, 0.895, 0.885, 0.2], [M, M, POOR, F]))]
    on = RankingPolicy(priority=PriorityPolicy(enabled=True, tolerance=0.02))
    data = build_report(jobs, k=3, policy=on, attributes=["assisted"]).to_dict()
    # the assisted candidate passed both men, who were within 0.02
    assert data["priority"] == {"rankings_changed": 1, "n_promoted": 1, "positions_moved": 2}
    groups = data["attributes"]["assisted"]["groups"]
    assert groups["assisted"]["stages"]["model"]["exposure_ratio"] < 1.0
    assert groups["assisted"]["stages"]["priority"]["exposure_ratio"] == 1.0
    cost = data["relevance"]["ndcg_at_k"]
    assert cost["model"] == 1.0 and 0.99 < cost["priority"] < 1.0
    fair = RankingPolicy(
        priority=PriorityPolicy(enabled=False),
        fairness=FairnessConstraint(
            kind="det_cons", target_proportions={"female": 0.5, "male": 0.5}
        ),
    )
    report = build_report(jobs, k=2, policy=fair, attributes=["gender"])
    final = report.to_dict()["attributes"]["gender"]["groups"]
    assert final["female"]["stages"]["final"]["selected"] == 1
    assert final["female"]["stages"]["model"]["selected"] == 0
    assert report.to_dict()["fairness"]["rankings_changed"] == 1
    assert report.to_dict()["relevance"]["ndcg_cost"] > 0
    paths = report.write(tmp_path)
    assert [p.name for p in paths] == ["audit_report.json", "audit_gender.png"]
    assert report.chart_png("gender").startswith(b"\x89PNG")


def test_small_groups_are_shown_but_left_out_of_the_check() -> None:
    # 60 candidates per job: one "other" among them (under 2% of the pool), never selected
    sensitive = [M] * 30 + [F] * 29 + [SensitiveAttributes(gender="other")]
    relevance = list(np.linspace(1.0, 0.0, 60))
    interleaved = [sensitive[i // 2] if i % 2 == 0 else sensitive[30 + i // 2] for i in range(58)]
    job = _job(relevance, [*interleaved, M, sensitive[-1]])
    data = build_report([("j", job)], k=20, policy=RankingPolicy(), attributes=["gender"])
    check = data.to_dict()["attributes"]["gender"]["four_fifths"]
    assert check["left_out_small_groups"] == ["other"] and "other" not in check["below"]
