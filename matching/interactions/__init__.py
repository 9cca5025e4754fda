"""The event log as evidence: snapshots of what was known when, and the signals of a pair."""

from matching.interactions.log import GRADE_GAIN, HALF_LIFE_DAYS, InteractionLog, Snapshot
from matching.interactions.signals import HISTORY_SIGNALS, NEIGHBOURS, history_signals
from matching.interactions.sources import engaged_with_similar_jobs, peer_jobs, popular_jobs
from matching.interactions.view import Added, HistoryView, LogVectors

__all__ = [
    "Added",
    "GRADE_GAIN",
    "HALF_LIFE_DAYS",
    "HISTORY_SIGNALS",
    "HistoryView",
    "InteractionLog",
    "LogVectors",
    "NEIGHBOURS",
    "Snapshot",
    "engaged_with_similar_jobs",
    "history_signals",
    "peer_jobs",
    "popular_jobs",
]
