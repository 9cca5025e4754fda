"""The demo's dates move to the day an engine is built from it, so its postings stay open."""

from __future__ import annotations

from datetime import date

from matching.demo import demo_as_of, read_demo_records


def _open_on(day: date, jobs: list[dict]) -> int:
    return sum(
        date.fromisoformat(j["posted_at"]) <= day <= date.fromisoformat(j["deadline"])
        for j in jobs
        if j.get("posted_at") and j.get("deadline")
    )


def test_the_bundled_demo_moved_to_any_day_has_as_many_open_postings() -> None:
    jobs = read_demo_records("jobs")
    candidates = read_demo_records("candidates")
    events = read_demo_records("events")
    newest = max(date.fromisoformat(j["posted_at"]) for j in jobs if j.get("posted_at"))
    for day in (date(2027, 2, 1), date(2031, 6, 30)):
        moved_jobs, moved_cands, moved_events = demo_as_of(day, jobs, candidates, events)
        assert max(j["posted_at"] for j in moved_jobs if j["posted_at"]) == day.isoformat()
        assert _open_on(day, moved_jobs) == _open_on(newest, jobs) > 100
        # intervals are kept: each posting is open as many days as before
        for before, after in zip(jobs[:50], moved_jobs[:50], strict=True):
            if before.get("posted_at") and before.get("deadline"):
                span = date.fromisoformat(before["deadline"]) - date.fromisoformat(
                    before["posted_at"]
                )
                assert (
                    date.fromisoformat(after["deadline"]) - date.fromisoformat(after["posted_at"])
                ) == span
        years = {
            c["graduation_year"] - b["graduation_year"]
            for b, c in zip(candidates, moved_cands, strict=True)
            if b.get("graduation_year")
        }
        assert years == {round((day - newest).days / 365.25)}
        assert (
            len(moved_events) == len(events)
            and moved_events[0]["timestamp"] != events[0]["timestamp"]
        )
    # the records themselves are not changed
    assert read_demo_records("jobs")[0] == jobs[0]
