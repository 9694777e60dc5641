"""Images of the PDF page around a finding's evidence, for the HTML report.

A reviewer verifies a finding fastest by looking at the page itself. For every finding whose
evidence carries a page and a ``bbox`` (PDF points, top-left origin), the report shows a crop of
that page with each piece of evidence boxed and numbered; for tables, the whole flagged region of
the table once, with every flagged cell outlined and numbered.

Everything is rendered locally with pypdfium2 (already a dependency) and drawn with Pillow (which
comes with pdfplumber). Each page is rendered once per report and reused for all its crops
(``PageRenderer`` caches the rendered pages); the crops are JPEG at moderate quality, embedded as
``data:`` URIs so the HTML file stays self-contained.

Nothing here raises for a bad input: a missing, changed (SHA-256 differs from the report's),
encrypted or unreadable PDF simply yields no images, and the report says why.
"""
from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

__all__ = [
    "Box",
    "Crop",
    "PageRenderer",
    "open_renderer",
    "cluster_boxes",
]

#: Render scale: 1.5 = 108 dpi, legible for the 7-8 pt type of tables (about 11 px), and a third
#: cheaper to render, encode and embed than 2.0.
DEFAULT_SCALE = 1.5
#: JPEG quality of the embedded crops (text stays sharp enough; files stay small).
JPEG_QUALITY = 62
#: Finding crops may be shrunk by this factor after drawing (1.0: as rendered).
FINDING_CROP_SHRINK = 1.0
#: Vertical margin (points) kept above and below the evidence in a crop.
MARGIN_PT = 16.0
#: Boxes closer than this (points, vertically) share one crop.
CLUSTER_GAP_PT = 60.0
#: The longest crop (points); taller clusters are split.
MAX_CROP_HEIGHT_PT = 260.0
#: How far above a table's first flagged cell its caption is looked for (points).
CAPTION_SEARCH_PT = 520.0

#: Colour of the evidence boxes, and of the white-on-colour number labels.
BOX_COLOUR = (200, 16, 46)


@dataclass(frozen=True)
class Box:
    """One rectangle to draw: ``bbox`` in PDF points (x0, top, x1, bottom), and its label."""

    bbox: tuple[float, float, float, float]
    label: str = ""


@dataclass
class Crop:
    """A cropped page image, ready for an ``<img>``."""

    page: int
    data_uri: str
    width: int
    height: int
    labels: list[str] = field(default_factory=list)
    region: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # in points


def _valid_bbox(bbox: Any) -> Optional[tuple[float, float, float, float]]:
    if not isinstance(bbox, (list, tuple)) or len(bbox) != 4:
        return None
    try:
        x0, top, x1, bottom = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return None
    if not all(v == v and abs(v) < 1e6 for v in (x0, top, x1, bottom)):  # NaN / absurd
        return None
    if x1 < x0:
        x0, x1 = x1, x0
    if bottom < top:
        top, bottom = bottom, top
    return (x0, top, x1, bottom)


def cluster_boxes(boxes: Sequence[Box], gap: float = CLUSTER_GAP_PT,
                  max_height: float = MAX_CROP_HEIGHT_PT) -> list[list[Box]]:
    """Boxes of one page grouped into vertical bands: each band becomes one crop."""
    ordered = sorted(boxes, key=lambda b: (b.bbox[1], b.bbox[0]))
    clusters: list[list[Box]] = []
    top = bottom = 0.0
    for b in ordered:
        if clusters and b.bbox[1] <= bottom + gap and max(bottom, b.bbox[3]) - top <= max_height:
            clusters[-1].append(b)
            bottom = max(bottom, b.bbox[3])
        else:
            clusters.append([b])
            top, bottom = b.bbox[1], b.bbox[3]
    return clusters


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: bitmap font only
        return ImageFont.load_default()


