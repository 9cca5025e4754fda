"""Retrieval: hard filters, dense search over the vector index, and BM25 over words."""

from matching.retrieval.bm25 import BM25
from matching.retrieval.filters import CandidateFilters, JobFilters
from matching.retrieval.hybrid import RRF_K, LexicalIndex, fuse
from matching.retrieval.retriever import Retrieved, Retriever

__all__ = [
    "BM25",
    "CandidateFilters",
    "JobFilters",
    "LexicalIndex",
    "RRF_K",
    "Retrieved",
    "Retriever",
    "fuse",
]
