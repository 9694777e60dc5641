"""The engine: feeds each enabled rule the document and facts; a rule that raises becomes one
INT001 note and the run goes on."""
from __future__ import annotations

import traceback

from .checks import ALL_RULES, RuleContext
from .config import Config
from .findings import Finding, sort_findings
from .model import Document, Facts


def run_rules(doc: Document, facts: Facts, config: Config) -> list[Finding]:
    findings: list[Finding] = []
    for code, info in ALL_RULES.items():
        if code == "INT001" or not config.enabled(code):
            continue
        ctx = RuleContext(options=config.rule_options(code), alpha=config.alpha, rounding=config.rounding)
        try:
            produced = list(info.check(doc, facts, ctx) or [])
        except Exception as exc:  # one broken rule must not stop the others
            where = traceback.extract_tb(exc.__traceback__)[-1]
            findings.append(Finding(
                code="INT001", name="rule-failed", severity="note", confidence="high", evidence=[],
                message=f"rule {code} failed: {type(exc).__name__}: {exc} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})",
                reported={"rule": code},
            ))
            continue
        override = config.severity.get(code)
        for f in produced:
            if override:
                f.severity = override
            findings.append(f)
    return sort_findings(findings)
