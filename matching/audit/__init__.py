"""Fairness audits of recruiters' rankings: JSON reports and PNG charts per attribute.

See :mod:`matching.audit.report` for what a report holds; :meth:`MatchingEngine.audit_report`
builds one over the engine's jobs.
"""

from matching.audit.charts import chart_png, write_charts
from matching.audit.report import (
    AUDIT_ATTRIBUTES,
    MIN_POOL_SHARE,
    STAGES,
    AuditReport,
    build_report,
)

__all__ = [
    "AUDIT_ATTRIBUTES",
    "AuditReport",
    "MIN_POOL_SHARE",
    "STAGES",
    "build_report",
    "chart_png",
    "write_charts",
]
