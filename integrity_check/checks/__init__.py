"""All rules. Adding a rule: its module here, one import line below, its fixture file."""
from __future__ import annotations

from . import (  # noqa: F401  (importing registers the rule)
    int001_rule_failed,
    pct001_percentage_inconsistent_with_n,
    pct002_count_percent_mismatch,
    pct003_parts_do_not_add_up,
    pct004_implied_denominator,
)
from .base import REGISTRY, RuleContext, RuleInfo

ALL_RULES: dict[str, RuleInfo] = dict(sorted(REGISTRY.items()))

__all__ = ["ALL_RULES", "RuleContext", "RuleInfo"]
