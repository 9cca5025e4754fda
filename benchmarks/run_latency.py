"""Warm request latency per stage, ingest, index build, recall and memory against pool size.

Pools come from :mod:`pools` (grown from the demo generator's records, seeded; vectors from
the default encoder over the base pool's texts plus seeded noise per record, see there). For
each size, in one run:

- ``recommend_jobs(k=10)`` and ``rank_candidates(k=20)``, p50 / p99 over warm queries, with
  the transparent scorer and with a model trained on the pool's events, with the mean time of
  each stage (``MatchingEngine.stage_timings``);
- beside them, exact numpy top-k over the same job (candidate) vectors, the floor any
  retrieval pays, and the ratio of each request to it;
- recall@100 of the engine's index against exact search over the same vectors, without a
  filter and with one (the jobs of a few cities, as a hard filter on city gives);
- index build time, ingest throughput without encoding, resident memory per record;
- writes of one job at a time and the first read after each.

Requests and writes are measured after ``MatchingEngine.warm_up`` (timed too), as a server
runs them: it builds every view a request reads before it answers.

Once per run: ingest throughput with the default encoder, on short postings (a title and the
first 100 characters of a description) and on whole ones.

Writes ``benchmarks/results/latency.json``, ``latency.md`` and ``latency.png``.

    python benchmarks/run_latency.py [--sizes 10000 100000] [--queries 200] [--seed 0]
        [--index hnsw]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import code_version  # noqa: E402
from pools import MARKER, SampleEncoder, base_pool, pool_dir, read_chunks  # noqa: E402

RESULTS = HERE / "results"
# Texts are embedded whole: copies of a record then share their base text's vector (see
# pools.SampleEncoder); chunking long texts is an encoder cost, measured with the real one.
WHOLE_TEXTS = 50_000
RECALL_K = 100
STAGES = (
    "filters",
    "retrieval",
    "features",
    "model",
    "policy",
    "audit",
    "contributions",
    "reasons",
)


def _rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux /proc; peak RSS elsewhere)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def _exact_topk(vectors: np.ndarray, queries: np.ndarray, k: int) -> tuple[dict, np.ndarray]:
    """Latency of exact top-k by one matrix-vector product and a partial sort; the top ids."""
    times, tops = [], []
    for q in queries:
        start = time.perf_counter()
        scores = vectors @ q
        top = np.argpartition(-scores, k)[:k]
        tops.append(top[np.argsort(-scores[top])])
        times.append((time.perf_counter() - start) * 1e3)
    return _quantiles(times), np.asarray(tops)


def _recall(index: Any, vectors: np.ndarray, queries: np.ndarray, allowed: np.ndarray | None):
    """recall@RECALL_K of ``index`` against exact search over ``vectors`` (rows = index ids)."""
    if allowed is None:
        exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :RECALL_K]
        found = index.search(queries, RECALL_K).ids
    else:
        sub = vectors[allowed]
        order = np.argsort(-(queries @ sub.T), axis=1)[:, :RECALL_K]
        exact = allowed[order]
        found = index.search(queries, RECALL_K, allowed_ids=allowed).ids
    hits = sum(len(set(e.tolist()) & set(f.tolist())) for e, f in zip(exact, found, strict=True))
    return round(hits / exact.size, 4)


def _encoder(seed: int) -> SampleEncoder:
    """The sample encoder over the default one, its base vectors kept beside the base pool."""
    from embeddings import load_encoder

    enc = SampleEncoder(load_encoder())
    memo = base_pool(seed) / f"vectors-{enc.name}.npz"
    if memo.exists():
        with np.load(memo) as saved:
            enc.remember(saved["texts"].tolist(), saved["vectors"])
    return enc


def _save_memo(enc: SampleEncoder, seed: int) -> None:
    texts, vectors = enc.remembered()
    np.savez(base_pool(seed) / f"vectors-{enc.name}.npz", texts=np.asarray(texts), vectors=vectors)


def ingest_with_default_encoder(seed: int, n: int = 1000) -> dict:
    """Jobs per second through a fresh engine with the default encoder, short and whole."""
    from matching import MatchingEngine

    with gzip.open(base_pool(seed) / "jobs.jsonl.gz", "rt", encoding="utf-8") as fh:
        base = [json.loads(line) for _, line in zip(range(n), fh, strict=False)]
    out: dict[str, Any] = {}
    for name, cut in (("short", 100), ("whole", None)):
        records = [
            {
                **j,
                "id": f"{name}-{i}",
                # unique texts, so nothing comes from the cache
                "title": f"{j['title']}（{name}{i}）",
                "description": j["description"][:cut] if cut else j["description"],
            }
            for i, j in enumerate(base)
        ]
        engine = MatchingEngine()
        # the model's weights and the segmenter's dictionary load on first use: not ingest
        engine.add_jobs([{**records[0], "id": "warm", "title": "预热", "description": "预热"}])
        start = time.perf_counter()
        engine.add_jobs(records)
        seconds = time.perf_counter() - start
        chars = [len(r["title"]) + len(r["description"]) for r in records]
        out[name] = {
            "jobs": len(records),
            "jobs_per_s": round(len(records) / seconds, 1),
            "text_chars_median": float(np.median(chars)),
        }
    return out


def _trimmed_rss_mb() -> float:
    """Resident memory after a full collection, with freed heap handed back to the system."""
    gc.collect()
    # not glibc: the figure then keeps freed but unreturned memory
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return _rss_mb()


def _p50(run: dict, name: str) -> Any:
    # runs written before events were measured have no such entry
    return run[name]["p50_ms"] if name in run else "-"


def _writes(engine: Any, files: Path, cand_q: list[str]) -> dict:
    """One new job at a time (encoding excluded), and the first read after each."""
    write_ms, read_after_ms = [], []
    with gzip.open(files / "jobs.jsonl.gz", "rt", encoding="utf-8") as fh:
        sample = [json.loads(line) for _, line in zip(range(40), fh, strict=False)]
    for i, src in enumerate(sample):
        # a new marker: a text of its own, whose base vector the sample encoder holds
        title = f"〔p9{i:07d}〕" + MARKER.sub("", src["title"])
        record = {**src, "id": f"write-{i}", "title": title}
        start = time.perf_counter()
        engine.add_jobs([record])
        write_ms.append((time.perf_counter() - start) * 1e3)
        start = time.perf_counter()
        engine.recommend_jobs(cand_q[i % len(cand_q)], k=10)
        read_after_ms.append((time.perf_counter() - start) * 1e3)
    # one event at a time (a student's view of one of the new jobs), and the read after each
    event_ms, read_after_event_ms = [], []
    for i in range(len(sample)):
        event = {"candidate_id": cand_q[(i + 1) % len(cand_q)], "job_id": f"write-{i}",
                 "type": "view"}  # fmt: skip
        start = time.perf_counter()
        engine.record_events([event])
        event_ms.append((time.perf_counter() - start) * 1e3)
        start = time.perf_counter()
        engine.recommend_jobs(cand_q[i % len(cand_q)], k=10)
        read_after_event_ms.append((time.perf_counter() - start) * 1e3)
    for i in range(len(sample)):
        engine.remove_job(f"write-{i}")  # and the events recorded for it
    out = {
        "write one job": _quantiles(write_ms),
        "read after a write": _quantiles(read_after_ms),
        "record one event": _quantiles(event_ms),
        "read after an event": _quantiles(read_after_event_ms),
    }
    print(json.dumps(out), file=sys.stderr, flush=True)
    return out


def measure(
    n_jobs: int,
    n_queries: int,
    seed: int,
    index_kind: str,
    *,
    writes_only: bool = False,
    no_training: bool = False,
) -> dict:
    from embeddings import create_index
    from matching import Candidate, EngineConfig, Job, JobFilters, MatchingEngine

    # written by a child process, so that building the pool leaves no memory behind here
    subprocess.run([sys.executable, str(HERE / "pools.py"), str(n_jobs), "--seed", str(seed)],
                   check=True)  # fmt: skip
    files = pool_dir(n_jobs, seed)
    enc = _encoder(seed)

    def texts(name: str) -> list[str]:
        """The texts the engine embeds, as it builds them."""
        if name == "jobs":
            return [Job.from_dict(j).text for c in read_chunks(files / "jobs.jsonl.gz") for j in c]
        return [
            Candidate.from_dict(r).resume_text
            for c in read_chunks(files / "candidates.jsonl.gz")
            for r in c
        ]

    # the base texts are encoded once with the default encoder and kept beside the base pool
    start = time.perf_counter()
    if enc.warm(sorted({MARKER.sub("", t) for t in texts("jobs") + texts("candidates")})):
        _save_memo(enc, seed)
    warm_s = time.perf_counter() - start

    config = EngineConfig(index_kind=index_kind, chunk_chars=WHOLE_TEXTS)
    engine = MatchingEngine(config=config, encoder=enc)
    rss0 = _trimmed_rss_mb()
    start = time.perf_counter()
    for chunk in read_chunks(files / "jobs.jsonl.gz"):
        engine.add_jobs(chunk)
    ingest_jobs = time.perf_counter() - start
    rss_jobs = _trimmed_rss_mb()
    start = time.perf_counter()
    n_cands = 0
    for chunk in read_chunks(files / "candidates.jsonl.gz"):
        n_cands += len(engine.add_candidates(chunk))
    ingest_cands = time.perf_counter() - start
    rss_cands = _trimmed_rss_mb()
    n_events = sum(engine.record_events(c) for c in read_chunks(files / "events.jsonl.gz"))
    rss_all = _trimmed_rss_mb()
    # what a server does before it answers: the views requests read, each record's moments
    start = time.perf_counter()
    engine.warm_up()
    warm_up_s = time.perf_counter() - start
    rss_warm = _trimmed_rss_mb()
    job_ids, cand_ids = engine.job_ids(), engine.candidate_ids()
    cities = [j["city"] for c in read_chunks(files / "jobs.jsonl.gz") for j in c]
    some_cities = {c for c, _ in Counter(cities).most_common(8)[3:8]}  # mid-sized cities
    in_cities = np.asarray([i for i, c in enumerate(cities) if c in some_cities])
    del cities

    rng = np.random.default_rng(seed)
    cand_q = [str(c) for c in rng.choice(cand_ids, size=n_queries, replace=False)]
    job_q = [str(j) for j in rng.choice(job_ids, size=n_queries, replace=False)]
    result: dict[str, Any] = {
        "n_jobs": engine.n_jobs,
        "n_candidates": engine.n_candidates,
        "n_events": n_events,
        "pool": str(files.relative_to(HERE.parent)),
        "index": index_kind,
        "warm_up_s": round(warm_up_s, 1),
        "ingest": {
            "jobs_per_s_encoding_excluded": round(n_jobs / ingest_jobs, 1),
            "candidates_per_s_encoding_excluded": round(n_cands / ingest_cands, 1),
            "base_texts_encoded_s": round(warm_s, 1),
        },
        "memory": {
            "kb_per_job": round((rss_jobs - rss0) * 1024 / n_jobs, 2),
            "kb_per_candidate": round((rss_cands - rss_jobs) * 1024 / n_cands, 2),
            "rss_mb_after_all": round(rss_all, 1),
            "rss_mb_after_warm_up": round(rss_warm, 1),
        },
    }
    print(json.dumps(result), file=sys.stderr, flush=True)

    if writes_only:
        result.update(_writes(engine, files, cand_q))
        return result

    # the job vectors as the engine holds them (row i = job i), for exact search and recall
    vectors = enc.encode(texts("jobs"))
    cvec = enc.encode(texts("candidates"))
    qpos = rng.choice(len(cand_ids), size=n_queries, replace=False)
    queries = cvec[qpos]
    exact_jobs, _ = _exact_topk(vectors, queries, 10)
    exact_cands, _ = _exact_topk(cvec, vectors[rng.choice(n_jobs, size=n_queries)], 20)
    result["exact numpy top-10 over jobs"] = exact_jobs
    result["exact numpy top-20 over candidates"] = exact_cands
    start = time.perf_counter()
    index = create_index(index_kind, vectors.shape[1])
    index.add(np.arange(n_jobs), vectors)
    result["index_build_s"] = round(time.perf_counter() - start, 1)
    result["recall@100"] = {
        "no filter": _recall(index, vectors, queries, None),
        "city filter": _recall(index, vectors, queries, in_cities),
        "city filter share of pool": round(len(in_cities) / n_jobs, 4),
    }
    del index, cvec
    gc.collect()
    print(json.dumps(result["recall@100"]), file=sys.stderr, flush=True)

    result.update(_writes(engine, files, cand_q))

    open_jobs = JobFilters(open_on=date.today())
    rank = {
        "recommend_jobs(k=10)": (
            cand_q,
            lambda q: engine.recommend_jobs(q, k=10, filters=open_jobs),
            exact_jobs,
        ),
        "rank_candidates(k=20)": (job_q, lambda q: engine.rank_candidates(q, k=20), exact_cands),
    }
    for label in ("transparent",) if no_training else ("transparent", "trained"):
        if label == "trained":
            start = time.perf_counter()
            report = engine.train_ranker()
            result["training_seconds"] = round(time.perf_counter() - start, 1)
            result["adopted"] = [d.adopted for d in report.directions]
        for name, (qs, call, floor) in rank.items():
            r = _requests(engine, qs, call)
            r["x exact p50"] = round(r["p50_ms"] / floor["p50_ms"], 1)
            result[f"{name}, {label}"] = r
            print(name, label, json.dumps(r), file=sys.stderr, flush=True)
    if no_training:
        return result
    # a cohort in one call, against the same graduates one call each (trained model)
    start = time.perf_counter()
    for _ in engine.recommend_cohort(cand_q, k=10, filters=open_jobs, batch_size=64):
        pass
    cohort_s = time.perf_counter() - start
    start = time.perf_counter()
    for q in cand_q:
        engine.recommend_jobs(q, k=10, filters=open_jobs)
    single_s = time.perf_counter() - start
    result["cohort"] = {
        "graduates": len(cand_q),
        "graduates_per_s_one_call": round(len(cand_q) / cohort_s, 1),
        "graduates_per_s_one_call_each": round(len(cand_q) / single_s, 1),
    }
    print(json.dumps(result["cohort"]), file=sys.stderr, flush=True)
    return result


def _report(out: dict) -> str:
    m = out["machine"]
    lines = [
        "# Latency, ingest, recall and memory against pool size",
        "",
        f"Machine: {m['arch']}, {m['cores']} cores, Python {m['python']}, one BLAS thread; "
        f"code at {out['code']}. Command: `{out['command']}`.",
        "",
        "Pools from `benchmarks/pools.py`: records grown from the demo generator's 10,000 jobs "
        "and 5,000 candidates, vectors from the default encoder over those base texts plus "
        "seeded noise per record (copies of one base record stand at cosine about 0.83).",
        "",
        "| jobs | request | ranker | p50 ms | p99 ms | x exact top-k p50 | "
        + " | ".join(STAGES)
        + " |",
        "|---|---|---|---|---|---|" + "---|" * len(STAGES),
    ]
    for r in out["runs"]:
        for key, value in r.items():
            if not key.startswith(("recommend_jobs", "rank_candidates")):
                continue
            request, ranker = key.split(", ")
            stages = value["stages_mean_ms"]
            lines.append(
                f"| {r['n_jobs']:,} | `{request}` | {ranker} | {value['p50_ms']} | "
                f"{value['p99_ms']} | {value['x exact p50']} | "
                + " | ".join(str(stages.get(s, "-")) for s in STAGES)
                + " |"
            )
    lines += [
        "",
        "Stage columns are mean milliseconds (`MatchingEngine.stage_timings`; `retrieval` "
        "includes `filters`).",
        "",
        "| jobs | candidates | index | build s | recall@100 | recall@100, city filter (share) "
        "| exact top-10 p50 ms | jobs/s, encoding excluded | KB per job | KB per candidate "
        "| one-job write p50 / p99 ms | read after a write p50 ms "
        "| one-event write p50 ms | read after an event p50 ms | training s "
        "| cohort graduates/s (one call / one call each) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in out["runs"]:
        rec = r["recall@100"]
        lines.append(
            f"| {r['n_jobs']:,} | {r['n_candidates']:,} | {r['index']} | {r['index_build_s']} "
            f"| {rec['no filter']} | {rec['city filter']} ({rec['city filter share of pool']}) "
            f"| {r['exact numpy top-10 over jobs']['p50_ms']} "
            f"| {r['ingest']['jobs_per_s_encoding_excluded']} | {r['memory']['kb_per_job']} "
            f"| {r['memory']['kb_per_candidate']} "
            f"| {r['write one job']['p50_ms']} / {r['write one job']['p99_ms']} "
            f"| {r['read after a write']['p50_ms']} "
            f"| {_p50(r, 'record one event')} | {_p50(r, 'read after an event')} "
            f"| {r.get('training_seconds', '-')} "
            f"| {r['cohort']['graduates_per_s_one_call']} / "
            f"{r['cohort']['graduates_per_s_one_call_each']} |"
        )
    ing = out["ingest_default_encoder"]
    lines += [
        "",
        "Ingest with the default encoder (a fresh engine, texts new to it): "
        f"{ing['short']['jobs_per_s']} jobs/s on short postings (median "
        f"{ing['short']['text_chars_median']:.0f} characters), {ing['whole']['jobs_per_s']} on "
        f"whole ones (median {ing['whole']['text_chars_median']:.0f}).",
        "",
        "![latency and memory against pool size](latency.png)",
    ]
    return "\n".join(lines) + "\n"


def _plot(out: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = out["runs"]
    sizes = [r["n_jobs"] for r in runs]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for key in [k for k in runs[0] if k.startswith(("recommend_jobs", "rank_candidates"))]:
        for q, style in (("p50_ms", "-o"), ("p99_ms", "--x")):
            ax1.plot(sizes, [r[key][q] for r in runs], style, label=f"{key} {q[:3]}")
    ax1.plot(
        sizes,
        [r["exact numpy top-10 over jobs"]["p50_ms"] for r in runs],
        ":k",
        label="exact top-10 p50",
    )
    ax1.set(
        xscale="log", yscale="log", xlabel="jobs in the pool", ylabel="ms", title="warm latency"
    )
    ax1.legend(fontsize=6)
    ax2.plot(sizes, [r["memory"]["kb_per_job"] for r in runs], "-o", label="KB per job")
    ax2.plot(sizes, [r["memory"]["kb_per_candidate"] for r in runs], "-s", label="KB per candidate")
    ax2.set(xscale="log", xlabel="records in the pool", ylabel="KB resident", title="memory")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--index", default="hnsw", choices=("flat", "hnsw", "ivf"))
    parser.add_argument(
        "--no-training",
        action="store_true",
        help="transparent scorer only (no training, no cohort); results/latency_untrained.json",
    )
    parser.add_argument(
        "--only-writes",
        action="store_true",
        help="build each pool and measure writes and the read after each only "
        "(results/latency_writes.json)",
    )
    parser.add_argument(
        "--only-ingest",
        action="store_true",
        help="measure the default encoder's ingest again and keep the runs of latency.json",
    )
    args = parser.parse_args()
    if args.only_ingest:
        out = json.loads((RESULTS / "latency.json").read_text())
        out["ingest_default_encoder"] = ingest_with_default_encoder(args.seed)
        out["command"] += " && python benchmarks/run_latency.py --only-ingest"
        _write(out)
        return
    if args.only_writes or args.no_training:
        runs = [
            measure(n, args.queries, args.seed, args.index, writes_only=args.only_writes,
                    no_training=args.no_training)
            for n in args.sizes
        ]  # fmt: skip
        name = "latency_writes" if args.only_writes else "latency_untrained"
        (RESULTS / f"{name}.json").write_text(
            json.dumps({"code": code_version(), "command": "python benchmarks/run_latency.py "
                        + " ".join(sys.argv[1:]), "runs": runs}, indent=2) + "\n"
        )  # fmt: skip
        return
    out: dict[str, Any] = {
        "machine": {
            "arch": platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "code": code_version(),
        "command": "python benchmarks/run_latency.py " + " ".join(sys.argv[1:]),
        "ingest_default_encoder": ingest_with_default_encoder(args.seed),
        "runs": [],
    }
    print(json.dumps(out["ingest_default_encoder"]), file=sys.stderr, flush=True)
    for n in args.sizes:
        out["runs"].append(measure(n, args.queries, args.seed, args.index))
        gc.collect()
        _write(out)  # after each size, so that a long larger size leaves the smaller ones


def _write(out: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latency.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    _plot(out, RESULTS / "latency.png")
    report = _report(out)
    (RESULTS / "latency.md").write_text(report, "utf-8")
    print(report)


if __name__ == "__main__":
    main()
