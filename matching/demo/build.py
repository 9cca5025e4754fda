"""Build the bundled demo data set: jobs, candidates and an event log, reproducibly.

Run from the repository root::

    python -m matching.demo.build                 # writes matching/demo/data/
    python -m matching.demo.build --out DIR --seed 1
    python -m matching.demo.build --refresh-sources ../shared/data   # re-copy the sources first

The inputs are the gzipped source copies in ``matching/demo/sources/`` (see ``ATTRIBUTION.md``)
and the vocabularies in ``matching/data/``. The same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matching.demo.candidates import build_candidates, market_skills
from matching.demo.events import PairFit, simulate_events
from matching.demo.fields import FieldIndex
from matching.demo.files import DEMO_DATA_DIR, DEMO_FILES
from matching.demo.geo import CityTable
from matching.demo.jobs import build_jobs
from matching.demo.sources import (
    copy_sources,
    load_job_texts,
    load_occupations,
    load_schools,
)
from matching.lexicon import MajorVocabulary, SkillVocabulary
from matching.records import Candidate, Event, Job

__all__ = ["DEMO_DATA_DIR", "DemoSummary", "build_demo_data", "main"]

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """Counts and distributions of a built demo data set (also written to ``summary.json``)."""

    seed: int
    n_jobs: int
    n_candidates: int
    n_events: int
    files: dict[str, int] = field(default_factory=dict)
    distributions: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as written to ``summary.json``, with the format version."""
        return {"format_version": FORMAT_VERSION, **asdict(self)}


