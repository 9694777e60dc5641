"""The rule registry: one module per rule, each a function decorated with ``@rule``.

A rule's documentation is its module docstring, with the headings What it checks / Why it
matters / Example / Tolerance / Known limitations / References. A rule receives the document,
the extracted facts and a ``RuleContext`` (options, alpha, rounding method) and yields Findings.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..findings import SEVERITIES, Finding
from ..model import Document, Facts

CODE = re.compile(r"^[A-Z]{3}\d{3}$")
DOC_HEADINGS = ("What it checks", "Why it matters", "Example", "Tolerance", "Known limitations", "References")


@dataclass(frozen=True)
class RuleContext:
    options: dict[str, Any]
    alpha: float = 0.05
    rounding: str = "up_or_down"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    severity: str
    family: str
    doc: str
    options: dict[str, Any]
    check: Callable[[Document, Facts, RuleContext], Iterable[Finding]]

    @property
    def summary(self) -> str:
        """The docstring's first paragraph after "CODE name:", on one line."""
        first = " ".join(self.doc.split("\n\n", 1)[0].split())
        return first.split(":", 1)[1].strip() if ":" in first else first

    def finding(self, message: str, evidence, **kw) -> Finding:
        severity = kw.pop("severity", self.severity)
        return Finding(code=self.code, name=self.name, severity=severity, message=message, evidence=list(evidence), **kw)


REGISTRY: dict[str, RuleInfo] = {}


def rule(code: str, name: str, severity: str, options: dict[str, Any] | None = None):
    if not CODE.match(code):
        raise ValueError(f"bad rule code {code!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"bad severity {severity!r}")

    def register(func):
        module = sys.modules[func.__module__]
        doc = (module.__doc__ or "").strip()
        if code in REGISTRY and REGISTRY[code].check is not func:
            raise ValueError(f"rule code {code} registered twice")
        info = RuleInfo(code, name, severity, code[:3], doc, dict(options or {}), func)
        REGISTRY[code] = info
        func.rule = info
        return func

    return register
