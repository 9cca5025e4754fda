"""Fair-recruitment checks of postings: discriminatory conditions and fraud signals.

:func:`check_posting` returns a :class:`Flag` per finding (rule, category, exact span, why,
and a suggested fix); :mod:`matching.compliance.rules` holds the rules and what each leaves
alone.
"""

from matching.compliance.check import categories, check_posting, check_postings
from matching.compliance.flags import Flag, fold
from matching.compliance.pay import PayMarket
from matching.compliance.rules import RULES, Rule

__all__ = [
    "Flag",
    "PayMarket",
    "RULES",
    "Rule",
    "categories",
    "check_posting",
    "check_postings",
    "fold",
]
