"""Ranking quality on a held-out slice of the demo data, against BM25 and dense baselines.

Runs ``gradmatch evaluate`` (as a subprocess, exactly as a user would) on the splits written by
``benchmarks/heldout.py`` (held-out candidates for jobs-for-candidates, held-out jobs for
candidates-for-job), with and without training events, and writes
``benchmarks/results/quality.json`` and ``benchmarks/results/quality.md``.

    python benchmarks/run_quality.py [--k 10] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from heldout import make_split  # noqa: E402  (a script beside this one)

RESULTS = HERE / "results"


def _evaluate(split: Path, *, k: int, direction: str, train: bool) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "service.cli",
        "evaluate",
        "--jobs",
        str(split / "jobs.jsonl"),
        "--candidates",
        str(split / "candidates.jsonl"),
        "--relevant",
        str(split / "relevant.csv"),
        "--k",
        str(k),
        "--direction",
        direction,
    ]
    if train:
        cmd += ["--train-events", str(split / "train_events.jsonl")]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"evaluate failed ({proc.returncode}):\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["seconds"] = round(seconds, 1)
    result["command"] = " ".join(["gradmatch", *cmd[3:]])
    return result


def _report(runs: list[dict], splits: dict[str, dict], k: int) -> str:
    key = f"ndcg@{k}"
    lines = [
        "# Ranking quality on held-out slices of the demo data",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.",
    ]
    for direction, split in splits.items():
        lines.append(
            f"- {direction}: {split['n_held_out']} {split['held_out']} held out "
            f"(seed {split['seed']}), {split['n_evaluated_pairs']} evaluated pairs "
            f"({split['n_relevant_pairs']} relevant), {split['n_train_events']} training events; "
            f"pool {split['n_jobs']} jobs x {split['n_candidates']} candidates."
        )
    lines += [
        "",
        f"| direction | ranker | {key} engine | BM25 | dense | ratio vs BM25 | ratio vs dense "
        f"| recall@{k} | mrr | queries | seconds |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        b, d = r["baselines"]["bm25"], r["baselines"]["dense"]
        lines.append(
            f"| {r['direction']} | {'LambdaRank' if r['trained'] else 'transparent'} "
            f"| {r[key]:.4f} | {b[key]:.4f} | {d[key]:.4f} | {r[f'{key}_ratio_vs_bm25']} "
            f"| {r[f'{key}_ratio_vs_dense']} | {r[f'recall@{k}']:.4f} | {r['mrr']:.4f} "
            f"| {r['n_queries']} | {r['seconds']} |"
        )
    lines += ["", "Commands:", ""]
    lines += [f"    {r['command']}" for r in runs]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    runs = []
    splits = {}
    for direction, by in (("jobs-for-candidates", "candidates"), ("candidates-for-job", "jobs")):
        split_dir = RESULTS / f"heldout_{by}"
        splits[direction] = make_split(split_dir, by=by, seed=args.seed)
        for train in (False, True):
            print(f"evaluating {direction}, trained={train} ...", file=sys.stderr, flush=True)
            runs.append(_evaluate(split_dir, k=args.k, direction=direction, train=train))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "quality.json").write_text(
        json.dumps({"splits": splits, "runs": runs}, indent=2, ensure_ascii=False), "utf-8"
    )
    report = _report(runs, splits, args.k)
    (RESULTS / "quality.md").write_text(report, "utf-8")
    print(report)


if __name__ == "__main__":
    main()
