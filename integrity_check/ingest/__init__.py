"""Ingest: files to Documents (PDF via pypdfium2 + pdfplumber tables; plain text)."""
from __future__ import annotations

from pathlib import Path

from ..model import Document

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
PDF_SUFFIXES = {".pdf"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES


class IngestError(Exception):
    """A file that cannot be read at all; ``kind`` names the problem for reports."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def load_document(path: str | Path, password: str | None = None, max_pages: int | None = None) -> Document:
    path = Path(path)
    try:
        if path.is_symlink() and not path.exists():
            raise IngestError("unreadable", "broken symbolic link")
        if path.is_dir():
            raise IngestError("unreadable", "is a directory")
        data = path.read_bytes()
    except IngestError:
        raise
    except FileNotFoundError:
        raise IngestError("unreadable", "no such file") from None
    except PermissionError:
        raise IngestError("unreadable", "permission denied") from None
    except OSError as exc:
        raise IngestError("unreadable", f"cannot read the file ({exc.strerror or exc})") from None
    if not data.strip():
        raise IngestError("empty", "the file is empty")
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES or data[:5] == b"%PDF-":
        from .pdf import PdfOpenError, read_pdf_document

        try:
            return read_pdf_document(path, data, password=password, max_pages=max_pages)
        except PdfOpenError as exc:
            raise IngestError(exc.kind, str(exc)) from None
    from .text import read_text_document

    if suffix in HTML_SUFFIXES:
        from .html import html_to_text

        return read_text_document(path, html_to_text(data))
    try:
        return read_text_document(path, data)
    except ValueError as exc:
        raise IngestError("unreadable", str(exc)) from None
