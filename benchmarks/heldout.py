"""Make a held-out evaluation split of the bundled demo data set.

A fixed share of the candidates (``--by candidates``, for jobs-for-candidates) or of the jobs
(``--by jobs``, for candidates-for-job) is held out with a seeded generator: their events become
``relevant.csv`` (relevance = event grade - 1, so a view alone is not relevant, an application
is 1, a hire 4), and every other event becomes a training event. No evaluated pair is a
training pair, and no held-out query was seen in training. ``relevant_employer.csv`` holds the
employers' side of the same pairs (relevance = grade - 2: an interview is 1, a hire 3, an
application that went no further 0), what a recruiter's list is for.

    python benchmarks/heldout.py --out benchmarks/results/heldout [--by candidates] [--share 0.2]
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

DEMO = Path(__file__).resolve().parent.parent / "matching" / "demo" / "data"
GRADE = {"view": 1, "apply": 2, "interview": 3, "offer": 4, "hire": 5}


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def make_split(
    out: Path, *, by: str = "candidates", share: float = 0.2, seed: int = 0, data: Path = DEMO
) -> dict:
    """Write jobs.jsonl, candidates.jsonl, relevant.csv and train_events.jsonl to ``out``.

    ``train_events_untimed.jsonl`` holds the same events without their timestamps (training
    then cuts the log by query instead of by time); ``relevant_employer.csv`` the employers'
    steps of the held-out pairs.
    """
    jobs = _read(data / "jobs.jsonl.gz")
    candidates = _read(data / "candidates.jsonl.gz")
    events = _read(data / "events.jsonl.gz")
    if by not in ("candidates", "jobs"):
        raise ValueError(f"by: got {by!r}; allowed: candidates, jobs")
    rng = np.random.default_rng(seed)
    key = "candidate_id" if by == "candidates" else "job_id"
    ids = sorted(r["id"] for r in (candidates if by == "candidates" else jobs))
    held = set(rng.choice(ids, size=int(len(ids) * share), replace=False).tolist())
    best: dict[tuple[str, str], int] = defaultdict(int)
    train = []
    for e in events:
        if e[key] in held:
            pair = (e["candidate_id"], e["job_id"])
            best[pair] = max(best[pair], GRADE[e["type"]])
        else:
            train.append(e)
    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "jobs.jsonl", jobs)
    _write_jsonl(out / "candidates.jsonl", candidates)
    _write_jsonl(out / "train_events.jsonl", train)
    _write_jsonl(
        out / "train_events_untimed.jsonl",
        [{k: v for k, v in e.items() if k != "timestamp"} for e in train],
    )
    # relevance from the furthest grade: any step from an application on, or the employer's
    for name, first in (
        ("relevant.csv", GRADE["apply"]),
        ("relevant_employer.csv", GRADE["interview"]),
    ):
        with open(out / name, "w", encoding="utf-8") as fh:
            fh.write("candidate_id,job_id,relevance\n")
            for (cid, jid), grade in sorted(best.items()):
                fh.write(f"{cid},{jid},{max(grade - first + 1, 0)}\n")
    summary = {
        "n_jobs": len(jobs),
        "n_candidates": len(candidates),
        "held_out": by,
        "n_held_out": len(held),
        "n_train_events": len(train),
        "n_evaluated_pairs": len(best),
        "n_relevant_pairs": sum(1 for g in best.values() if g >= 2),
        "n_employer_pairs": sum(1 for g in best.values() if g >= 3),
        "seed": seed,
        "share": share,
    }
    (out / "split.json").write_text(json.dumps(summary, indent=2), "utf-8")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/heldout"))
    parser.add_argument("--by", choices=["candidates", "jobs"], default="candidates")
    parser.add_argument("--share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(make_split(args.out, by=args.by, share=args.share, seed=args.seed)))


if __name__ == "__main__":
    main()
