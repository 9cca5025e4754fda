"""Load test of the real service on 127.0.0.1: throughput and p50 / p99 with zero errors.

Starts ``gradmatch serve`` on an engine directory (the demo engine by default), then for a
fixed time runs a bounded number of concurrent clients (asyncio, httpx) asking for students'
recommendations and recruiters' ranked candidates, while one more client adds a job every
second (the writes go through the same engine). Every answer must be 2xx. Writes
``benchmarks/results/load.json`` and ``load.md``.

    python benchmarks/run_load.py [--engine-dir .gradmatch/demo] [--clients 4] [--seconds 60]
    python benchmarks/run_load.py --pool 100000     # a scaled pool (see serve_pool.py)

With ``--pool N`` the server is ``serve_pool.py N`` (the scaled pool of ``pools.py``, built in
memory first) and the results go to ``load-N.json`` and ``load-N.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path

import httpx
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import write  # noqa: E402  (scripts beside this one)

TOKEN = "gm_loadtest_" + "l" * 24


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _client(base: str, kind: str, ids: list[str], until: float, out: dict) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    rng = random.Random(zlib.crc32(kind.encode()))
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60.0) as http:
        n = 0
        while time.perf_counter() < until:
            start = time.perf_counter()
            if kind == "recommendations":
                r = await http.get(f"/v1/candidates/{rng.choice(ids)}/recommendations?k=10")
            elif kind == "candidates":
                r = await http.get(f"/v1/jobs/{rng.choice(ids)}/candidates?k=20")
            else:
                n += 1
                body = {
                    "id": f"load-{os.getpid()}-{n}",
                    "title": "数据分析师",
                    # a text of its own, so that every write is encoded
                    "description": f"负责业务数据分析（第{n}批），熟悉SQL和Python，本科及以上",
                    "city": "北京",
                }
                r = await http.post("/v1/jobs", json=body)
            out.setdefault(kind, []).append(time.perf_counter() - start)
            if kind == "writes":
                await asyncio.sleep(1.0)
            if r.status_code >= 300:
                out.setdefault("errors", []).append(f"{kind} {r.status_code} {r.text[:120]}")


async def _run(
    base: str, candidates: list[str], jobs: list[str], clients: int, seconds: float, writes: bool
) -> dict:
    until = time.perf_counter() + seconds
    out: dict = {}
    tasks = []
    for i in range(clients):
        kind, ids = ("recommendations", candidates) if i % 2 == 0 else ("candidates", jobs)
        tasks.append(_client(base, kind, ids, until, out))
    if writes:
        tasks.append(_client(base, "writes", [], until, out))
    await asyncio.gather(*tasks)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine-dir", type=Path, default=Path(".gradmatch/demo"))
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-writes", action="store_true", help="readers only")
    parser.add_argument("--pool", type=int, help="serve a scaled pool of this many jobs")
    args = parser.parse_args()
    if args.pool is None and not (args.engine_dir / "config.json").exists():
        raise SystemExit(f"{args.engine_dir} holds no engine: build it with `gradmatch demo`")
    work = RESULTS_DIR = HERE / "results" / "load_engine"
    subprocess.run(["rm", "-rf", str(work)], check=True)
    if args.pool is None:
        subprocess.run(["cp", "-r", str(args.engine_dir), str(work)], check=True)
    port = _port()
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "GRADMATCH_OPERATOR_TOKEN": TOKEN,
        "GRADMATCH_RATE_LIMIT": "0",
        "GRADMATCH_SAVE_ON_WRITE": "false",
    }
    (work / "credentials.sqlite").unlink(missing_ok=True)
    command = [sys.executable, "-m", "service", "--engine-dir", str(work), "--port", str(port)]
    if args.pool is not None:
        command = [sys.executable, str(HERE / "serve_pool.py"), str(args.pool),
                   "--engine-dir", str(work), "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(2400):  # a pool of 100k takes minutes to build
            try:
                if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        page = httpx.get(f"{base}/v1/jobs?limit=500", headers=headers, timeout=30).json()
        jobs = [j["id"] for j in page["jobs"]]
        health = httpx.get(f"{base}/health", timeout=30).json()
        if args.pool is None:
            candidates = [f"c{i:05d}" for i in range(1, 501)]
        else:
            from pools import pool_dir, read_chunks

            first = next(read_chunks(pool_dir(args.pool) / "candidates.jsonl.gz"))
            candidates = [c["id"] for c in first[:500]]
        started = time.perf_counter()
        out = asyncio.run(
            _run(base, candidates, jobs, args.clients, args.seconds, not args.no_writes)
        )
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(["rm", "-rf", str(RESULTS_DIR)], check=True)
    rows = {}
    for kind in ("recommendations", "candidates", "writes"):
        lat = np.asarray(out.get(kind, []), dtype=float) * 1000
        rows[kind] = {
            "n": int(lat.size),
            "per_second": round(lat.size / elapsed, 2),
            "p50_ms": round(float(np.percentile(lat, 50)), 1) if lat.size else None,
            "p99_ms": round(float(np.percentile(lat, 99)), 1) if lat.size else None,
        }
    errors = out.get("errors", [])
    lines = [
        "# Load test of the service",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, one BLAS thread; engine "
        + (f"`{args.engine_dir}`" if args.pool is None else "a scaled pool (serve_pool.py)")
        + f" ({health['n_jobs']} jobs, {health['n_candidates']} candidates); "
        f"{args.clients} concurrent readers (half "
        f"recommendations k=10, half ranked candidates k=20)"
        + ("" if args.no_writes else " and one writer adding a job a second")
        + f", for {args.seconds:.0f} s; roles on, rate limit off.",
        "",
        "| requests | n | per second | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for kind, r in rows.items():
        lines.append(f"| {kind} | {r['n']} | {r['per_second']} | {r['p50_ms']} | {r['p99_ms']} |")
    lines += ["", f"Errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else "")]
    lines += [
        "",
        f"    python benchmarks/run_load.py --clients {args.clients} --seconds {args.seconds:.0f}",
    ]
    report = "\n".join(lines) + "\n"
    if args.pool is not None:
        lines[-1] = f"    python benchmarks/run_load.py --pool {args.pool} --clients " + (
            f"{args.clients} --seconds {args.seconds:.0f}"
        )
    report = "\n".join(lines) + "\n"
    write(
        "load" if args.pool is None else f"load-{args.pool}",
        {"rows": rows, "errors": errors, "seconds": elapsed, "clients": args.clients},
        report,
    )
    print(report)
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
