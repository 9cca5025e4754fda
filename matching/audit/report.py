"""Fairness audit reports: what the policy stages did to recruiters' lists, per attribute.

For each job of the audit, the candidates a recruiter's ranking would see are scored and put
through the stages: ``model`` (the scorer's order, fit first), ``priority`` (after the bounded
priority for assisted graduates) and ``final`` (after the fairness constraint, where the
policy has one). For each fairness attribute the report gives, per group and per stage and
summed over the jobs, how many of the group's candidates were retrieved (its pool) and how
many reached the top ``k``; the selection rate and impact ratio of the four-fifths rule;
the exposure ratio (position-weighted, :func:`ranking.exposure_ratios`); and the skew at
``k`` against the group's pool share. A four-fifths check names each group whose final
impact ratio is below 0.8. Groups with fewer than :data:`MIN_POOL_SHARE` of the pooled
candidates are shown but left out of the check, as bias audits under NYC Local Law 144 may
leave out categories below 2% of the data: their ratios rest on a handful of people. The
ratios of every group are to the best-served group among those checked, so a small group's
ratio may exceed 1.

The relevance cost of the constraints is 1 minus the nDCG@k of the final order, with the
scorer's relevance on its [0, 1] scale as gain (0 for a candidate without evidence of fit for
the job), so that the model's own order scores 1.0. Only group-level counts appear; no
candidate's attribute does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from matching.audit.charts import chart_png, write_charts
from matching.policy import RankingPolicy, groups_of, order
from ranking import FOUR_FIFTHS, apply_priority, ndcg_at_k

if TYPE_CHECKING:  # pragma: no cover
    from matching.pipeline import Candidates

__all__ = ["AUDIT_ATTRIBUTES", "AuditReport", "MIN_POOL_SHARE", "STAGES", "build_report"]

#: The attributes an audit reports on unless told otherwise: those with fixed group labels
#: (``ethnicity`` and ``origin``, free text with many small groups, on request).
AUDIT_ATTRIBUTES = ("gender", "assisted", "disability", "school_tier", "region")

#: The stages the report follows each ranking through.
STAGES = ("model", "priority", "final")

#: Groups below this share of the pooled candidates are left out of the four-fifths check.
MIN_POOL_SHARE = 0.02


@dataclass
class _Tally:
    pooled: dict[str, int] = field(default_factory=dict)
    selected: dict[str, dict[str, int]] = field(default_factory=dict)
    exposure: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, groups: np.ndarray, stages: dict[str, np.ndarray]) -> None:
        for g in groups.tolist():
            self.pooled[g] = self.pooled.get(g, 0) + 1
        for stage, top in stages.items():
            sel = self.selected.setdefault(stage, {})
            exp = self.exposure.setdefault(stage, {})
            weights = 1.0 / np.log2(np.arange(2, len(top) + 2))
            for g, w in zip(groups[top].tolist(), weights.tolist(), strict=True):
                sel[g] = sel.get(g, 0) + 1
                exp[g] = exp.get(g, 0.0) + w


def _round(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 4)


@dataclass(frozen=True)
class AuditReport:
    """A fairness audit of recruiters' rankings (see the module notes).

    Attributes
    ----------
    data : dict
        The JSON-ready report: ``k``, ``n_jobs``, ``policy``, ``model_version``,
        ``attributes`` (per attribute: ``groups`` with their pool and, per stage,
        ``selected``, ``selection_rate``, ``impact_ratio``, ``exposure_ratio``, ``skew``;
        and ``four_fifths``), ``relevance`` (nDCG@k per stage and the cost of the
        constraints) and ``priority`` (rankings changed, candidates promoted, positions
        moved).
    """

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return self.data

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``audit_report.json`` and one ``audit_<attribute>.png`` per attribute.

        Returns the paths written, the report first.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / "audit_report.json"
        path.write_text(json.dumps(self.data, ensure_ascii=False, indent=2), encoding="utf-8")
        return [path, *write_charts(self.data, out)]

    def chart_png(self, attribute: str) -> bytes:
        """The chart of one attribute as PNG bytes (see :func:`matching.audit.chart_png`)."""
        return chart_png(self.data, attribute)

    def below_four_fifths(self, attribute: str) -> list[str]:
        """The groups of ``attribute`` whose final impact ratio is below 0.8."""
        return list(self.data["attributes"][attribute]["four_fifths"]["below"])


def _attribute_section(tally: _Tally, stages: Sequence[str]) -> dict[str, Any]:
    total = sum(tally.pooled.values())
    # groups large enough to be checked; the ratios are to the best of them
    large = [g for g, n in tally.pooled.items() if n >= MIN_POOL_SHARE * total] or list(
        tally.pooled
    )
    groups: dict[str, Any] = {}
    for stage in stages:
        sel = tally.selected.get(stage, {})
        exp = tally.exposure.get(stage, {})
        rates = {g: sel.get(g, 0) / n for g, n in tally.pooled.items()}
        per_member = {g: exp.get(g, 0.0) / n for g, n in tally.pooled.items()}
        top_rate = max(rates[g] for g in large)
        top_exp = max(per_member[g] for g in large)
        n_selected = sum(sel.values())
        for g, n in tally.pooled.items():
            share = sel.get(g, 0) / n_selected if n_selected else math.nan
            entry = groups.setdefault(g, {"pooled": n, "pool_share": _round(n / total)})
            entry.setdefault("stages", {})[stage] = {
                "selected": sel.get(g, 0),
                "selection_rate": _round(rates[g]),
                "impact_ratio": _round(rates[g] / top_rate) if top_rate else None,
                "exposure_ratio": _round(per_member[g] / top_exp) if top_exp else None,
                "skew": _round(math.log(share / (n / total))) if share > 0 else None,
            }
    # largest group first
    groups = dict(sorted(groups.items(), key=lambda item: (-item[1]["pooled"], item[0])))
    final = stages[-1]
    checked = {g: e for g, e in groups.items() if g in large}
    below = [
        g
        for g, e in checked.items()
        if e["stages"][final]["impact_ratio"] is not None
        and e["stages"][final]["impact_ratio"] < FOUR_FIFTHS
    ]
    ratios = [e["stages"][final]["impact_ratio"] for e in checked.values()]
    known = [r for r in ratios if r is not None]
    return {
        "groups": groups,
        "four_fifths": {
            "stage": final,
            "threshold": FOUR_FIFTHS,
            "below": sorted(below),
            "min_impact_ratio": min(known) if known else None,
            "left_out_small_groups": sorted(set(groups) - set(checked)),
        },
    }


def build_report(
    scored: Iterable[tuple[str, Candidates]],
    *,
    k: int,
    policy: RankingPolicy,
    attributes: Sequence[str] = AUDIT_ATTRIBUTES,
    model_version: str = "",
) -> AuditReport:
    """Run each job's candidates through the stages and tally the report.

    Parameters
    ----------
    scored : iterable of (job_id, Candidates)
        Each job's retrieved, scored candidates (:meth:`RankingPipeline.candidates_for`).
    k : int
        The cut-off of the recruiter's list.
    policy : RankingPolicy
        The policy the stages run under.
    attributes : sequence of str
        The attributes to report on.
    model_version : str
        Recorded in the report.
    """
    tallies = {a: _Tally() for a in attributes}
    ndcg: dict[str, list[float]] = {s: [] for s in STAGES}
    n_jobs = changed_priority = changed_final = promoted = moved = 0
    for _, c in scored:
        n = len(c.candidates)
        if n == 0:
            continue
        n_jobs += 1
        relevance = np.asarray(c.relevance, dtype=np.float64)
        model_top = np.argsort(-relevance, kind="stable")[:k]
        assisted = np.asarray([s.assisted for s in c.sensitive], dtype=bool)
        prio_top = np.asarray(apply_priority(relevance, assisted, policy.priority).order)[:k]
        final_top, record = order(
            relevance, c.candidates, c.sensitive, k, policy, qualified=c.qualified
        )
        changed_priority += bool(record["priority_changed"])
        changed_final += bool(record["fairness_changed"])
        promoted += int(record["n_promoted"])
        moved += int(record["positions_moved"])
        stages = {"model": model_top, "priority": prio_top, "final": final_top}
        # fit first leaves candidates without evidence of fit below 0: they gain nothing
        gains = np.clip(np.nan_to_num(relevance, nan=0.0), 0.0, 1.0)
        for stage, top in stages.items():
            if gains.sum() > 0:
                ndcg[stage].append(ndcg_at_k(gains[top], k, all_relevance=gains))
        for attribute, tally in tallies.items():
            groups = np.asarray(groups_of(c.candidates, c.sensitive, attribute), dtype=object)
            tally.add(groups, stages)
    mean = {s: _round(float(np.mean(v))) if v else None for s, v in ndcg.items()}
    data = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "k": k,
        "n_jobs": n_jobs,
        "model_version": model_version,
        "policy": policy.to_dict(),
        "stages": list(STAGES),
        "attributes": {a: _attribute_section(t, STAGES) for a, t in tallies.items() if n_jobs},
        "relevance": {
            "gain": "the scorer's relevance on its [0, 1] scale; 0 without evidence of fit",
            "ndcg_at_k": mean,
            "ndcg_cost": (_round(1.0 - mean["final"]) if mean["final"] is not None else None),
        },
        "priority": {
            "rankings_changed": changed_priority,
            "n_promoted": promoted,
            "positions_moved": moved,
        },
        "fairness": {"rankings_changed": changed_final},
    }
    return AuditReport(data)
