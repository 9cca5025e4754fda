"""An interaction log for the demo: views, applications, interviews, offers and hires.

Events come from a hidden preference model, so that a ranker trained on them has something real
to learn, and from a plausible exposure process, so that the log holds hard negatives:

* **Exposure.** Each candidate views 10-30 postings: most from the job types they want or their
  major leads to (preferring their desired cities), some from their desired cities in any field,
  and some from random browsing.
* **Candidate side.** A hidden utility of the pair (field fit of the major, skill overlap, city,
  degree requirement met, pay against expectation, plus noise) decides who applies and, at the
  end, which offer is accepted (at most one hire per candidate).
* **Employer side.** A hidden suitability (skill coverage, major fit, degree, experience, plus
  noise) decides interviews and offers.

Neither model reads the sensitive attributes. Every step is logged, with increasing timestamps,
so a pair that reached an offer has a view, an apply, an interview and an offer event; the label
of a pair is the grade of its furthest event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np

from matching.records import DegreeLevel

__all__ = ["PairFit", "simulate_events"]

_CST = timezone(timedelta(hours=8))
_STEPS = ("view", "apply", "interview", "offer", "hire")


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def _rank(degree: str | None) -> int:
    return DegreeLevel(degree).rank if degree else 0


@dataclass(frozen=True, slots=True)
class PairFit:
    """The hidden fit of a candidate and a job, from profile fields only.

    Parameters
    ----------
    related_families : callable
        Occupation families (job types) a major leads to, ``related_families(major)``.
    major_similarity : callable
        Similarity in [0, 1] of two majors, ``major_similarity(a, b) -> float``.
    province_of : dict
        City -> province, so that a posting in the candidate's province counts a little.
    """

    related_families: Callable[[str], Sequence[str]]
    major_similarity: Callable[[str, str], float]
    province_of: dict[str, str]

    def field_fit(self, cand: dict[str, Any], job: dict[str, Any]) -> float:
        """1 when the major leads to the job type; else the best similarity to a wanted major."""
        major = cand["major"]
        if job["job_type"] in self.related_families(major):
            return 1.0
        sims = [self.major_similarity(major, m) for m in job["preferred_majors"]]
        return 0.8 * max(sims, default=0.0)

    @staticmethod
    def skill_coverage(cand: dict[str, Any], job: dict[str, Any]) -> float:
        """Share of the job's required and preferred skills that the candidate has (0 if none)."""
        wanted = set(job["required_skills"]) | set(job["preferred_skills"])
        if not wanted:
            return 0.0
        return len(wanted & set(cand["skills"])) / len(wanted)

    def candidate_utility(self, cand: dict[str, Any], job: dict[str, Any]) -> float:
        """How much the candidate wants the job (before noise)."""
        cities = cand["desired_cities"]
        city = 1.0 if job["city"] in cities else 0.0
        province = 0.0
        if not city:
            home = {self.province_of.get(c) for c in cities}
            province = 1.0 if self.province_of.get(job["city"]) in home else 0.0
        wants_type = job["job_type"] in cand["desired_job_types"]
        short = max(0, _rank(job["min_degree"]) - _rank(cand["degree"]))
        pay = np.log(max(job["salary_max"], 1) / max(cand["expected_salary"], 1))
        return (
            1.6 * self.field_fit(cand, job)
            + 1.4 * self.skill_coverage(cand, job)
            + 0.9 * city
            + 0.4 * province
            + 0.6 * float(wants_type)
            - 1.2 * short
            + 0.8 * float(np.clip(pay, -1.0, 0.7))
        )

    def employer_suitability(self, cand: dict[str, Any], job: dict[str, Any]) -> float:
        """How well the candidate meets what the employer asks (before noise)."""
        required = set(job["required_skills"])
        coverage = len(required & set(cand["skills"])) / len(required) if required else 0.5
        gap = _rank(cand["degree"]) - _rank(job["min_degree"])
        degree = -1.5 if gap < 0 else min(gap, 1) * 0.3
        experience = -0.15 * max(0.0, (job["experience_years"] or 0.0) - cand["experience_years"])
        return 2.0 * coverage + 1.3 * self.field_fit(cand, job) + degree + experience


