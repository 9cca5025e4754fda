"""Ranking quality on held-out slices of the demo data, against every baseline of the same run.

Runs ``gradmatch evaluate`` (as a subprocess, exactly as a user would) on the splits written by
``benchmarks/heldout.py`` and writes ``benchmarks/results/quality.json`` and ``quality.md``:

- *new graduates*: a fifth of the candidates (seed 0) is held out; their events are the
  relevance labels and everyone else's events train. Once with the events as they are (they
  carry timestamps, so training cuts them by time), once without timestamps (training cuts
  them by query).
- *new postings*: a fifth of the jobs is held out, candidates ranked for each; once with the
  applications as relevant, once with the employers' steps only (an interview, an offer, a
  hire: whom the employer took further, which a recruiter's list is for).

With ``--damping`` the trained new-graduates run is repeated with the popularity damping on
(coverage and exposure Gini against nDCG); with ``--ablations`` with each feature family left
out.

    python benchmarks/run_quality.py [--seed 0] [--damping] [--ablations]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import HEADER, RESULTS, evaluate, row, write  # noqa: E402  (scripts beside this one)
from heldout import make_split  # noqa: E402

#: Feature families for the ablations: each run leaves one family's columns out.
FAMILIES = {
    "semantic": ["semantic_similarity", "semantic_for_candidate", "semantic_for_job"],
    "lexical": ["lexical_similarity", "lexical_for_candidate", "lexical_for_job"],
    "skills": [
        "skill_coverage",
        "preferred_skill_coverage",
        "skill_overlap",
        "matched_skills",
        "missing_skills",
    ],
    "profile fit": [
        "degree_gap",
        "major_match",
        "major_field_fit",
        "city_match",
        "job_type_match",
        "salary_ratio",
        "experience_gap",
    ],
    "freshness": ["days_since_posted"],
    "popularity": [
        "job_engagement",
        "job_applications",
        "job_outcomes",
        "job_apply_rate",
        "remaining_headcount",
    ],
    "activity": ["candidate_activity"],
    "collaborative": ["collaborative"],
    "neighbours": ["similar_candidates", "history_similarity", "applicant_similarity"],
}
DAMPING = (0.1, 0.2, 0.4)


def _disable(family: str) -> list[str]:
    return [arg for name in FAMILIES[family] for arg in ("--disable-feature", name)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--damping", action="store_true")
    parser.add_argument("--ablations", action="store_true")
    args = parser.parse_args()
    grads = RESULTS / "heldout_candidates"
    posts = RESULTS / "heldout_jobs"
    splits = {
        "new graduates": make_split(grads, by="candidates", seed=args.seed),
        "new postings": make_split(posts, by="jobs", seed=args.seed),
    }
    plan = [
        ("new graduates", grads, "jobs-for-candidates", None, []),
        ("new graduates", grads, "jobs-for-candidates", grads / "train_events.jsonl", []),
        (
            "new graduates, events without time",
            grads,
            "jobs-for-candidates",
            grads / "train_events_untimed.jsonl",
            [],
        ),
        ("new postings", posts, "candidates-for-job", None, []),
        ("new postings", posts, "candidates-for-job", posts / "train_events.jsonl", []),
        ("new postings, employer steps", posts, "candidates-for-job", None, []),
        (
            "new postings, employer steps",
            posts,
            "candidates-for-job",
            posts / "train_events.jsonl",
            [],
        ),
    ]
    if args.damping:
        plan += [
            (f"new graduates, damping {d}", grads, "jobs-for-candidates",
             grads / "train_events.jsonl", ["--popularity-damping", str(d)])
            for d in DAMPING
        ]  # fmt: skip
    if args.ablations:
        plan += [
            (f"new graduates, without {f}", grads, "jobs-for-candidates",
             grads / "train_events.jsonl", _disable(f))
            for f in FAMILIES
        ]  # fmt: skip
    runs = []
    for name, split, direction, events, extra in plan:
        print(f"evaluating {name} ({'trained' if events else 'untrained'}) ...", file=sys.stderr)
        relevant = "relevant_employer.csv" if "employer steps" in name else "relevant.csv"
        result = evaluate(split, direction=direction, events=events, extra=extra, relevant=relevant)
        result["run"] = name
        runs.append(result)
    untrained = {r["run"]: r for r in runs if not r["trained"]}
    lines = [
        "# Ranking quality on held-out slices of the demo data",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, one BLAS thread.",
        "",
    ]
    for name, split in splits.items():
        lines.append(
            f"- {name}: {split['n_held_out']} {split['held_out']} held out (seed "
            f"{split['seed']}), {split['n_evaluated_pairs']} evaluated pairs "
            f"({split['n_relevant_pairs']} relevant, {split.get('n_employer_pairs', 0)} with an "
            f"employer step), {split['n_train_events']} training "
            f"events; pool {split['n_jobs']} jobs x {split['n_candidates']} candidates."
        )
    lines += ["", HEADER]
    for r in runs:
        base = (
            untrained.get(r["run"], untrained.get(r["run"].split(",")[0])) if r["trained"] else None
        )
        lines.append(row(r["run"], r, base))
    lines += ["", "Commands:", ""] + [f"    {r['command']}" for r in runs]
    report = "\n".join(lines) + "\n"
    write("quality", {"splits": splits, "runs": runs}, report)
    print(report)


if __name__ == "__main__":
    main()
