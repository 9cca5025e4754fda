"""What the quality benchmarks share: running ``gradmatch evaluate`` and the table of its results.

Each benchmark runs the command as a subprocess, exactly as a user would, and reads the JSON
object on its last line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def code_version() -> str | None:
    """The commit measured, marked ``-dirty`` when the library's code differs from it."""
    git = ["git", "-C", str(HERE.parent)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return None
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "matching", "embeddings", "ranking", "service"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head.stdout.strip() + ("-dirty" if dirty else "")


def evaluate(
    split: Path,
    *,
    direction: str,
    events: Path | None,
    extra: list[str] = (),
    relevant: str = "relevant.csv",
) -> dict:
    """Run ``gradmatch evaluate`` on a split directory; the result with its command and time."""
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
        str(split / relevant),
        "--direction",
        direction,
        *extra,
    ]
    if events is not None:
        cmd += ["--train-events", str(events)]
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


HEADER = (
    "| run | ranker | nDCG@10 | BM25 | dense | fusion | popularity | x fusion | x popularity "
    "| x untrained | coverage@10 | exposure Gini | candidate set recall | train s | peak MB |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def _f(value: object) -> str:
    return "-" if value is None else (f"{value:.4f}" if isinstance(value, float) else str(value))


def row(name: str, result: dict, untrained: dict | None = None) -> str:
    """One line of :data:`HEADER` for a result of ``gradmatch evaluate``."""
    b = result["baselines"]
    key = "ndcg@10"
    pop = b.get("popularity", {}).get(key)
    gain = (
        round(result[key] / untrained[key], 2)
        if untrained is not None and untrained.get(key)
        else None
    )
    ranker = "trained" if result["trained"] else "transparent"
    return (
        f"| {name} | {ranker} | {_f(result[key])} | {_f(b['bm25'][key])} | {_f(b['dense'][key])} "
        f"| {_f(b['fusion'][key])} | {_f(pop)} | {_f(result.get(f'{key}_ratio_vs_fusion'))} "
        f"| {_f(result.get(f'{key}_ratio_vs_popularity'))} | {_f(gain)} "
        f"| {_f(result['coverage@10'])} | {_f(result['exposure_gini@10'])} "
        f"| {_f(result['candidate_set']['recall'])} at {result['candidate_set']['depth']} "
        f"| {_f(result.get('training_seconds'))} | {_f(result['peak_memory_mb'])} |"
    )


def write(name: str, payload: dict, report: str) -> None:
    """Write ``results/<name>.json`` and ``results/<name>.md``."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False), "utf-8"
    )
    (RESULTS / f"{name}.md").write_text(report, "utf-8")
