"""The fairness-relevance trade-off on the demo data: nDCG@10 against the minimum impact ratio.

A fifth of the demo's jobs is held out (``benchmarks/heldout.py``, seed 0); the engine learns
from the other jobs' events, and for each held-out job with an outcome its candidates are
ranked the way a recruiter sees them, under one policy at a time: no policy, the bounded
priority at several tolerances, FA*IR at several alphas, and each multi-group algorithm with
targets from the qualified pool, over gender, school tier and region. Per policy:

- nDCG@10 against the held-out outcomes (apply 1, interview 2, offer 3, hire 4), and its cost
  against the ranking with no policy;
- from the engine's own audit (``MatchingEngine.audit_report``, k = 20): the minimum
  four-fifths impact ratio over the groups of every attribute, and the groups below 0.8.

Writes ``benchmarks/results/fairness.json``, ``fairness.md`` and ``fairness.png``.

    python benchmarks/run_fairness.py [--jobs 150] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import RESULTS, write  # noqa: E402  (scripts beside this one)
from heldout import make_split  # noqa: E402

from matching import MatchingEngine, read_candidates, read_events, read_jobs  # noqa: E402
from ranking import ndcg_at_k  # noqa: E402

ATTRIBUTES = ("gender", "assisted", "school_tier", "region")
OFF = {"priority": {"enabled": False}}


def _pool(kind: str, attribute: str) -> dict:
    return {
        "priority": {"enabled": True},
        "fairness": {"kind": kind, "target_proportions": "pool"},
        "attribute": attribute,
    }


def _fa_ir(alpha: float) -> dict:
    return {
        "priority": {"enabled": True},
        "fairness": {"kind": "fa_ir", "protected_group": "female", "p": 0.45, "alpha": alpha},
        "attribute": "gender",
    }


#: (name, the constrained attribute or None, the policy of the request)
POLICIES: list[tuple[str, str | None, dict]] = [
    ("no policy", None, OFF),
    ("priority, tolerance 0.02 (default)", "assisted", {"priority": {"enabled": True}}),
    ("priority, tolerance 0.05", "assisted", {"priority": {"enabled": True, "tolerance": 0.05}}),
    ("priority, tolerance 0.10", "assisted", {"priority": {"enabled": True, "tolerance": 0.1}}),
    ("FA*IR gender, p 0.45, alpha 0.05", "gender", _fa_ir(0.05)),
    ("FA*IR gender, p 0.45, alpha 0.10", "gender", _fa_ir(0.1)),
    ("FA*IR gender, p 0.45, alpha 0.20", "gender", _fa_ir(0.2)),
    ("DetGreedy gender, pool", "gender", _pool("det_greedy", "gender")),
    ("DetCons gender, pool", "gender", _pool("det_cons", "gender")),
    ("DetRelaxed gender, pool", "gender", _pool("det_relaxed", "gender")),
    ("DetConstSort gender, pool", "gender", _pool("det_const_sort", "gender")),
    ("DetCons school tier, pool", "school_tier", _pool("det_cons", "school_tier")),
    ("DetRelaxed school tier, pool", "school_tier", _pool("det_relaxed", "school_tier")),
    ("DetConstSort school tier, pool", "school_tier", _pool("det_const_sort", "school_tier")),
    ("DetCons region, pool", "region", _pool("det_cons", "region")),
    ("DetConstSort region, pool", "region", _pool("det_const_sort", "region")),
]


def _relevance(path: Path) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        cid, jid, grade = line.split(",")
        out[jid][cid] = int(grade)
    return out


def _engine(split: Path) -> MatchingEngine:
    engine = MatchingEngine()
    engine.add_jobs(read_jobs(split / "jobs.jsonl"))
    engine.add_candidates(read_candidates(split / "candidates.jsonl"))
    engine.record_events(read_events(split / "train_events.jsonl"))
    engine.train_ranker()
    return engine


def _run(engine: MatchingEngine, jobs: list[str], labels: dict, policy: dict) -> dict:
    scores = []
    for job_id in jobs:
        ranked = engine.rank_candidates(job_id, k=10, policy=policy)
        gains = [labels[job_id].get(m.id, 0) for m in ranked]
        scores.append(ndcg_at_k(gains, 10, all_relevance=list(labels[job_id].values())))
    audit = engine.audit_report(jobs, k=20, attributes=ATTRIBUTES, policy=policy).to_dict()
    return {
        "ndcg_at_10": round(float(np.mean(scores)), 4),
        "min_impact_ratio": {
            a: audit["attributes"][a]["four_fifths"]["min_impact_ratio"] for a in ATTRIBUTES
        },
        "below_four_fifths": {
            a: audit["attributes"][a]["four_fifths"]["below"] for a in ATTRIBUTES
        },
        "audit_ndcg_cost": audit["relevance"]["ndcg_cost"],
        "positions_moved": audit["priority"]["positions_moved"],
    }


def _plot(runs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 5.5))
    for r in runs:
        attribute = r["attribute"] or "gender"
        x = r["min_impact_ratio"][attribute]
        ax.scatter(x, r["ndcg_at_10"], s=30)
        ax.annotate(r["run"], (x, r["ndcg_at_10"]), fontsize=7, xytext=(4, 2),
                    textcoords="offset points")  # fmt: skip
    ax.axvline(0.8, color="black", linestyle="--", linewidth=1)
    ax.set_xlabel("minimum impact ratio at k=20 over the groups of the constrained attribute")
    ax.set_ylabel("nDCG@10 on held-out outcomes")
    ax.set_title("Fairness against relevance on the demo data (held-out postings)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=150, help="held-out jobs to rank")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    split_dir = RESULTS / "heldout_jobs"
    split = make_split(split_dir, by="jobs", seed=args.seed)
    labels = _relevance(split_dir / "relevant.csv")
    jobs = sorted(j for j, rel in labels.items() if max(rel.values()) > 0)[: args.jobs]
    print(f"building and training the engine ({len(jobs)} jobs to rank) ...", file=sys.stderr)
    start = time.perf_counter()
    engine = _engine(split_dir)
    build_s = time.perf_counter() - start
    runs = []
    for name, attribute, policy in POLICIES:
        t = time.perf_counter()
        result = _run(engine, jobs, labels, policy)
        result.update(run=name, attribute=attribute, policy=policy,
                      seconds=round(time.perf_counter() - t, 1))  # fmt: skip
        runs.append(result)
        print(f"{name}: {result['ndcg_at_10']} {result['min_impact_ratio']}", file=sys.stderr)
    base = runs[0]["ndcg_at_10"]
    for r in runs:
        r["ndcg_cost"] = round(1.0 - r["ndcg_at_10"] / base, 4) if base else None
    _plot(runs, RESULTS / "fairness.png")
    lines = [
        "# Fairness against relevance on the demo data",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, one BLAS thread. {len(jobs)} held-out postings "
        f"with an outcome (seed {args.seed}); ranker trained on the other postings' events "
        f"(model {engine.model_version('candidates')}; engine built and trained in "
        f"{build_s:.0f} s).",
        "",
        "nDCG@10 is on the held-out outcomes; its cost is relative to the ranking with no "
        "policy. Impact ratios are the engine's audit at k = 20 (selected over retrieved, each "
        "group over the best-served group; groups under 2% of the pool left out).",
        "",
        "| policy | nDCG@10 | nDCG cost | min impact ratio: gender | assisted | school tier "
        "| region | below 0.8 (constrained attribute) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        m = r["min_impact_ratio"]
        below = r["below_four_fifths"].get(r["attribute"] or "gender", [])
        lines.append(
            f"| {r['run']} | {r['ndcg_at_10']:.4f} | {r['ndcg_cost']:+.2%} | {m['gender']} "
            f"| {m['assisted']} | {m['school_tier']} | {m['region']} "
            f"| {', '.join(below) or 'none'} |"
        )
    command = f"python benchmarks/run_fairness.py --jobs {args.jobs} --seed {args.seed}"
    lines += ["", "![trade-off](fairness.png)", "", "Command:", "", f"    {command}"]
    report = "\n".join(lines) + "\n"
    write("fairness", {"split": split, "n_jobs": len(jobs), "runs": runs}, report)
    print(report)


if __name__ == "__main__":
    main()
