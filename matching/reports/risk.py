"""Risk warnings: graduates who may not find work in time, tiered for real-name follow-up.

For each graduate still seeking (no offer or hire recorded) who left school no more than
:data:`FOLLOW_UP_MONTHS` ago, or leaves within six months, the tier follows from:

- months since leaving school (1 July of the graduation year) without an offer;
- hardship status (a hardship-assisted graduate is followed up sooner);
- how many suitable open postings exist: open on ``as_of``, not above the graduate's degree,
  in the province of a desired city (when any is given), and naming a skill of the graduate
  (soft skills aside) or the graduate's major;
- recent activity (views and applications in the last 30 days) and responses (interviews).

``red``: six months or more without an offer and at least one more warning sign (assisted,
fewer than :data:`FEW_SUITABLE` suitable postings, no activity for 30 days); or three months
or more for an assisted graduate with another sign. ``yellow``: three months or more without
an offer, or any warning sign. ``green`` otherwise. Each entry lists the reasons. The list
is ordered by tier, then by months without an offer; it names people and their hardship
status, so it is for operators only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from matching.lexicon.places import CityTable
from matching.lexicon.skills import SkillVocabulary
from matching.records import Candidate, Event, EventType, Job
from matching.reports.base import Report, barh, left_school, months_between

__all__ = ["FEW_SUITABLE", "FOLLOW_UP_MONTHS", "TIERS", "risk_warnings"]

#: How long after leaving school graduates are followed up.
FOLLOW_UP_MONTHS = 24
#: Fewer suitable open postings than this is a warning sign.
FEW_SUITABLE = 5
#: The tiers, most urgent first.
TIERS = ("red", "yellow", "green")

_DEGREE_ORDER = {"associate": 1, "bachelor": 2, "master": 3, "doctor": 4}


def _hard(skills: Iterable[str], vocabulary: SkillVocabulary) -> set[str]:
    """The skills that are not soft ones (teamwork says nothing about fit)."""
    out = set()
    for name in skills:
        skill = vocabulary.get(name)
        if skill is None or skill.category != "soft":
            out.add(name)
    return out


def _suitable(
    cand: Candidate, jobs: Sequence[Job], cities: CityTable, skills: SkillVocabulary
) -> int:
    hard = _hard(cand.skills, skills)
    degree = _DEGREE_ORDER.get(cand.degree.value if cand.degree else "", 0)
    provinces = {cities.province_of(c) for c in cand.desired_cities} - {None}
    n = 0
    for job in jobs:
        if provinces and cities.province_of(job.city or "") not in provinces:
            continue
        need = _DEGREE_ORDER.get(job.min_degree.value if job.min_degree else "", 0)
        if degree and need > degree:
            continue
        if hard & _hard((*job.required_skills, *job.preferred_skills), skills) or (
            cand.major and cand.major in job.preferred_majors
        ):
            n += 1
    return n


def risk_warnings(
    jobs: Sequence[Job],
    candidates: Sequence[Candidate],
    events: Sequence[Event],
    *,
    as_of: date,
) -> Report:
    """The risk-warning list (see the module notes)."""
    open_jobs = [j for j in jobs if j.deadline is None or j.deadline >= as_of]
    cities, skill_vocabulary = CityTable.default(), SkillVocabulary.default()
    by_cand: Mapping[str, list[Event]] = defaultdict(list)
    for e in events:
        by_cand[e.candidate_id].append(e)  # type: ignore[attr-defined]
    recent = datetime.combine(as_of - timedelta(days=30), datetime.min.time(), timezone.utc)
    entries: list[dict[str, Any]] = []
    for cand in candidates:
        profile = cand
        left = left_school(profile.graduation_year)
        if left is None:
            continue
        months = months_between(left, as_of)
        if months > FOLLOW_UP_MONTHS or months < -6:
            continue
        own = by_cand.get(profile.id, [])
        if any(e.type in (EventType.OFFER, EventType.HIRE) for e in own):
            continue
        active = [
            e
            for e in own
            if e.timestamp is not None
            and (e.timestamp if e.timestamp.tzinfo else e.timestamp.replace(tzinfo=timezone.utc))
            >= recent
        ]
        interviews = sum(1 for e in own if e.type is EventType.INTERVIEW)
        suitable = _suitable(cand, open_jobs, cities, skill_vocabulary)
        assisted = cand.sensitive.assisted
        signs = []
        if assisted:
            signs.append("hardship-assisted graduate")
        if suitable < FEW_SUITABLE:
            signs.append(f"{suitable} suitable open postings")
        if not active:
            signs.append("no views or applications in the last 30 days")
        reasons = []
        if months >= 0:
            reasons.append(f"{months:.1f} months since leaving school without an offer")
        else:
            reasons.append(f"leaves school in {-months:.1f} months")
        reasons += signs
        if interviews:
            reasons.append(f"{interviews} interview(s), no offer yet")
        others = len(signs) - int(assisted)
        if (months >= 6 and signs) or (months >= 3 and assisted and others):
            tier = "red"
        elif months >= 3 or signs:
            tier = "yellow"
        else:
            tier = "green"
        entries.append(
            {
                "candidate_id": profile.id,
                "tier": tier,
                "months_since_leaving_school": round(months, 1),
                "assisted": assisted,
                "suitable_open_postings": suitable,
                "recent_events": len(active),
                "interviews": interviews,
                "reasons": reasons,
            }
        )
    entries.sort(
        key=lambda e: (TIERS.index(e["tier"]), -e["months_since_leaving_school"], e["candidate_id"])
    )
    counts = {t: sum(1 for e in entries if e["tier"] == t) for t in TIERS}
    data: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "follow_up_months": FOLLOW_UP_MONTHS,
        "n_followed": len(entries),
        "tiers": counts,
        "follow_up": entries,
    }
    rows = [{**e, "reasons": "; ".join(e["reasons"])} for e in entries]

    def tiers(ax: Any) -> None:
        barh(ax, list(TIERS), [counts[t] for t in TIERS], "graduates by risk tier", "graduates")

    return Report("risk_warnings", data, rows, {"tiers": tiers})
