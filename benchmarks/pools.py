"""Pools of 10k to 1M jobs and candidates for the scale benchmarks, seeded and reproducible.

The demo generator (:func:`matching.demo.build_demo_data`) writes realistic records from the
real vocabularies, but it takes minutes per 10k jobs. Larger pools are grown from one such base
pool (10,000 jobs and 5,000 candidates, seed 0 unless asked otherwise):

- every record is a copy of a base record under a new id, with the fields that make records
  differ in a real pool drawn again: the city (from the base pool's city frequencies), pay
  (x a log-normal factor), headcount, posting date and deadline; candidates get their desired
  cities and expected pay drawn again the same way;
- each text carries a marker of its record (``〔p0000123〕`` before the title or resume), so
  no two texts are equal and every cache and index holds one entry per record, as it would
  for real postings;
- events: the base candidates' events, each moved to a copy of its job, for up to
  ``event_candidates`` candidates (1,000 by default, about 28,000 events): a log the size of
  the demo's, enough to train on, at every pool size.

Encoding a million texts with the default encoder takes hours on two cores, so the vectors
come from an encoded sample: :class:`SampleEncoder` encodes each distinct text once the marker
is taken out (the base pool's texts, with the default encoder), then adds seeded Gaussian
noise per marked text and normalises. Copies of one base record are therefore close but not
equal (cosine about 0.83 between two copies at the default noise), which is what an
approximate index must tell apart; recall is measured against exact search over the same
vectors.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from embeddings import Encoder

HERE = Path(__file__).resolve().parent
POOLS = HERE / "results" / "pools"
MARKER = re.compile(r"〔[pc]\d+〕")
BASE_JOBS = 10_000


def base_pool(seed: int = 0, n_jobs: int = BASE_JOBS) -> Path:
    """The demo generator's pool of ``n_jobs`` jobs and half as many candidates (cached)."""
    from matching.demo import build_demo_data

    out = POOLS / f"{n_jobs}-seed{seed}"
    if not (out / "summary.json").exists():
        build_demo_data(out, n_jobs=n_jobs, n_candidates=max(10, n_jobs // 2), seed=seed)
    return out


def _read(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def scaled_pool(
    n_jobs: int,
    n_candidates: int,
    *,
    seed: int = 0,
    event_candidates: int = 1_000,
    as_of: date | None = None,
) -> tuple[list[dict], list[dict], list[dict]]:
    """Jobs, candidates and events of a pool of the asked size (see the module notes).

    ``as_of`` (today by default) is the newest posting date; deadlines fall 30 to 120 days
    after posting, so the pool's jobs are open when it is ranked.
    """
    base = base_pool(seed)
    base_jobs = _read(base / "jobs.jsonl.gz")
    base_cands = _read(base / "candidates.jsonl.gz")
    base_events = _read(base / "events.jsonl.gz")
    rng = np.random.default_rng(seed + 1)
    as_of = as_of or date.today()
    cities = [j["city"] for j in base_jobs if j.get("city")]

    # copy i of a base record: every base record once first, then drawn at random
    def sources(n: int, n_base: int) -> np.ndarray:
        extra = rng.integers(0, n_base, size=max(0, n - n_base))
        return np.concatenate([rng.permutation(n_base)[: min(n, n_base)], extra])

    job_src = sources(n_jobs, len(base_jobs))
    city_draw = rng.choice(len(cities), size=n_jobs)
    pay = rng.lognormal(0.0, 0.2, size=n_jobs)
    age = rng.integers(0, 90, size=n_jobs)
    span = rng.integers(30, 121, size=n_jobs)
    heads = rng.integers(1, 6, size=n_jobs)
    jobs, clones = [], defaultdict(list)
    for i, b in enumerate(job_src.tolist()):
        src = base_jobs[b]
        job_id = f"p{i:07d}"
        clones[src["id"]].append(job_id)
        posted = as_of - timedelta(days=int(age[i]))
        record = {
            **src,
            "id": job_id,
            "title": f"〔{job_id}〕{src.get('title', '')}",
            "city": cities[city_draw[i]],
            "headcount": int(heads[i]),
            "posted_at": posted.isoformat(),
            "deadline": (posted + timedelta(days=int(span[i]))).isoformat(),
        }
        for key in ("salary_min", "salary_max"):
            if src.get(key):
                record[key] = round(src[key] * float(pay[i]), -1)
        if record.get("salary_min") and record.get("salary_max"):
            record["salary_max"] = max(record["salary_max"], record["salary_min"])
        jobs.append(record)

    cand_src = sources(n_candidates, len(base_cands))
    wish = rng.lognormal(0.0, 0.2, size=n_candidates)
    cands, cand_of_base = [], defaultdict(list)
    for i, b in enumerate(cand_src.tolist()):
        src = base_cands[b]
        cand_id = f"c{i:07d}"
        cand_of_base[src["id"]].append(cand_id)
        n_cities = len(src.get("desired_cities") or [])
        record = {
            **src,
            "id": cand_id,
            "resume_text": f"〔{cand_id}〕{src['resume_text']}",
            "desired_cities": [cities[c] for c in rng.choice(len(cities), size=n_cities)],
        }
        if src.get("expected_salary"):
            record["expected_salary"] = round(src["expected_salary"] * float(wish[i]), -1)
        cands.append(record)

    # events of the first copy of each base candidate, up to event_candidates of them
    keep = {ids[0]: b for b, ids in cand_of_base.items()}
    keep = dict(list(keep.items())[:event_candidates])
    by_base = {b: c for c, b in keep.items()}
    events = []
    for e in base_events:
        cand = by_base.get(e["candidate_id"])
        targets = clones.get(e["job_id"])
        if cand is None or not targets:
            continue
        job = targets[zlib.crc32(f"{cand}:{e['job_id']}".encode()) % len(targets)]
        events.append({**e, "candidate_id": cand, "job_id": job})
    return jobs, cands, events


class SampleEncoder(Encoder):
    """Vectors of an encoded sample, plus seeded noise per text (see the module notes).

    Each text is encoded by ``encoder`` once its record marker is taken out (those vectors
    are kept, so a base text is encoded once however many copies it has); the marked text then
    gets ``noise`` x a standard normal vector, seeded by the text, before normalisation.
    """

    def __init__(self, encoder: Encoder, *, noise: float = 0.02) -> None:
        self._inner = encoder
        self._noise = noise
        self._memo: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        return f"sample-of-{self._inner.name}-noise{self._noise}"

    @property
    def dim(self) -> int:
        return self._inner.dim

    def config(self) -> dict[str, Any]:
        return {"backend": "sample", "of": self._inner.config(), "noise": self._noise}

    def warm(self, texts: list[str], batch_size: int = 64) -> int:
        """Encode the distinct ``texts`` not yet held (marker-free); how many that was."""
        missing = sorted(set(texts) - self._memo.keys())
        for i in range(0, len(missing), 1024):
            part = missing[i : i + 1024]
            self._memo.update(
                zip(part, self._inner.encode(part, batch_size=batch_size), strict=True)
            )
        return len(missing)

    def remember(self, texts: list[str], vectors: np.ndarray) -> None:
        """Hold these marker-free texts' vectors (as :meth:`remembered` gave them)."""
        self._memo.update(zip(texts, vectors.astype(np.float32), strict=True))

    def remembered(self) -> tuple[list[str], np.ndarray]:
        """The marker-free texts held and their vectors."""
        texts = sorted(self._memo)
        return texts, np.stack([self._memo[t] for t in texts])

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        plain = [MARKER.sub("", t) for t in texts]
        missing = sorted({p for p in plain if p not in self._memo})
        if missing:
            vectors = self._inner.encode(missing, batch_size=batch_size)
            self._memo.update(zip(missing, vectors, strict=True))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, (text, p) in enumerate(zip(texts, plain, strict=True)):
            base = self._memo[p]
            if text == p:
                out[i] = base
                continue
            noise = np.random.default_rng(zlib.crc32(text.encode("utf-8", "surrogatepass")))
            out[i] = base + self._noise * noise.standard_normal(self.dim, dtype=np.float32)
        return out


def pool_dir(n_jobs: int, seed: int = 0) -> Path:
    """Where the files of the pool of ``n_jobs`` jobs (and half as many candidates) are."""
    return POOLS / f"scaled-{n_jobs}-seed{seed}"


def write_pool(n_jobs: int, seed: int = 0) -> Path:
    """Write ``jobs``, ``candidates`` and ``events.jsonl.gz`` of a scaled pool, unless present."""
    out = pool_dir(n_jobs, seed)
    if (out / "done").exists():
        return out
    jobs, cands, events = scaled_pool(n_jobs, n_jobs // 2, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("jobs", jobs), ("candidates", cands), ("events", events)):
        with gzip.open(out / f"{name}.jsonl.gz", "wt", encoding="utf-8", compresslevel=3) as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (out / "done").write_text(json.dumps({"jobs": len(jobs), "candidates": len(cands)}))
    return out


def read_chunks(path: Path, size: int = 20_000):
    """The records of a ``.jsonl.gz`` file, ``size`` at a time."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        chunk = []
        for line in fh:
            chunk.append(json.loads(line))
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="write a scaled pool's files")
    parser.add_argument("n_jobs", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write_pool(args.n_jobs, args.seed))
