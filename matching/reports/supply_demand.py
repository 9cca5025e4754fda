"""Supply and demand of graduates: where open postings outnumber seeking graduates, and the reverse.

Demand is the headcount of the open postings (deadline not passed on ``as_of``), by the skills
they ask for, the majors they prefer, their occupation (职业分类大典 2022, from the title),
city and province. Supply is the graduates still seeking (no hire recorded), by their skills,
major, desired occupations, desired cities and those cities' provinces. Each row has both
counts and their ratio (demand per seeking graduate); the shortage list (急需紧缺) ranks rows
with at least ``min_count`` openings by ``demand / (supply + 1)``, highest first (so that a
single opening nobody offers does not top the list), the surplus list rows with at least
``min_count`` graduates, lowest first. Soft skills (teamwork, communication) are left out of
the skill rows. A monthly series gives the headcount posted and
the graduates leaving school each month.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from matching.lexicon.occupations import OccupationNormalizer
from matching.lexicon.places import CityTable
from matching.lexicon.skills import SkillVocabulary
from matching.records import CandidateProfile, Event, EventType, Job
from matching.reports.base import Report, barh, left_school

__all__ = ["DIMENSIONS", "supply_demand"]

#: The dimensions the report counts along.
DIMENSIONS = ("skill", "major", "occupation", "city", "province")


def _occupations(titles: Sequence[str]) -> list[str | None]:
    if not titles:
        return []
    matches = OccupationNormalizer.default().normalize_many(list(titles))
    return [f"{m[0].code} {m[0].name}" if m else None for m in matches]


def supply_demand(
    jobs: Sequence[Job],
    candidates: Sequence[CandidateProfile],
    events: Sequence[Event],
    *,
    as_of: date,
    min_count: int = 3,
    top: int = 20,
) -> Report:
    """The supply-and-demand report (see the module notes)."""
    cities = CityTable.default()
    vocabulary = SkillVocabulary.default()

    def hard(names: Sequence[str]) -> set[str]:
        return {n for n in names if (s := vocabulary.get(n)) is None or s.category != "soft"}

    open_jobs = [j for j in jobs if j.deadline is None or j.deadline >= as_of]
    hired = {e.candidate_id for e in events if e.type is EventType.HIRE}
    seeking = [c for c in candidates if c.id not in hired]
    demand: dict[str, Counter[str]] = defaultdict(Counter)
    supply: dict[str, Counter[str]] = defaultdict(Counter)
    for job, occupation in zip(open_jobs, _occupations([j.title for j in open_jobs]), strict=True):
        n = max(1, job.headcount)
        for skill in hard((*job.required_skills, *job.preferred_skills)):
            demand["skill"][skill] += n
        for major in set(job.preferred_majors):
            demand["major"][major] += n
        if occupation:
            demand["occupation"][occupation] += n
        if job.city:
            demand["city"][job.city] += n
            province = cities.province_of(job.city)
            if province:
                demand["province"][province] += n
    wishes = _occupations([t for c in seeking for t in c.desired_job_types])
    it = iter(wishes)
    for cand in seeking:
        for skill in hard(cand.skills):
            supply["skill"][skill] += 1
        if cand.major:
            supply["major"][cand.major] += 1
        for occupation in {next(it) for _ in cand.desired_job_types} - {None}:
            supply["occupation"][str(occupation)] += 1
        for city in set(cand.desired_cities):
            supply["city"][city] += 1
        for province in {cities.province_of(c) for c in cand.desired_cities} - {None}:
            supply["province"][str(province)] += 1
    rows: list[dict[str, Any]] = []
    for dim in DIMENSIONS:
        for key in set(demand[dim]) | set(supply[dim]):
            d, s = demand[dim][key], supply[dim][key]
            rows.append(
                {
                    "dimension": dim,
                    "value": key,
                    "demand": d,
                    "supply": s,
                    "ratio": round(d / s, 4) if s else None,
                    # for ranking: no supply is not an infinite shortage of one opening
                    "smoothed_ratio": round(d / (s + 1), 4),
                }
            )
    rows.sort(key=lambda r: (DIMENSIONS.index(r["dimension"]), -r["demand"], r["value"]))

    def shortage(dim: str) -> list[dict[str, Any]]:
        cands = [r for r in rows if r["dimension"] == dim and r["demand"] >= min_count]
        return sorted(cands, key=lambda r: (-r["smoothed_ratio"], -r["demand"], r["value"]))[:top]

    def surplus(dim: str) -> list[dict[str, Any]]:
        cands = [r for r in rows if r["dimension"] == dim and r["supply"] >= min_count]
        return sorted(cands, key=lambda r: (r["smoothed_ratio"], -r["supply"], r["value"]))[:top]

    months: dict[str, dict[str, int]] = defaultdict(lambda: {"demand": 0, "supply": 0})
    for job in jobs:
        if job.posted_at is not None:
            months[job.posted_at.strftime("%Y-%m")]["demand"] += max(1, job.headcount)
    for cand in candidates:
        left = left_school(cand.graduation_year)
        if left is not None:
            months[left.strftime("%Y-%m")]["supply"] += 1
    series = [{"month": m, **v} for m, v in sorted(months.items())]
    data: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "n_open_postings": len(open_jobs),
        "open_headcount": sum(max(1, j.headcount) for j in open_jobs),
        "n_seeking_graduates": len(seeking),
        "min_count": min_count,
        "shortage": {dim: shortage(dim) for dim in DIMENSIONS},
        "surplus": {dim: surplus(dim) for dim in DIMENSIONS},
        "monthly": series,
    }

    def chart(kind: str, dim: str) -> Any:
        def draw(ax: Any) -> None:
            items = data[kind][dim][:15]
            values = [r["smoothed_ratio"] for r in items]
            word = "shortage" if kind == "shortage" else "surplus"
            barh(
                ax,
                [r["value"] for r in items],
                values,
                f"{word}: {dim}",
                "openings per seeking graduate",
            )

        return draw

    def monthly(ax: Any) -> None:
        ax.plot(
            [r["month"] for r in series], [r["demand"] for r in series], label="headcount posted"
        )
        ax.plot(
            [r["month"] for r in series],
            [r["supply"] for r in series],
            label="graduates leaving school",
        )
        ax.set_title("demand and supply by month")
        ax.tick_params(axis="x", rotation=60, labelsize=7)
        ax.legend()

    charts = {f"{k}_{d}": chart(k, d) for k in ("shortage", "surplus") for d in ("skill", "major")}
    charts["monthly"] = monthly
    return Report("supply_demand", data, rows, charts)
