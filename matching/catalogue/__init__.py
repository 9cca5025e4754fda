"""The catalogue of jobs and candidates: records in, stored and embedded, views for ranking out."""

from matching.catalogue.catalogue import APPLIED, Catalogue
from matching.catalogue.side import Side
from matching.catalogue.texts import candidate_text, job_text

__all__ = ["APPLIED", "Catalogue", "Side", "candidate_text", "job_text"]
