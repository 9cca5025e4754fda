"""Ingestion: files into validated records, facts read out of free text, records completed.

Pure text readers (:func:`extract_min_degree`, :func:`extract_salary`, ...) return ``None`` when
a text does not say; :class:`Enricher` fills a record's missing fields with them and with the
vocabularies; the file readers accept JSONL, JSON, CSV and schema.org ``JobPosting``.
"""

from matching.ingest.degree import extract_degree, extract_highest_degree, extract_min_degree
from matching.ingest.enrich import Enricher
from matching.ingest.experience import extract_experience_years
from matching.ingest.graduation import extract_graduation_year
from matching.ingest.readers import read_candidates, read_events, read_jobs, read_records
from matching.ingest.salary import extract_salary
from matching.ingest.schema_org import job_from_schema_org

__all__ = [
    "Enricher",
    "extract_degree",
    "extract_experience_years",
    "extract_graduation_year",
    "extract_highest_degree",
    "extract_min_degree",
    "extract_salary",
    "job_from_schema_org",
    "read_candidates",
    "read_events",
    "read_jobs",
    "read_records",
]
