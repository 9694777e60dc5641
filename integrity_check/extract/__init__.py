"""Extraction: reads facts from a Document. Judges nothing; every fact keeps its span and raw strings."""
from __future__ import annotations

from ..model import Document, Facts
from .groups import ArmRegistry, arms_from_prose, arms_from_tables
from .proportions import parts_totals, prose_proportions, table_proportions


# Further extractors: functions (doc, facts, registry) -> None that append to ``facts``; they run
# after arms and percentages, in this order.
EXTRACTORS: list = []


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