class PageRenderer:
    """Renders the pages of one PDF once each and cuts crops out of them."""

    def __init__(self, pdf: Any, scale: float = DEFAULT_SCALE, quality: int = JPEG_QUALITY) -> None:
        self._pdf = pdf
        self.scale = scale
        self.quality = quality
        self._pages: dict[int, Any] = {}
        self._content: dict[int, tuple[float, float]] = {}
        self._sizes: dict[int, tuple[float, float]] = {}
        self._font = _font(max(12, int(9.5 * scale)))
        self.renders = 0  # pages rendered (for tests and timing)
        self.rendered: list[int] = []

    def __len__(self) -> int:
        return len(self._pdf)

    def close(self) -> None:
        self._pages.clear()
        try:
            self._pdf.close()
        except Exception:  # pragma: no cover - closing never matters for the report
            pass

    # -- pages --------------------------------------------------------------------------
    def page_size(self, page: int) -> Optional[tuple[float, float]]:
        if page not in self._sizes:
            if not 1 <= page <= len(self._pdf):
                return None
            w, h = self._pdf[page - 1].get_size()
            self._sizes[page] = (float(w), float(h))
        return self._sizes[page]

    def image(self, page: int):
        """The whole page as a PIL image (RGB), rendered once and cached."""
        if page in self._pages:
            return self._pages[page]
        if not 1 <= page <= len(self._pdf):
            return None
        pdf_page = self._pdf[page - 1]
        bitmap = pdf_page.render(scale=self.scale)
        img = bitmap.to_pil().convert("RGB")
        self.renders += 1
        self.rendered.append(page)
        self._pages[page] = img
        # horizontal extent of the page's ink, so crops span the text block, not the paper
        from PIL import ImageOps

        small = img.convert("L").reduce(4)
        ink = ImageOps.invert(small).point(lambda v: 255 if v > 24 else 0).getbbox()
        if ink:
            self._content[page] = (ink[0] * 4 / self.scale, ink[2] * 4 / self.scale)
        return img

    def content_x(self, page: int) -> Optional[tuple[float, float]]:
        self.image(page)
        return self._content.get(page)

    def caption_top(self, page: int, caption: str, below: float) -> Optional[float]:
        """Top (points) of the nearest occurrence of ``caption`` (e.g. "Table 3") above ``below``."""
        if not caption or not 1 <= page <= len(self._pdf):
            return None
        best: Optional[float] = None
        try:
            textpage = self._pdf[page - 1].get_textpage()
            searcher = textpage.search(caption, match_case=False, match_whole_word=False)
            height = self.page_size(page)[1]
            while True:
                hit = searcher.get_next()
                if hit is None:
                    break
                index, count = hit
                rects = [textpage.get_charbox(i) for i in range(index, index + count)]
                top = height - max(r[3] for r in rects)  # pdfium: bottom-left origin
                if top < below and below - top <= CAPTION_SEARCH_PT and (best is None or top > best):
                    # the following character must not be a digit ("Table 3" is not "Table 31")
                    nxt = textpage.get_text_range(index + count, 1) if index + count < textpage.count_chars() else ""
                    if not nxt.isdigit():
                        best = top
        except Exception:
            return None
        return best

    # -- crops --------------------------------------------------------------------------
    def crop(self, page: int, boxes: Sequence[Box], *, top: Optional[float] = None,
             margin: float = MARGIN_PT, shrink: float = 1.0) -> Optional[Crop]:
        """A crop of ``page`` around ``boxes`` (spanning the text block horizontally), with each
        box outlined and labelled. ``top`` extends the crop upwards (e.g. to a table caption)."""
        img = self.image(page)
        size = self.page_size(page)
        if img is None or size is None or not boxes:
            return None
        pw, ph = size
        x0 = min(b.bbox[0] for b in boxes)
        x1 = max(b.bbox[2] for b in boxes)
        y0 = min(b.bbox[1] for b in boxes)
        y1 = max(b.bbox[3] for b in boxes)
        if top is not None:
            y0 = min(y0, top)
        content = self.content_x(page)
        if content:
            x0, x1 = min(x0, content[0]), max(x1, content[1])
        x0, x1 = max(0.0, x0 - 6), min(pw, x1 + 6)
        y0, y1 = max(0.0, y0 - margin), min(ph, y1 + margin)
        if x1 - x0 < 4 or y1 - y0 < 4:
            return None
        s = self.scale
        region_px = (int(x0 * s), int(y0 * s), int(x1 * s + 0.999), int(y1 * s + 0.999))
        piece = img.crop(region_px)
        self._draw(piece, boxes, x0, y0)
        if 0 < shrink < 1:
            from PIL import Image

            piece = piece.resize((max(1, int(piece.width * shrink)), max(1, int(piece.height * shrink))),
                                 Image.LANCZOS)
        buf = io.BytesIO()
        piece.save(buf, format="JPEG", quality=self.quality)
        uri = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
        return Crop(page=page, data_uri=uri, width=piece.width, height=piece.height,
                    labels=[b.label for b in boxes if b.label], region=(x0, y0, x1, y1))

    def _draw(self, piece, boxes: Sequence[Box], ox: float, oy: float) -> None:
        from PIL import ImageDraw

        draw = ImageDraw.Draw(piece)
        s = self.scale
        width = max(2, int(s))
        pad = 1.5
        placed: list[tuple[float, float, float, float]] = []
        for b in boxes:
            bx0, by0, bx1, by1 = b.bbox
            rect = ((bx0 - pad - ox) * s, (by0 - pad - oy) * s, (bx1 + pad - ox) * s, (by1 + pad - oy) * s)
            draw.rectangle(rect, outline=BOX_COLOUR, width=width)
        for b in boxes:  # labels after the boxes, so no outline crosses a number
            if not b.label:
                continue
            bx0, by0, bx1, by1 = b.bbox
            tw, th = _text_size(draw, b.label, self._font)
            lw, lh = tw + 6, th + 4
            # the label sits just left of the box, vertically centred; right of it if no room
            lx = (bx0 - pad - ox) * s - lw - 1
            if lx < 0:
                lx = (bx1 + pad - ox) * s + 1
            ly = ((by0 + by1) / 2 - oy) * s - lh / 2
            ly = min(max(ly, 0), piece.height - lh)
            for _ in range(6):  # nudge down a label that would cover another one
                clash = [p for p in placed if not (lx + lw <= p[0] or p[2] <= lx or ly + lh <= p[1] or p[3] <= ly)]
                if not clash:
                    break
                ly = max(c[3] for c in clash) + 1
            placed.append((lx, ly, lx + lw, ly + lh))
            draw.rectangle((lx, ly, lx + lw, ly + lh), fill=BOX_COLOUR)
            draw.text((lx + 3, ly + 2), b.label, fill=(255, 255, 255), font=self._font)


