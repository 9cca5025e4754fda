"""Ranking quality on real implicit feedback: which job an applicant opens next.

The data is a public export of a US job board (``Job_Views.csv``, ``Experience.csv``,
``Positions_Of_Interest.csv``) that carries no licence to redistribute, so it is not in the
repository: the script reads it from ``../shared/data/job_views_us`` beside the repository root
(or ``--data DIR``) and stops with a message, and exit code 0, when it is not there. Nothing of
it is copied into the repository; the evaluation inputs derived from it go to
``benchmarks/results/job_views/`` (ignored by git), and only aggregate metrics to
``benchmarks/results/job_views.json`` and ``benchmarks/results/job_views.md``.

- Jobs: every job of the export (the whole pool is ranked for each query), as ``{"id",
  "title", "description", "employer", "city", "industry"}``; the title is the position and the
  description only repeats the listing title, company, city, state and industry, because that
  is all the text the export has of a job.
- Candidates: applicants who viewed at least two distinct jobs and have some text (at most
  ``--max-candidates``, drawn with ``--seed`` when there are more); the resume is their
  positions of interest and their work history, and their desired cities are the cities of
  that history.
- Relevance, a temporal split per applicant: the job they opened last for the first time is the
  held-out relevant item; their views of other jobs up to that moment are the training events.
  No evaluated pair is a training pair.

Two choices, and why:

- The held-out job has relevance 1 whatever the view lasted: with one relevant item per query,
  a grade cancels out of nDCG (and recall, MRR and MAP ignore it), so a second grade for long
  views would change no number.
- Training events are all of type ``view``. How long a page stayed open is not an application:
  the duration is missing for about one view in seven and is heavy-tailed (a tab left open
  counts hours), the engine gives an application fifteen times the gain of a view, and the
  target here is a view. ``--dwell-ablation`` adds a run where the views longer than the median
  duration are typed ``apply``, to see what that choice costs or gains.

``gradmatch evaluate`` runs as a subprocess, exactly as a user would run it, untrained and with
``--train-events`` (jobs-for-candidates).

    python benchmarks/run_job_views.py [--data DIR] [--seed 0] [--k 10] [--max-candidates 1500]
        [--dwell-ablation]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import HEADER, code_version, evaluate  # noqa: E402  (scripts beside this one)
from common import row as table_row  # noqa: E402
from run_quality import DAMPING, FAMILIES  # noqa: E402

ROOT = HERE.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "job_views_us"
RESULTS = HERE / "results"
FILES = ("Job_Views.csv", "Experience.csv", "Positions_Of_Interest.csv")
# The export writes R's NA for a missing value; an empty cell means the same.
MISSING = {"", "NA"}
# Resumes are cut to the record limit (matching.records.MAX_TEXT_CHARS); none comes close.
MAX_RESUME_CHARS = 50_000


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _value(row: dict[str, str], column: str) -> str:
    value = (row.get(column) or "").strip()
    return "" if value in MISSING else value


def _field(value: str | None) -> str | None:
    """A short field as the job reader keeps it whole.

    The reader splits a short field holding ``|`` into a list (a CSV list cell), in JSONL too,
    and then refuses a list as a title; ten listing titles such as "Pharmacist | Part Time"
    have one, so it becomes " / " here (description and resume text are never split).
    """
    return value.replace("|", " / ") if value else value


def _iso(timestamp: str) -> str:
    """``2014-12-12 20:12:35 UTC`` -> ``2014-12-12T20:12:35+00:00`` (what events accept)."""
    return timestamp.replace(" UTC", "+00:00").replace(" ", "T", 1)


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _jobs(views: list[dict[str, str]]) -> dict[str, dict]:
    """One record per Job.ID; a field missing on one view row is taken from another."""
    fields: dict[str, dict[str, str]] = defaultdict(dict)
    for row in views:
        seen = fields[_value(row, "Job.ID")]
        for column in ("Title", "Position", "Company", "City", "State.Name", "Industry"):
            if column not in seen and _value(row, column):
                seen[column] = _value(row, column)
    jobs = {}
    for job_id, f in fields.items():
        place = ", ".join(p for p in (f.get("City"), f.get("State.Name")) if p)
        parts = (f.get("Title"), f.get("Company"), place, f.get("Industry"))
        record = {
            "id": job_id,
            "title": _field(f.get("Position") or f.get("Title", "")),
            "description": "\n".join(p for p in parts if p),
            "employer": _field(f.get("Company")),
            "city": _field(f.get("City")),
            "industry": _field(f.get("Industry")),
        }
        jobs[job_id] = {k: v for k, v in record.items() if v}
    return jobs


def _profiles(
    experience: list[dict[str, str]], interests: list[dict[str, str]]
) -> dict[str, tuple[str, list[str]]]:
    """Applicant id -> (resume text, cities of their work history), in file order."""
    lines: dict[str, list[str]] = defaultdict(list)
    wanted: dict[str, list[str]] = defaultdict(list)
    for row in interests:
        if _value(row, "Position.Of.Interest"):
            wanted[_value(row, "Applicant.ID")].append(_value(row, "Position.Of.Interest"))
    for applicant, positions in wanted.items():
        lines[applicant].append("Positions of interest: " + "; ".join(positions))
    cities: dict[str, list[str]] = defaultdict(list)
    for row in experience:
        applicant = _value(row, "Applicant.ID")
        head = " at ".join(
            p for p in (_value(row, "Position.Name"), _value(row, "Employer.Name")) if p
        )
        place = ", ".join(p for p in (_value(row, "City"), _value(row, "State.Name")) if p)
        text = " — ".join(p for p in (head, place, _value(row, "Job.Description")) if p)
        if text:
            lines[applicant].append(text)
        city = _field(_value(row, "City"))
        if city and city not in cities[applicant]:
            cities[applicant].append(city)
    return {a: ("\n".join(t)[:MAX_RESUME_CHARS], cities.get(a, [])) for a, t in lines.items()}


def build_inputs(
    data: Path, out: Path, *, seed: int = 0, max_candidates: int = 1500, split: str = "time"
) -> dict:
    """Write jobs.jsonl, candidates.jsonl, relevant.csv and the training events to ``out``.

    ``split="time"`` holds out each applicant's job first opened last and trains on their
    earlier views. ``split="applicants"`` holds out half of the applicants (drawn with
    ``seed``) whole: every job they viewed is relevant, none of their views is a training
    event, and the training events are the other half's views. That is the case of graduates
    new to the platform, ranked from other people's outcomes only.

    ``train_events.jsonl`` has every earlier view as a ``view``;
    ``train_events_dwell.jsonl`` is the same with the views longer than the median duration of
    the training views typed ``apply`` (only the ``--dwell-ablation`` run reads it).
    """
    views = _read_csv(data / "Job_Views.csv")
    profiles = _profiles(
        _read_csv(data / "Experience.csv"), _read_csv(data / "Positions_Of_Interest.csv")
    )
    jobs = _jobs(views)

    # (start, job, duration) per applicant; View.Start sorts as text (one fixed format, UTC).
    by_applicant: dict[str, list[tuple[str, str, float | None]]] = defaultdict(list)
    for row in views:
        duration = _value(row, "View.Duration")
        by_applicant[_value(row, "Applicant.ID")].append(
            (
                _value(row, "View.Start"),
                _value(row, "Job.ID"),
                float(duration) if duration else None,
            )
        )
    two_jobs = sorted(a for a, v in by_applicant.items() if len({j for _, j, _ in v}) >= 2)
    if split == "applicants":  # one view is enough on either side of a split by person
        eligible = sorted(a for a in by_applicant if a in profiles)
    else:
        eligible = [a for a in two_jobs if a in profiles]
    rng = np.random.default_rng(seed)
    if len(eligible) > max_candidates:
        eligible = sorted(rng.choice(eligible, size=max_candidates, replace=False).tolist())
    held_out = (
        set(rng.permutation(eligible)[: len(eligible) // 2].tolist())
        if split == "applicants"
        else set()
    )

    candidates, relevant, train = [], [], []
    for applicant in eligible:
        text, cities = profiles[applicant]
        record: dict = {"id": applicant, "resume_text": text}
        if cities:
            record["desired_cities"] = cities
        candidates.append(record)
        # The held-out job is the one first opened last: a job opened again later was already
        # seen before that moment, and predicting a return visit is another task.
        seen = sorted(by_applicant[applicant], key=lambda v: (v[0], v[1]))
        first: dict[str, str] = {}
        for start, job, _ in seen:
            first.setdefault(job, start)
        if applicant in held_out:
            relevant += [(applicant, job) for job in sorted(first)]
            continue
        if split == "applicants":
            held_job, cutoff = "", max(first.values())
        else:
            held_job = max(first, key=lambda j: (first[j], j))
            cutoff = first[held_job]
            relevant.append((applicant, held_job))
        # One training event per earlier job, stamped with its first view and carrying its
        # longest view before the cut-off: the engine labels a pair with its furthest event, so
        # repeated views add nothing.
        earlier: dict[str, tuple[str, float | None]] = {}
        for start, job, duration in seen:
            if job == held_job or start > cutoff:
                continue
            first_start, longest = earlier.get(job, (start, None))
            if duration is not None and (longest is None or duration > longest):
                longest = duration
            earlier[job] = (first_start, longest)
        train += [(applicant, job, start, duration) for job, (start, duration) in earlier.items()]

    evaluated = set(relevant)
    leaked = [t for t in train if (t[0], t[1]) in evaluated]
    if leaked:  # cannot happen by construction; the CLI would refuse the files anyway
        raise SystemExit(f"{len(leaked)} evaluated pairs are also training events")
    pool = sorted(jobs, key=lambda j: (len(j), j))  # numeric ids in numeric order
    durations = [d for *_, d in train if d is not None]
    median = statistics.median(durations) if durations else 0.0

    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "jobs.jsonl", [jobs[j] for j in pool])
    _write_jsonl(out / "candidates.jsonl", candidates)
    with open(out / "relevant.csv", "w", encoding="utf-8") as fh:
        fh.write("candidate_id,job_id,relevance\n")
        fh.writelines(f"{a},{j},1\n" for a, j in relevant)
    for name, long_type in (("train_events.jsonl", "view"), ("train_events_dwell.jsonl", "apply")):
        _write_jsonl(
            out / name,
            [
                {
                    "candidate_id": a,
                    "job_id": j,
                    "type": long_type if d is not None and d > median else "view",
                    "timestamp": _iso(s),
                }
                for a, j, s, d in train
            ],
        )

    job_chars = [len(jobs[j]["title"]) + len(jobs[j].get("description", "")) for j in pool]
    resume_chars = [len(c["resume_text"]) for c in candidates]
    by_id = {c["id"]: c for c in candidates}
    held_in_cities = sum(
        1 for a, j in relevant if jobs[j].get("city") in by_id[a].get("desired_cities", [])
    )
    summary = {
        "data": {
            "view_rows": len(views),
            "applicants": len(by_applicant),
            "first_view": min(r["View.Start"] for r in views)[:10],
            "last_view": max(r["View.Start"] for r in views)[:10],
            "jobs": len(jobs),
            "applicants_with_two_jobs": len(two_jobs),
            "applicants_with_two_jobs_and_text": sum(1 for a in two_jobs if a in profiles),
        },
        "n_jobs": len(pool),
        "n_candidates": len(candidates),
        "n_evaluated_pairs": len(relevant),
        "n_train_events": len(train),
        "n_train_events_dwell_apply": sum(1 for d in durations if d > median),
        "median_view_seconds": median,
        "candidates_with_cities": sum(1 for c in candidates if "desired_cities" in c),
        "held_out_job_in_a_desired_city": held_in_cities,
        "job_text_chars_median": statistics.median(job_chars),
        "resume_chars_median": statistics.median(resume_chars),
        "seed": seed,
        "max_candidates": max_candidates,
        "split": split,
        "n_queries": len({a for a, _ in relevant}),
    }
    (out / "split.json").write_text(json.dumps(summary, indent=2), "utf-8")
    return summary


def _report(runs: list[dict], split: dict, k: int, command: str, code: str | None) -> str:
    d = split["data"]
    lines = [
        "# Ranking quality on real job views (US job board, "
        + ("temporal split)" if split["split"] == "time" else "half of the applicants held out)"),
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; code at {code}.",
        "",
        f"- Data: {d['view_rows']} job views ({d['first_view']} to {d['last_view']}) by "
        f"{d['applicants']} applicants of {d['jobs']} jobs; {d['applicants_with_two_jobs']} "
        f"applicants viewed at least two distinct jobs, {d['applicants_with_two_jobs_and_text']} "
        "of them have a work history or positions of interest.",
        f"- Pool: {split['n_jobs']} jobs (every job of the export) x {split['n_candidates']} "
        f"candidates (cap {split['max_candidates']}, seed {split['seed']}); "
        + (
            f"{split['n_evaluated_pairs']} held-out pairs (each candidate's job first opened "
            f"last), {split['n_train_events']} training views before them."
            if split["split"] == "time"
            else f"{split['n_queries']} applicants held out whole ({split['n_evaluated_pairs']} "
            f"jobs they viewed are the relevant items); {split['n_train_events']} training "
            "views, all by the other half."
        ),
        "- Job text is the listing title, company, city, state and industry, nothing more "
        f"(median {split['job_text_chars_median']:.0f} characters); resumes have a median of "
        f"{split['resume_chars_median']:.0f} characters; {split['candidates_with_cities']} "
        "candidates have cities in their history, and for "
        f"{split['held_out_job_in_a_desired_city']} the held-out job is in one of them.",
        "",
        HEADER,
    ]
    untrained = next((r for r in runs if not r["trained"]), None)
    for r in runs:
        lines.append(table_row(r["run"], r, untrained if r["trained"] else None))
    lines += [
        "",
        "\"x\" columns divide the engine's nDCG@10 by the baseline's, in the same run (x "
        "untrained: by the untrained engine's). Training events are all views; the dwell run, "
        "if present, "
        f"types the {split['n_train_events_dwell_apply']} training views longer than their "
        f"median of {split['median_view_seconds']:.0f} s as applications.",
        "",
        f"Commands (the inputs are written by `{command}`):",
        "",
    ]
    lines += [f"    {r['command']}" for r in runs]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--max-candidates", type=int, default=1500)
    parser.add_argument(
        "--dwell-ablation",
        action="store_true",
        help="also train with views longer than the median duration typed 'apply'",
    )
    parser.add_argument(
        "--split",
        choices=("time", "applicants"),
        default="time",
        help="hold out each applicant's last new job (time) or half of the applicants whole",
    )
    parser.add_argument("--damping", action="store_true", help="popularity damping sweep")
    parser.add_argument("--ablations", action="store_true", help="each feature family off")
    args = parser.parse_args()
    missing = [name for name in FILES if not (args.data / name).is_file()]
    if missing:
        # The data cannot ship with the repository; without it there is nothing to measure.
        print(
            f"run_job_views: {args.data} lacks {', '.join(missing)}; skipping this benchmark",
            file=sys.stderr,
        )
        return
    code = code_version()
    report_name = "job_views" if args.split == "time" else "job_views_applicants"
    inputs = RESULTS / report_name
    split = build_inputs(
        args.data, inputs, seed=args.seed, max_candidates=args.max_candidates, split=args.split
    )
    print(json.dumps(split), file=sys.stderr, flush=True)
    plan: list[tuple[str, str | None, list[str]]] = [
        ("untrained", None, []),
        ("trained on views", "train_events.jsonl", []),
    ]
    if args.dwell_ablation:
        plan.append(("trained, long views as apply", "train_events_dwell.jsonl", []))
    if args.damping:
        plan += [
            (f"trained, damping {d}", "train_events.jsonl", ["--popularity-damping", str(d)])
            for d in DAMPING
        ]
    if args.ablations:
        plan += [
            (f"trained, without {f}", "train_events.jsonl",
             [a for n in names for a in ("--disable-feature", n)])
            for f, names in FAMILIES.items()
        ]  # fmt: skip
    runs = []
    for name, events, extra in plan:
        print(f"evaluating: {name} ...", file=sys.stderr, flush=True)
        result = evaluate(
            inputs,
            direction="jobs-for-candidates",
            events=inputs / events if events else None,
            extra=["--k", str(args.k), *extra],
        )
        result["command"] = result["command"].replace(str(ROOT) + os.sep, "")
        runs.append({"run": name, **result})
    command = " ".join(["python benchmarks/run_job_views.py", *sys.argv[1:]])
    if code_version() != code:  # the tree changed under the runs: say so rather than mix
        code = f"{code}, changed to {code_version()} during the runs"
    payload = {
        "command": command,
        "code": code,
        "machine": {
            "arch": platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "split": split,
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{report_name}.json").write_text(json.dumps(payload, indent=2), "utf-8")
    report = _report(runs, split, args.k, command, code)
    (RESULTS / f"{report_name}.md").write_text(report, "utf-8")
    print(report)


if __name__ == "__main__":
    main()
