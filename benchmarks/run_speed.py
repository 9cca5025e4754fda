"""Wall time of ``gradmatch evaluate`` on 1,000 candidates x 500 long Chinese job texts.

The jobs are 500 real job descriptions (the longest-tail half of the bundled 51job / Zhilian
texts, at least 200 characters each) as minimal ``{"id", "description"}`` records; the
candidates are 1,000 demo resumes as minimal ``{"id", "resume_text"}`` records. Every candidate
gets one relevant job and ten training events (seeded), so the run embeds, trains and ranks
the whole pool for 1,000 queries. Writes ``benchmarks/results/speed.json``.

    python benchmarks/run_speed.py [--seed 0]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = ROOT / "matching" / "demo" / "sources"
DEMO = ROOT / "matching" / "demo" / "data"
RESULTS = HERE / "results"
TYPES = ("view", "apply", "interview", "offer", "hire")


def build_inputs(out: Path, *, seed: int = 0, n_jobs: int = 500, n_candidates: int = 1000) -> dict:
    rng = np.random.default_rng(seed)
    texts: list[str] = []
    for path in sorted(SOURCES.glob("zh_jd_*.txt.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            texts += [line.strip() for line in fh if len(line.strip()) >= 200]
    picked = rng.choice(len(texts), size=n_jobs, replace=False)
    jobs = [{"id": f"j{i:04d}", "description": texts[p]} for i, p in enumerate(picked)]
    with gzip.open(DEMO / "candidates.jsonl.gz", "rt", encoding="utf-8") as fh:
        cands = [json.loads(line) for line in fh if line.strip()][:n_candidates]
    candidates = [{"id": c["id"], "resume_text": c["resume_text"]} for c in cands]
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "jobs.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(j, ensure_ascii=False) + "\n" for j in jobs)
    with open(out / "candidates.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in candidates)
    with (
        open(out / "relevant.csv", "w", encoding="utf-8") as rel,
        open(out / "events.jsonl", "w", encoding="utf-8") as ev,
    ):
        rel.write("candidate_id,job_id,relevance\n")
        for c in candidates:
            order = rng.permutation(n_jobs)
            rel.write(f"{c['id']},{jobs[order[0]]['id']},1\n")
            for j in order[1:11]:
                event = {
                    "candidate_id": c["id"],
                    "job_id": jobs[j]["id"],
                    "type": TYPES[int(rng.integers(0, 5))],
                }
                ev.write(json.dumps(event) + "\n")
    chars = [len(j["description"]) for j in jobs]
    return {
        "n_jobs": n_jobs,
        "n_candidates": len(candidates),
        "job_chars_mean": round(float(np.mean(chars)), 1),
        "job_chars_median": float(np.median(chars)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    data = RESULTS / "speed_inputs"
    inputs = build_inputs(data, seed=args.seed)
    runs = {}
    for name, extra in (
        ("untrained", []),
        ("trained", ["--train-events", str(data / "events.jsonl")]),
    ):
        cmd = [
            sys.executable,
            "-m",
            "service.cli",
            "evaluate",
            "--jobs",
            str(data / "jobs.jsonl"),
            "--candidates",
            str(data / "candidates.jsonl"),
            "--relevant",
            str(data / "relevant.csv"),
            *extra,
        ]
        start = time.perf_counter()
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        runs[name] = {
            "seconds": round(seconds, 1),
            "n_queries": result["n_queries"],
            "budget_seconds": 300,
            "within_budget": seconds < 300,
        }
        print(name, runs[name], file=sys.stderr)
    payload = {
        "machine": {
            "arch": platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "inputs": inputs,
        "runs": runs,
        "command": "python benchmarks/run_speed.py",
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps(payload, indent=2), "utf-8")
    print(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
