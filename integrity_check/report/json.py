"""The JSON report (output contract, schema_version 1)."""
from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..findings import Finding
from ..model import Document, Facts, Problem

SCHEMA_VERSION = 1


def problem_dict(p: Problem) -> dict[str, Any]:
    return {"kind": p.kind, "page": p.page, "message": p.message}


def build_report(doc: Document | None, findings: list[Finding], facts: Facts | None, path: str,
                 problems: list[Problem] | None = None, sha256: str = "", seconds: float | None = None) -> dict[str, Any]:
    counts = {"error": 0, "warning": 0, "note": 0}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    report = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "integrity-check", "version": __version__},
        "document": {
            "path": path,
            "sha256": doc.sha256 if doc else sha256,
            "pages": len(doc.pages) if doc and doc.kind == "pdf" else None,
            "title": doc.title if doc else "",
        },
        "summary": {**counts, "significance_flips": sum(1 for f in findings if f.significance_flip),
                    "facts": facts.counts() if facts else {}},
        "findings": [f.to_dict() for f in findings],
        "problems": [problem_dict(p) for p in (problems if problems is not None else (doc.problems if doc else []))],
    }
    if seconds is not None:
        report["timing"] = {"seconds": round(seconds, 3)}
    return report


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
