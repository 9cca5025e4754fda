"""Employment quality from outcomes: how related, how paid and how fast graduates were hired.

For each graduate's first hire (or, without one, first offer) recorded in the events:

- major-job relatedness: 1.0 when the graduate's major is one the posting prefers, 0.75 when
  it is of the same major class (专业类), 0 otherwise (unknown when either side names none);
- salary against expectation: the posting's pay (the middle of its range) over the
  graduate's expected salary;
- time to offer: days from leaving school (1 July of the graduation year) to the offer; an
  offer before leaving school counts as 0.

Each indicator is averaged by school, major, school tier and hardship status (assisted or
not; a group, never a person, appears), with the counts behind each figure.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from matching.lexicon.majors import MajorVocabulary
from matching.lexicon.schools import SchoolTable
from matching.records import Candidate, Event, EventType, Job
from matching.reports.base import Report, barh, left_school

__all__ = ["GROUPINGS", "employment_quality"]

#: What the indicators are averaged by.
GROUPINGS = ("school", "major", "school_tier", "assisted")


def _relatedness(majors: MajorVocabulary, major: str | None, job: Job) -> float | None:
    if not major or not job.preferred_majors:
        return None
    return max(majors.similarity(major, m) for m in job.preferred_majors)


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None


def employment_quality(
    jobs: Sequence[Job], candidates: Sequence[Candidate], events: Sequence[Event]
) -> Report:
    """The employment-quality report (see the module notes)."""
    majors = MajorVocabulary.default()
    schools = SchoolTable.default()
    by_job = {j.id: j for j in jobs}
    by_cand = {c.id: c for c in candidates}
    firsts: dict[str, Event] = {}
    for e in sorted(
        (e for e in events if e.type in (EventType.HIRE, EventType.OFFER)),
        key=lambda e: (e.type is not EventType.HIRE, e.timestamp is None, e.timestamp or 0),
    ):
        firsts.setdefault(e.candidate_id, e)
    outcomes = []
    for cid, event in firsts.items():
        cand, job = by_cand.get(cid), by_job.get(event.job_id)
        if cand is None or job is None:
            continue
        profile = cand
        pay = None
        if job.salary_min is not None or job.salary_max is not None:
            low = job.salary_min if job.salary_min is not None else job.salary_max
            high = job.salary_max if job.salary_max is not None else job.salary_min
            pay = (low + high) / 2  # type: ignore[operator]
        left = left_school(profile.graduation_year)
        days = None
        if left is not None and event.timestamp is not None:
            days = max(0, (event.timestamp.date() - left).days)
        outcomes.append(
            {
                "school": profile.school or "unknown",
                "major": profile.major or "unknown",
                "school_tier": schools.tier_of(profile.school),
                "assisted": "assisted" if cand.sensitive.assisted else "not_assisted",
                "relatedness": _relatedness(majors, profile.major, job),
                "salary_vs_expectation": (
                    round(pay / profile.expected_salary, 4)
                    if pay is not None and profile.expected_salary
                    else None
                ),
                "days_to_offer": days,
                "outcome": event.type.value,
            }
        )

    def summarise(items: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"n": len(items)}
        for key in ("relatedness", "salary_vs_expectation", "days_to_offer"):
            values = [float(i[key]) for i in items if i[key] is not None]
            out[key] = _mean(values)
            out[f"n_{key}"] = len(values)
        return out

    groups: dict[str, list[dict[str, Any]]] = {}
    rows = []
    for grouping in GROUPINGS:
        buckets: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for o in outcomes:
            buckets[str(o[grouping])].append(o)
        summary = sorted(
            ({"group": g, **summarise(v)} for g, v in buckets.items()), key=lambda r: -r["n"]
        )
        groups[grouping] = summary
        rows += [{"grouping": grouping, **r} for r in summary]
    data = {"n_outcomes": len(outcomes), "overall": summarise(outcomes), "by": groups}

    def chart(key: str, title: str, unit: str) -> Any:
        def draw(ax: Any) -> None:
            items = [r for r in groups["school_tier"] if r[key] is not None]
            barh(ax, [r["group"] for r in items], [r[key] for r in items], title, unit)

        return draw

    charts = {
        "relatedness": chart("relatedness", "major-job relatedness by school tier", "mean (0-1)"),
        "salary": chart(
            "salary_vs_expectation", "pay against expectation by school tier", "pay / expected"
        ),
        "time_to_offer": chart("days_to_offer", "time to offer by school tier", "days"),
    }
    return Report("employment_quality", data, rows, charts)
