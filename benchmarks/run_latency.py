"""Warm request latency per stage, ingest throughput and memory at a given pool size.

The pool comes from the demo generator (real vocabularies and texts, seeded) at the asked size,
embedded with the default encoder. For each size the script measures, in one run:

- ``recommend_jobs(k=10)`` and ``rank_candidates(k=20)``, p50 / p99 over warm queries, with
  the transparent scorer and with a model trained on the pool's events, with the mean time of
  each stage (``MatchingEngine.stage_timings``);
- beside them, exact numpy top-k over the same vectors (one matrix-vector product and a
  partial sort), the floor any retrieval pays;
- ingest throughput with the default encoder (new texts) and without encoding (texts whose
  vectors are cached), and resident memory per record.

Writes ``benchmarks/results/latency.json`` and ``latency.md``.

    python benchmarks/run_latency.py [--sizes 10000] [--queries 200] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
POOLS = RESULTS / "pools"


def _rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux /proc; peak RSS elsewhere)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pool(n_jobs: int, seed: int) -> Path:
    from matching.demo import build_demo_data

    out = POOLS / f"{n_jobs}-seed{seed}"
    if not (out / "summary.json").exists():
        print(f"generating a pool of {n_jobs} jobs ...", file=sys.stderr, flush=True)
        build_demo_data(out, n_jobs=n_jobs, n_candidates=max(10, n_jobs // 2), seed=seed)
    return out


def _quantiles(ms: list[float]) -> dict[str, float]:
    arr = np.asarray(ms)
    return {
        "p50_ms": round(float(np.percentile(arr, 50)), 2),
        "p99_ms": round(float(np.percentile(arr, 99)), 2),
    }


def _requests(engine: Any, queries: list[str], call: Callable[[str], object]) -> dict:
    """Latency of ``call(query)`` over warm queries, and the mean of each stage."""
    call(queries[0])  # warm caches (columns, standing moments, lexical matrices)
    times, stages = [], {}
    for q in queries:
        start = time.perf_counter()
        call(q)
        times.append((time.perf_counter() - start) * 1e3)
        for name, ms in engine.stage_timings().items():
            stages.setdefault(name, []).append(ms)
    out = _quantiles(times)
    out["stages_mean_ms"] = {k: round(float(np.mean(v)), 2) for k, v in stages.items()}
    return out


def _exact_topk(vectors: np.ndarray, queries: np.ndarray, k: int) -> dict:
    times = []
    for q in queries:
        start = time.perf_counter()
        scores = vectors @ q
        top = np.argpartition(-scores, k)[:k]
        top[np.argsort(-scores[top])]
        times.append((time.perf_counter() - start) * 1e3)
    return _quantiles(times)


def measure(n_jobs: int, n_queries: int, seed: int) -> dict:
    from matching import MatchingEngine, read_candidates, read_events, read_jobs

    pool = _pool(n_jobs, seed)
    jobs = read_jobs(pool / "jobs.jsonl.gz")
    cands = read_candidates(pool / "candidates.jsonl.gz")
    events = read_events(pool / "events.jsonl.gz")
    engine = MatchingEngine()
    rss0 = _rss_mb()
    start = time.perf_counter()
    engine.add_jobs(jobs)
    ingest_jobs = time.perf_counter() - start
    rss_jobs = _rss_mb()
    start = time.perf_counter()
    engine.add_candidates(cands)
    ingest_cands = time.perf_counter() - start
    engine.record_events(events)
    # the same texts again under new ids: their vectors come from the cache
    again = [{**j.to_dict(), "id": f"copy-{j.id}"} for j in jobs[:500]]
    start = time.perf_counter()
    engine.add_jobs(again)
    cached = time.perf_counter() - start
    for j in again:
        engine.remove_job(j["id"])

    rng = np.random.default_rng(seed)
    cand_q = [str(c) for c in rng.choice(engine.candidate_ids(), size=n_queries, replace=False)]
    job_q = [str(j) for j in rng.choice(engine.job_ids(), size=n_queries, replace=False)]
    result: dict = {
        "n_jobs": engine.n_jobs,
        "n_candidates": engine.n_candidates,
        "n_events": len(events),
        "ingest": {
            "jobs_per_s_default_encoder": round(len(jobs) / ingest_jobs, 1),
            "candidates_per_s_default_encoder": round(len(cands) / ingest_cands, 1),
            "jobs_per_s_encoding_cached": round(len(again) / cached, 1),
            "job_text_chars_median": float(np.median([len(j.text) for j in jobs])),
        },
        "memory": {
            "rss_mb_after_all": round(_rss_mb(), 1),
            "kb_per_job_while_ingesting": round((rss_jobs - rss0) * 1024 / len(jobs), 2),
        },
    }
    rank = {
        "recommend_jobs(k=10)": (cand_q, lambda q: engine.recommend_jobs(q, k=10)),
        "rank_candidates(k=20)": (job_q, lambda q: engine.rank_candidates(q, k=20)),
    }
    for label in ("transparent", "trained"):
        if label == "trained":
            start = time.perf_counter()
            report = engine.train_ranker()
            result["training_seconds"] = round(time.perf_counter() - start, 1)
            result["adopted"] = [d.adopted for d in report.directions]
        for name, (queries, call) in rank.items():
            result[f"{name}, {label}"] = _requests(engine, queries, call)
    # the floor: exact top-k by one matrix-vector product over as many unit vectors (the
    # timing depends on the shape only, so random ones of the encoder's width stand in)
    dim = engine.encoder.dim
    for name, n, k in (("jobs", engine.n_jobs, 10), ("candidates", engine.n_candidates, 20)):
        vectors = rng.normal(size=(n, dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        queries = vectors[rng.choice(n, size=n_queries)]
        result[f"exact numpy top-{k} over {name}"] = _exact_topk(vectors, queries, k)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    runs = [measure(n, args.queries, args.seed) for n in args.sizes]
    out = {
        "machine": {
            "arch": platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "runs": runs,
        "command": "python benchmarks/run_latency.py " + " ".join(sys.argv[1:]),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latency.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