def _exposure(
    cand: dict[str, Any],
    fit: PairFit,
    jobs: Sequence[dict[str, Any]],
    by_type: dict[str, list[int]],
    by_city: dict[str, list[int]],
    rng: np.random.Generator,
) -> list[int]:
    """Indexes of the postings a candidate sees, without repeats."""
    n_view = int(rng.integers(10, 31))
    wanted = set(cand["desired_job_types"]) | set(fit.related_families(cand["major"]))
    related = sorted(i for t in wanted for i in by_type.get(t, ()))
    local = sorted({i for c in cand["desired_cities"] for i in by_city.get(c, ())})
    seen: list[int] = []
    chosen: set[int] = set()

    def take(pool: Sequence[int], k: int, *, near: bool = False) -> None:
        pool = [i for i in pool if i not in chosen]
        k = min(k, len(pool))
        if k <= 0:
            return
        p = None
        if near:
            # A search by field shows the candidate's own cities first and mostly postings whose
            # degree requirement they meet (boards filter on it by default).
            w = np.array(
                [
                    (3.0 if jobs[i]["city"] in cand["desired_cities"] else 1.0)
                    * (3.0 if _rank(jobs[i]["min_degree"]) <= _rank(cand["degree"]) else 1.0)
                    for i in pool
                ]
            )
            p = w / w.sum()
        for i in rng.choice(len(pool), size=k, replace=False, p=p):
            chosen.add(pool[int(i)])
            seen.append(pool[int(i)])

    n_related = int(round(n_view * rng.uniform(0.45, 0.7)))
    n_local = int(round((n_view - n_related) * 0.55))
    take(related, n_related, near=True)
    take(local, n_local)
    take(range(len(jobs)), n_view - len(seen))
    return seen


def _moment(day: date, rng: np.random.Generator) -> datetime:
    # Job boards are busiest in working hours; minutes make the order of a day's events real.
    minute = int(rng.integers(8 * 60, 23 * 60))
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=_CST)


def simulate_events(
    candidates: Sequence[dict[str, Any]],
    jobs: Sequence[dict[str, Any]],
    fit: PairFit,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    """Simulate the interaction log of ``candidates`` with ``jobs``.

    Parameters
    ----------
    candidates, jobs : sequences of dict
        Records as written to the demo files (``Candidate.to_dict`` / ``Job.to_dict`` shape).
    fit : PairFit
        The hidden fit model.
    rng : numpy.random.Generator
        Source of randomness; the same state gives the same log.

    Returns
    -------
    list of dict
        Event records (``candidate_id``, ``job_id``, ``type``, ``timestamp``), sorted by time.
    """
    by_type: dict[str, list[int]] = {}
    by_city: dict[str, list[int]] = {}
    for i, job in enumerate(jobs):
        by_type.setdefault(job["job_type"], []).append(i)
        by_city.setdefault(job["city"], []).append(i)
    events: list[tuple[datetime, str, str, int]] = []
    for cand in candidates:
        # A personal threshold: some graduates apply widely, others only to near-perfect fits.
        threshold = float(rng.normal(2.4, 0.35))
        offers: list[tuple[float, int, datetime]] = []
        for j in _exposure(cand, fit, jobs, by_type, by_city, rng):
            job = jobs[j]
            posted = date.fromisoformat(job["posted_at"])
            deadline = date.fromisoformat(job["deadline"])
            when = _moment(
                posted + timedelta(days=int(rng.integers(0, (deadline - posted).days + 1))), rng
            )
            events.append((when, cand["id"], job["id"], 0))
            utility = fit.candidate_utility(cand, job) + float(rng.normal(0.0, 0.45))
            if rng.random() >= _sigmoid(2.5 * (utility - threshold)):
                continue
            when += timedelta(hours=float(rng.uniform(0.1, 48)))
            events.append((when, cand["id"], job["id"], 1))
            suit = fit.employer_suitability(cand, job) + float(rng.normal(0.0, 0.5))
            if rng.random() >= _sigmoid(2.0 * (suit - 2.0)):
                continue
            when += timedelta(days=float(rng.uniform(3, 14)))
            events.append((when, cand["id"], job["id"], 2))
            if rng.random() >= _sigmoid(2.0 * (suit + float(rng.normal(0.0, 0.4)) - 2.6)):
                continue
            when += timedelta(days=float(rng.uniform(2, 10)))
            events.append((when, cand["id"], job["id"], 3))
            offers.append((utility, j, when))
        if offers:
            # The candidate takes the best offer they are happy enough with, and only one.
            utility, j, when = max(offers, key=lambda o: (o[0], -o[1]))
            if rng.random() < _sigmoid(2.0 * (utility - threshold + 0.8)):
                when += timedelta(days=float(rng.uniform(1, 7)))
                events.append((when, cand["id"], jobs[j]["id"], 4))
    events.sort(key=lambda e: (e[0], e[1], e[2], e[3]))
    return [
        {
            "candidate_id": c,
            "job_id": j,
            "type": _STEPS[t],
            "timestamp": when.replace(microsecond=0).isoformat(),
        }
        for when, c, j, t in events
    ]
