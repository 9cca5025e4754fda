"""The text of each record that is embedded and searched."""

from __future__ import annotations

from matching.records import CandidateProfile, Job

__all__ = ["candidate_text", "job_text"]


def job_text(job: Job) -> str:
    """The text embedded for a job: title and description, or title and skills."""
    if job.description:
        return job.text
    return " ".join([job.title, *job.required_skills, *job.preferred_skills]).strip()


def candidate_text(candidate: CandidateProfile) -> str:
    """The text embedded for a candidate: the resume, or major and skills without one."""
    if candidate.resume_text:
        return candidate.resume_text
    return " ".join([candidate.major or "", *candidate.skills]).strip()
