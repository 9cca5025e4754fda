"""Operator reports on the store: supply and demand, risk warnings, employment quality.

Each returns a :class:`~matching.reports.base.Report` (JSON-ready data, a CSV table, PNG
charts); :meth:`MatchingEngine.report` builds them over the engine's records.
"""

from matching.reports.base import Report
from matching.reports.quality import employment_quality
from matching.reports.risk import risk_warnings
from matching.reports.supply_demand import supply_demand

__all__ = [
    "REPORTS",
    "Report",
    "employment_quality",
    "risk_warnings",
    "supply_demand",
]

#: The reports by the name the CLI and the service give them.
REPORTS = ("supply-demand", "risk", "quality")