def _text_size(draw, text: str, font) -> tuple[int, int]:
    try:
        l, t, r, b = draw.textbbox((0, 0), text, font=font)
        return int(r - l), int(b - t) + 2
    except AttributeError:  # pragma: no cover - very old Pillow
        return draw.textsize(text, font=font)


def _sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def open_renderer(path: Any, sha256: Any = None, *, scale: float = DEFAULT_SCALE,
                  quality: int = JPEG_QUALITY) -> tuple[Optional[PageRenderer], Optional[str]]:
    """(renderer, None) for a readable PDF at ``path``, else (None, why not).

    ``sha256``, when given, must match the file: boxes measured on another version of the
    file would point at the wrong place, so no crop is better than a wrong one.
    """
    if not path:
        return None, None
    p = Path(str(path))
    try:
        if not p.is_file():
            return None, f"the source file {p} is not available, so no page images are shown"
        with p.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                return None, None  # text input: no pages to show, nothing to apologise for
        if sha256 and _sha256_of(p) != str(sha256):
            return None, f"{p} has changed since it was scanned, so no page images are shown"
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(p))
    except Exception as exc:  # encrypted, damaged, unreadable
        return None, f"page images could not be rendered ({type(exc).__name__})"
    return PageRenderer(pdf, scale=scale, quality=quality), None


def boxes_by_page(items: Iterable[tuple[Any, Any, str]]) -> dict[int, list[Box]]:
    """(page, bbox, label) triples -> valid Boxes per page (invalid ones are skipped)."""
    out: dict[int, list[Box]] = {}
    for page, bbox, label in items:
        bb = _valid_bbox(bbox)
        if bb is None or isinstance(page, bool):
            continue
        try:
            pg = int(page)
        except (TypeError, ValueError):
            continue
        out.setdefault(pg, []).append(Box(bb, label))
    return out
