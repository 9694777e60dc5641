"""All rules. Adding a rule: its module here, one import line below, its fixture file."""
from __future__ import annotations

from . import (  # noqa: F401  (importing registers the rule)
    int001_rule_failed,
    pct001_percentage_inconsistent_with_n,
    pct002_count_percent_mismatch,
    pct003_parts_do_not_add_up,
    pct004_implied_denominator,
)
from . import hzr001_ratio_not_exp_coefficient, hzr002_ci_inconsistent  # noqa: F401,E402
from . import hzr003_wald_inconsistent, hzr004_p_inconsistent_with_ci  # noqa: F401,E402
from . import msd001_grim_mean, msd002_grimmer_sd, msd003_sd_impossible_for_scale  # noqa: F401,E402
from . import dup003_reused_statistic  # noqa: F401,E402
from . import pvl001_p_inconsistent, pvl002_p_flips_significance, pvl003_df_mismatch  # noqa: F401,E402
from . import chi001_chisq_inconsistent_with_counts, chi002_chisq_small_expected  # noqa: F401,E402
from . import tst001_t_inconsistent_with_summaries, tst002_t_p_inconsistent  # noqa: F401,E402
from . import dsn001_design_contradiction, dsn002_timing_contradiction  # noqa: F401,E402
from . import dup001_duplicated_passage, dup002_cross_paper_duplication  # noqa: F401,E402
from . import ari001_prose_arithmetic, ari002_same_quantity_two_values  # noqa: F401,E402
from . import xrf001_cross_reference_mismatch, xrf002_p_attributed_to_two_tests  # noqa: F401,E402
from . import srv001_median_vs_landmark, srv002_pfs_above_os, srv003_landmark_not_attainable  # noqa: F401,E402
from . import smp001_dropout_arithmetic, smp002_sample_size_recomputed  # noqa: F401,E402
from .base import REGISTRY, RuleContext, RuleInfo

ALL_RULES: dict[str, RuleInfo] = dict(sorted(REGISTRY.items()))

__all__ = ["ALL_RULES", "RuleContext", "RuleInfo"]
