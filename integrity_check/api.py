"""Public API: open a file as a Document, check a file or Document against a rule pack."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .engine import run_rules
from .extract import extract_facts
from .ingest import load_document
from .model import Document
from .report.json import build_report


def open(path: str | Path, password: str | None = None, max_pages: int | None = None) -> Document:  # noqa: A001
    return load_document(path, password=password, max_pages=max_pages)


def check_document(doc: Document, config: Config | None = None) -> dict[str, Any]:
    config = config or load_config()
    started = time.perf_counter()
    facts = extract_facts(doc)
    findings = run_rules(doc, facts, config)
    return build_report(doc, findings, facts, doc.path, seconds=time.perf_counter() - started)


def check(path_or_doc: str | Path | Document, pack: str | Path = "default", password: str | None = None) -> dict[str, Any]:
    config = load_config(pack)
    started = time.perf_counter()
    doc = path_or_doc if isinstance(path_or_doc, Document) else open(path_or_doc, password=password)
    report = check_document(doc, config)
    report["timing"] = {"seconds": round(time.perf_counter() - started, 3)}
    return report
