"""integrity-check: finds reported numbers in a manuscript that cannot all be true.

    import integrity_check
    report = integrity_check.check("paper.pdf")        # dict, output contract schema_version 1
    doc = integrity_check.open("paper.pdf")            # the Document (text, pages, tables)
"""
from __future__ import annotations

__version__ = "0.1.0"

from .api import check, check_document, open  # noqa: E402,A004

__all__ = ["__version__", "check", "check_document", "open"]
