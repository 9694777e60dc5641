"""Renderers of a schema_version 1 report dict: HTML (per paper and index), CSV, terminal text."""
from __future__ import annotations

from .csv import FINDING_COLUMNS, paper_findings_csv, write_findings_csv
from .html import render_index_html, render_paper_html
from .text import render_text

__all__ = [
    "FINDING_COLUMNS",
    "paper_findings_csv",
    "render_index_html",
    "render_paper_html",
    "render_text",
    "write_findings_csv",
]
