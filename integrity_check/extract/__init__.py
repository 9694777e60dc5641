"""Extraction: reads facts from a Document. Judges nothing; every fact keeps its span and raw strings."""
from __future__ import annotations

from ..model import Document, Facts
from .groups import ArmRegistry, arms_from_prose, arms_from_tables
from .proportions import parts_totals, prose_proportions, table_proportions


# Further extractors: functions (doc, facts, registry) -> None that append to ``facts``; they run
# after arms and percentages, in this order.
EXTRACTORS: list = []

from .tests import extract_tests  # noqa: E402  (t, F, chi-square, r, z with df and p)
from .means import extract_means  # noqa: E402  (mean ± SD; two-group comparisons; needs tests)
from .count_tables import extract_count_tables  # noqa: E402  (counts x arms with chi-square; needs tests)
EXTRACTORS.extend([extract_tests, extract_means, extract_count_tables])

from .ratios import extract_ratios  # noqa: E402  (HR/OR/RR in prose; Cox/logistic table rows)
EXTRACTORS.append(extract_ratios)
from .scales import extract_scales  # noqa: E402  (integer/bounded scale statements for GRIM, SD bounds)
EXTRACTORS.append(extract_scales)
from .design import extract_design  # noqa: E402  (design and timing statements about this study: DSN)
from .passages import extract_passages  # noqa: E402  (duplicated passages within the paper: DUP001)
EXTRACTORS.extend([extract_design, extract_passages])
from .quantities import extract_quantities  # noqa: E402  (endpoint values per arm/time point and place; total n)
from .claims import extract_claims  # noqa: E402  (prose arithmetic; needs quantities for "than the control group")
EXTRACTORS.extend([extract_quantities, extract_claims])
from .survival import extract_survival  # noqa: E402  (medians, landmark rates, enrolment period and cut-off: SRV)
from .sample_size import extract_sample_sizes  # noqa: E402  (power calculation and dropout arithmetic: SMP)
EXTRACTORS.extend([extract_survival, extract_sample_sizes])


def extract_facts(doc: Document) -> Facts:
    facts = Facts()
    facts.arms = arms_from_tables(doc) + arms_from_prose(doc)
    registry = ArmRegistry(facts.arms)
    for table in doc.tables:
        props = table_proportions(doc, table, registry)
        facts.proportions.extend(props)
        facts.parts_totals.extend(parts_totals(doc, table, props))
    facts.proportions.extend(prose_proportions(doc, registry))
    for extractor in EXTRACTORS:
        extractor(doc, facts, registry)
    return facts