def _write_jsonl_gz(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """Write one JSON object a line, gzipped with no time stamp, atomically."""
    tmp = path.with_name(f".{path.name}.tmp")
    with (
        open(tmp, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        for record in records:
            gz.write(json.dumps(record, ensure_ascii=False, sort_keys=False).encode("utf-8"))
            gz.write(b"\n")
    os.replace(tmp, path)


def _validated(records: list[dict[str, Any]], parse: Callable[[dict[str, Any]], Any]) -> list:
    # Round-trip through the record class: validates every field and fixes the field order.
    return [parse(r).to_dict() for r in records]


def _share(counter: Counter[Any], total: int, top: int | None = None) -> dict[str, float]:
    items = counter.most_common(top)
    return {str(k): round(v / total, 4) for k, v in items}


def _distributions(
    jobs: list[dict[str, Any]], candidates: list[dict[str, Any]], events: list[dict[str, Any]]
) -> dict[str, Any]:
    n_j, n_c = len(jobs), len(candidates)
    sens = [c["sensitive"] for c in candidates]
    views = Counter(e["candidate_id"] for e in events if e["type"] == "view")
    furthest: dict[tuple[str, str], int] = {}
    order = {"view": 1, "apply": 2, "interview": 3, "offer": 4, "hire": 5}
    for e in events:
        key = (e["candidate_id"], e["job_id"])
        furthest[key] = max(furthest.get(key, 0), order[e["type"]])
    return {
        "jobs": {
            "n_distinct_job_types": len({j["job_type"] for j in jobs}),
            "n_distinct_cities": len({j["city"] for j in jobs}),
            "n_distinct_industries": len({j["industry"] for j in jobs}),
            "source": _share(
                Counter(
                    "text" if j["id"] <= jobs[n_j // 2 - 1]["id"] else "occupation" for j in jobs
                ),
                n_j,
            ),
            "industry": _share(Counter(j["industry"] for j in jobs), n_j),
            "job_type_top20": _share(Counter(j["job_type"] for j in jobs), n_j, 20),
            "city_top20": _share(Counter(j["city"] for j in jobs), n_j, 20),
            "min_degree": _share(Counter(j["min_degree"] for j in jobs), n_j),
            "employer_type": _share(Counter(j["employer_type"] for j in jobs), n_j),
            "employment_type": _share(Counter(j["employment_type"] for j in jobs), n_j),
            "key_sector": round(sum(j["key_sector"] for j in jobs) / n_j, 4),
            "grassroots_programme": round(sum(j["grassroots_programme"] for j in jobs) / n_j, 4),
            "salary_min_quartiles": np.percentile(
                [j["salary_min"] for j in jobs], [25, 50, 75]
            ).tolist(),
        },
        "candidates": {
            "n_distinct_majors": len({c["major"] for c in candidates}),
            "n_distinct_schools": len({c["school"] for c in candidates}),
            "n_distinct_desired_cities": len({x for c in candidates for x in c["desired_cities"]}),
            "degree": _share(Counter(c["degree"] for c in candidates), n_c),
            "graduation_year": _share(Counter(c["graduation_year"] for c in candidates), n_c),
            "english_resumes": round(
                sum(c["resume_text"].startswith("Education:") for c in candidates) / n_c, 4
            ),
            "gender": _share(Counter(s["gender"] for s in sens), n_c),
            "hardship_any": round(sum(bool(s["hardship"]) for s in sens) / n_c, 4),
            "hardship": _share(Counter(h for s in sens for h in s["hardship"]), n_c),
            "disability": round(sum(bool(s["disability"]) for s in sens) / n_c, 4),
            "expected_salary_quartiles": np.percentile(
                [c["expected_salary"] for c in candidates], [25, 50, 75]
            ).tolist(),
        },
        "events": {
            "by_type": dict(sorted(Counter(e["type"] for e in events).items())),
            "views_per_candidate": {
                "min": min(views.values()),
                "max": max(views.values()),
                "mean": round(float(np.mean(list(views.values()))), 2),
            },
            "pairs": len(furthest),
            "pairs_by_furthest_grade": dict(sorted(Counter(furthest.values()).items())),
        },
    }


def build_demo_data(
    out_dir: Path = DEMO_DATA_DIR, *, n_jobs: int = 2400, n_candidates: int = 1200, seed: int = 0
) -> DemoSummary:
    """Build the demo jobs, candidates and events and write them to ``out_dir``.

    Parameters
    ----------
    out_dir : Path, default ``matching/demo/data``
        Folder for ``jobs.jsonl.gz``, ``candidates.jsonl.gz``, ``events.jsonl.gz`` and
        ``summary.json``; created if missing.
    n_jobs : int, default 2400
        Number of postings; half come from real descriptions, half from occupations.
    n_candidates : int, default 1200
        Number of graduate profiles.
    seed : int, default 0
        Seed of the random generator; the same seed gives byte-identical files.

    Returns
    -------
    DemoSummary

    Raises
    ------
    ValueError
        If a count is below 10 or the seed is negative.
    """
    for name, value in (("n_jobs", n_jobs), ("n_candidates", n_candidates)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 10:
            raise ValueError(f"{name}: got {value!r}; an integer >= 10 is required")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed: got {seed!r}; a non-negative integer is required")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    majors, skills = MajorVocabulary.default(), SkillVocabulary.default()
    schools = load_schools()
    cities = CityTable(schools)
    occupations = load_occupations()
    fields = FieldIndex(occupations, majors, skills)
    # One stream per part, so that changing how one part is drawn leaves the others as they were.
    rng_jobs, rng_cands, rng_events = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    jobs = _validated(
        build_jobs(
            n_jobs,
            rng_jobs,
            texts=load_job_texts(),
            occupations=occupations,
            cities=cities,
            fields=fields,
            majors=majors,
            skills=skills,
        ),
        Job.from_dict,
    )
    candidates = _validated(
        build_candidates(
            n_candidates,
            rng_cands,
            schools=schools,
            cities=cities,
            majors=majors,
            skills=skills,
            fields=fields,
            market=market_skills(jobs),
        ),
        Candidate.from_dict,
    )
    fit = PairFit(
        related_families=fields.families_of_major,
        major_similarity=majors.similarity,
        province_of={c.name: c.province for c in cities.cities},
    )
    events = _validated(simulate_events(candidates, jobs, fit, rng_events), Event.from_dict)
    files = {}
    for kind, records in (("jobs", jobs), ("candidates", candidates), ("events", events)):
        path = out_dir / DEMO_FILES[kind]
        _write_jsonl_gz(path, records)
        files[path.name] = path.stat().st_size
    summary = DemoSummary(
        seed=seed,
        n_jobs=len(jobs),
        n_candidates=len(candidates),
        n_events=len(events),
        files=files,
        distributions=_distributions(jobs, candidates, events),
    )
    tmp = out_dir / ".summary.json.tmp"
    tmp.write_text(
        json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    os.replace(tmp, out_dir / "summary.json")
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m matching.demo.build",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=DEMO_DATA_DIR, help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--n-jobs", type=int, default=2400)
    parser.add_argument("--n-candidates", type=int, default=1200)
    parser.add_argument(
        "--refresh-sources",
        type=Path,
        metavar="DIR",
        help="re-copy the licensed source files from this mirror first",
    )
    args = parser.parse_args(argv)
    if args.refresh_sources is not None:
        for path in copy_sources(args.refresh_sources):
            print(f"copied {path}")
    summary = build_demo_data(
        args.out, n_jobs=args.n_jobs, n_candidates=args.n_candidates, seed=args.seed
    )
    print(
        f"wrote {summary.n_jobs} jobs, {summary.n_candidates} candidates, "
        f"{summary.n_events} events to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
