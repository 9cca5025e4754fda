"""Serve a scaled pool (10k, 100k jobs) over HTTP on 127.0.0.1, for the load test.

Builds the engine as ``run_latency.py`` does (the pool of ``pools.py``, vectors from the
encoded sample), with the events of the pool and its store in a scratch engine directory, then
serves it with the service's own app (roles on, snapshots beside the store) until stopped.
Texts the sample does not hold (new postings written during the test) are encoded by the
default encoder.

    python benchmarks/serve_pool.py 100000 --port 8765 --engine-dir DIR
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pools import MARKER, pool_dir, read_chunks  # noqa: E402
from run_latency import WHOLE_TEXTS, _encoder, _save_memo  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_jobs", type=int)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--engine-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import uvicorn

    from matching import Candidate, EngineConfig, Job, MatchingEngine
    from service.app import create_app
    from service.settings import Settings

    subprocess.run([sys.executable, str(HERE / "pools.py"), str(args.n_jobs), "--seed",
                    str(args.seed)], check=True)  # fmt: skip
    files = pool_dir(args.n_jobs, args.seed)
    enc = _encoder(args.seed)
    texts = [Job.from_dict(j).text for c in read_chunks(files / "jobs.jsonl.gz") for j in c]
    texts += [
        Candidate.from_dict(r).resume_text
        for c in read_chunks(files / "candidates.jsonl.gz")
        for r in c
    ]
    if enc.warm(sorted({MARKER.sub("", t) for t in texts})):
        _save_memo(enc, args.seed)
    del texts
    start = time.perf_counter()
    args.engine_dir.mkdir(parents=True, exist_ok=True)
    # the store in the engine directory, as `gradmatch serve` has it: snapshots then save the
    # indexes and caches beside it, never a copy of the store
    engine = MatchingEngine(
        config=EngineConfig(index_kind="hnsw", chunk_chars=WHOLE_TEXTS),
        encoder=enc,
        path=args.engine_dir,
    )
    for chunk in read_chunks(files / "jobs.jsonl.gz"):
        engine.add_jobs(chunk)
    for chunk in read_chunks(files / "candidates.jsonl.gz"):
        engine.add_candidates(chunk)
    for chunk in read_chunks(files / "events.jsonl.gz"):
        engine.record_events(chunk)
    print(f"built {engine.n_jobs} jobs in {time.perf_counter() - start:.0f} s", file=sys.stderr,
          flush=True)  # fmt: skip
    app = create_app(Settings(engine_dir=args.engine_dir, rate_limit=0), engine=engine)
    uvicorn.run(app, host="127.0.0.1", port=args.port, access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
