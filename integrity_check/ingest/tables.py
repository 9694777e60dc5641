"""PDF tables: find ruled table regions with pypdfium2, read their grid with pdfplumber.

Journal tables are usually drawn with horizontal rules only (a top rule, a rule under the header,
a bottom rule), often as one segment per column. pdfplumber's default ``lines`` strategy finds no
table there, and its ``text`` strategy on a whole page merges body text and figure boxes into
tables. So:

1. Only pages with a "Table N" caption (and the page after one, for tables that continue) are
   looked at. Thin horizontal path objects (pypdfium2, no layout parsing) give the rules.
2. Rules with the same horizontal extent, not separated by a caption, form one table region; the
   header band lies between the first two rules. Where rules are drawn one segment per column,
   the segment joins are the column borders.
3. pdfplumber reads that region only (cropped), with explicit verticals when known, ``text``
   verticals otherwise, and ``text`` horizontals for body rows.
4. Each pdfplumber cell is mapped back to the document's normalized text through pypdfium2's
   character boxes, so a cell's text is an exact slice of ``Document.text`` with offsets.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import numpy as np
import pypdfium2.raw as pdfium_c

from ..model import Cell, Document, Table

CAPTION = re.compile(r"(?m)^[ \t]*(Table\s+S?\d+[A-Za-z]?)\b\s*[|.:\u2013\u2014-]?\s*(.*)$", re.IGNORECASE)
RULE_MAX_THICKNESS = 2.5
MIN_RULE_WIDTH_FRACTION = 0.25


@dataclass
class Rule:
    x0: float
    x1: float
    y: float  # top-left origin
    joins: set = field(default_factory=set)


@dataclass
class Caption:
    label: str
    text: str
    page: int  # 0-based
    y: float
    start: int
    end: int
    used: bool = False


def find_pdf_tables(doc: Document, pdf, data: bytes, password: str | None) -> list[Table]:
    captions = _captions(doc)
    if not captions:
        return []
    pages_to_read = sorted({c.page for c in captions} | {c.page + 1 for c in captions if c.page + 1 < len(doc.pages)})
    regions = []
    for p in pages_to_read:
        rules = _page_rules(pdf[p], doc.pages[p].height, doc.pages[p].width)
        if len(rules) >= 2:
            regions.extend(_regions(p, rules, [c for c in captions if c.page == p], captions))
    for caption in captions:
        if not caption.used:
            region = _unruled_region(doc, caption)
            if region is not None:
                caption.used = True
                regions.append(region)
    if not regions:
        return []
    import pdfplumber

    tables: list[Table] = []
    with pdfplumber.open(io.BytesIO(data), password=password or "") as plumber:
        for region in regions:
            table = _read_region(doc, plumber.pages[region["page"]], region)
            if table is not None:
                tables.append(table)
    return tables


def _captions(doc: Document) -> list[Caption]:
    out = []
    for m in CAPTION.finditer(doc.text):
        page = doc.page_of(m.start(1))
        if page is None:
            continue
        box = doc.bbox_of(m.start(1), m.end(1))
        line_end = m.end(2)
        out.append(Caption(label=" ".join(m.group(1).split()).title(), text=m.group(2).strip(), page=page - 1,
                           y=box[1] if box else 0.0, start=m.start(1), end=line_end))
    return out


VALUE_CHUNK = re.compile(r"^\s*(?:[<>≤≥]\s*)?[-+\u2013]?\.?\d|^\s*(?:χ2|t|T|F|z|Z|r)\s*=\s*-?\.?\d")
OTHER_CAPTION = re.compile(r"^\s*(?:Table|Figure|Fig\.)\s+S?\d", re.IGNORECASE)
MAX_CAPTION_LINES = 3


def _unruled_region(doc: Document, cap: Caption):
    """A table drawn without rules: the block of multi-column lines under its caption.

    Lines below the caption (after at most a few caption-continuation lines) that split into two
    or more chunks at wide white gaps, at least two of them with numeric cells, until a line of
    prose, a wide vertical gap, another caption or the end of the page."""
    page = doc.pages[cap.page]
    cap_box = doc.bbox_of(cap.start, cap.end)
    if cap_box is None:
        return None
    lines = _page_lines(doc, page, below=cap_box[3])
    if not lines:
        return None
    rows, started, skipped = [], False, 0
    pitch = float(np.median([ln["bottom"] - ln["top"] for ln in lines])) or 10.0
    for ln in lines:
        chunks = ln["chunks"]
        if not started:
            if len(chunks) >= 2 and (len(chunks) >= 3 or any(VALUE_CHUNK.match(c[2]) for c in chunks[1:])):
                started = True
            else:
                skipped += 1
                if skipped > MAX_CAPTION_LINES:
                    return None
                continue
        else:
            prev = rows[-1]
            if ln["top"] - prev["bottom"] > 2.5 * pitch or OTHER_CAPTION.match(chunks[0][2]):
                break
            width = max(r["x1"] for r in rows) - min(r["x0"] for r in rows)
            if len(chunks) == 1 and chunks[0][1] - chunks[0][0] > 0.6 * width and not VALUE_CHUNK.match(chunks[0][2]):
                break
            if any(_looks_like_prose(c[2]) for c in chunks):
                break
        rows.append(ln)
    valued = [i for i, ln in enumerate(rows) if any(VALUE_CHUNK.match(c[2]) for c in ln["chunks"][1:])]
    if len(rows) < 3 or len(valued) < 2:
        return None
    first_value = valued[0]
    x0 = min(r["x0"] for r in rows)
    x1 = max(r["x1"] for r in rows)
    top = rows[0]["top"] - 1.0
    bottom = rows[-1]["bottom"] + 1.0
    if first_value > 0:
        split = (rows[first_value - 1]["bottom"] + rows[first_value]["top"]) / 2
        ys = [top, split, bottom]
    else:
        ys = [top, bottom]
    return {"page": cap.page, "x0": x0, "x1": x1, "ys": ys, "joins": [], "caption": cap, "unruled": True}


def _looks_like_prose(chunk_text: str) -> bool:
    """A run of text no table cell holds: many words or a long sentence."""
    return len(chunk_text) > 70 or len(re.findall(r"[A-Za-z]{2,}", chunk_text)) >= 10


def _visible_chars(doc: Document, page) -> np.ndarray:
    """Mask of the page's characters that have a box and are not white space."""
    sl = slice(page.start, page.end)
    boxes = doc.char_box[sl]
    return (boxes[:, 2] > boxes[:, 0]) & np.array([not ch.isspace() for ch in doc.text[sl]], dtype=bool)


def _line_groups(cy, heights, chain: bool = False) -> list[list[int]]:
    """Character indices grouped into text lines, top to bottom: a character joins the current
    line while its vertical centre is within tolerance of the line's mean centre (``chain``: of
    the previous character's centre, which keeps raised or offset glyphs on their line; the
    column-gap finder uses that)."""
    tol = max(1.5, float(np.median(heights)) * 0.45) if len(heights) else 2.0
    groups: list[list[int]] = []
    centre = 0.0
    for i in np.argsort(cy, kind="stable"):
        if groups and abs(cy[i] - centre) <= tol:
            groups[-1].append(int(i))
            centre = float(cy[i]) if chain else float(np.mean(cy[groups[-1]]))
        else:
            groups.append([int(i)])
            centre = float(cy[i])
    return groups


def _chunks(boxes, members) -> list[list[int]]:
    """A line's characters, left to right, split where the white gap reaches MIN_COLUMN_GAP."""
    order = sorted(members, key=lambda i: boxes[i, 0])
    chunks = [[order[0]]]
    end = boxes[order[0], 2]
    for i in order[1:]:
        if boxes[i, 0] - end >= MIN_COLUMN_GAP:
            chunks.append([i])
            end = boxes[i, 2]
        else:
            chunks[-1].append(i)
            end = max(end, boxes[i, 2])
    return chunks


def _page_lines(doc: Document, page, below: float) -> list[dict]:
    """Text lines of a page under ``below`` (top-left y), each split into chunks at wide gaps."""
    sl = slice(page.start, page.end)
    boxes = doc.char_box[sl]
    text = doc.text[sl]
    cy = (boxes[:, 1] + boxes[:, 3]) / 2
    idx = np.nonzero(_visible_chars(doc, page) & (cy > below))[0]
    if len(idx) == 0:
        return []
    lines = []
    for group in _line_groups(cy[idx], boxes[idx, 3] - boxes[idx, 1]):
        g = idx[group]
        described = []
        for members in _chunks(boxes, g):
            order = sorted(members)
            described.append((float(boxes[members, 0].min()), float(boxes[members, 2].max()),
                              " ".join(text[order[0]:order[-1] + 1].split())))
        lines.append({"top": float(boxes[g, 1].min()), "bottom": float(boxes[g, 3].max()),
                      "x0": described[0][0], "x1": described[-1][1], "chunks": described})
    return lines


def _page_rules(page, height: float, width: float) -> list[Rule]:
    segments = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4):
        x0, y0, x1, y1 = obj.get_bounds()
        if y1 - y0 <= RULE_MAX_THICKNESS and x1 - x0 > 5:
            segments.append((x0, x1, height - (y0 + y1) / 2))
    segments.sort(key=lambda s: (round(s[2]), s[0]))
    rules: list[Rule] = []
    for x0, x1, y in segments:
        last = rules[-1] if rules else None
        if last and abs(last.y - y) <= 1.0 and x0 <= last.x1 + 2.0:
            if abs(x0 - last.x1) <= 2.0:
                last.joins.add(round((x0 + last.x1) / 2, 1))
            last.x1 = max(last.x1, x1)
        else:
            rules.append(Rule(x0, x1, y))
    return [r for r in rules if r.x1 - r.x0 >= MIN_RULE_WIDTH_FRACTION * width]


def _regions(page_no: int, rules: list[Rule], page_captions: list[Caption], all_captions: list[Caption]):
    """Group rules into table regions; split groups at captions and at differing extents."""
    rules = sorted(rules, key=lambda r: r.y)
    groups: list[list[Rule]] = []
    for rule in rules:
        g = groups[-1] if groups else None
        same_extent = g and abs(g[-1].x0 - rule.x0) <= 4 and abs(g[-1].x1 - rule.x1) <= 4
        caption_between = g and any(g[-1].y < c.y < rule.y for c in page_captions)
        if g and same_extent and not caption_between:
            g.append(rule)
        else:
            groups.append([rule])
    regions = []
    for g in groups:
        if len(g) < 2:
            continue
        top = g[0].y
        above = [c for c in page_captions if c.y < top and not c.used]
        if above:
            caption = max(above, key=lambda c: c.y)
        else:  # continued from the previous page: the last caption there without a table
            before = [c for c in all_captions if c.page < page_no and not c.used]
            caption = before[-1] if before else None
        if caption is None:
            continue
        caption.used = True
        joins = sorted(set().union(*(r.joins for r in g[:2])))
        regions.append({
            "page": page_no, "x0": min(r.x0 for r in g), "x1": max(r.x1 for r in g),
            "ys": [r.y for r in g], "joins": joins, "caption": caption,
        })
    return regions


def _read_region(doc: Document, plumber_page, region) -> Table | None:
    x0, x1, ys = region["x0"], region["x1"], region["ys"]
    header_top = ys[0]
    header_bottom = ys[1] if len(ys) >= 3 else None
    body_top = header_bottom if header_bottom is not None else ys[0]
    body_bottom = ys[-1]
    page = doc.pages[region["page"]]
    sl = slice(page.start, page.end)
    boxes = doc.char_box[sl]
    offsets = np.arange(page.start, page.end)
    visible = _visible_chars(doc, page)
    cx = (boxes[:, 0] + boxes[:, 2]) / 2
    cy = (boxes[:, 1] + boxes[:, 3]) / 2
    in_x = (cx >= x0 - 1) & (cx <= x1 + 1) & visible
    body = in_x & (cy > body_top) & (cy < body_bottom)
    if not body.any():
        return None
    edges = _column_edges(region, plumber_page, (x0, body_top, x1, body_bottom),
                          _gap_columns(boxes[body], cy[body], x0, x1))
    if len(edges) < 2:
        return None
    lines = _lines(offsets[body], cy[body], boxes[body])
    rows = _rows_from_lines(lines, edges, doc, page, cx)
    header = []
    if header_bottom is not None:
        band = in_x & (cy > header_top) & (cy < header_bottom)
        header = [_cell_fragments(offsets[band & (cx >= a) & (cx < b)], doc) for a, b in edges]
    cap = region["caption"]
    built = []
    all_rows = ([header] if header else []) + rows
    for r, cells in enumerate(all_rows):
        built.append(tuple(_make_cell(doc, frags, r, c) for c, frags in enumerate(cells)))
    spans = [c for row in built for c in row if c.start >= 0]
    if not spans:
        return None
    return Table(label=cap.label, caption=cap.text, rows=tuple(built), header_rows=1 if header else 0,
                 start=min([c.start for c in spans] + [cap.start]), end=max(c.end for c in spans),
                 page=region["page"] + 1)


def _column_edges(region, plumber_page, bbox, gap_edges=None) -> list[tuple[float, float]]:
    """Column x-ranges: the joins of per-column rule segments; else the white gaps that run down
    the whole body (from pypdfium2's boxes, no layout pass); else pdfplumber's text columns."""
    x0, _, x1, _ = bbox
    joins = list(region["joins"])
    if joins:
        xs = [x0 - 1] + joins + [x1 + 1]
        return list(zip(xs[:-1], xs[1:]))
    if gap_edges and len(gap_edges) >= 2:
        return gap_edges
    if region.get("unruled"):
        return []
    crop = plumber_page.crop((max(0, bbox[0] - 1), bbox[1], min(plumber_page.width, bbox[2] + 1), bbox[3]))
    found = crop.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text",
                              "text_x_tolerance": 1.5, "min_words_vertical": 2})
    if not found:
        return []
    table = max(found, key=lambda t: len(t.columns))
    cols = sorted((c.bbox[0], c.bbox[2]) for c in table.columns)
    xs = [x0 - 1] + [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:])] + [x1 + 1]
    return list(zip(xs[:-1], xs[1:]))


MIN_COLUMN_GAP = 6.0  # points; word spaces in 8-10 pt table fonts are 2-3 pt
GAP_TOLERANCE = 0.1  # share of body lines allowed to cross a column gap (spanning headings)


def _gap_columns(boxes, cy, x0: float, x1: float) -> list[tuple[float, float]]:
    """Columns from vertical white gaps: x-ranges that (almost) no body line covers with ink."""
    if len(boxes) == 0:
        return []
    step = 0.5
    bins = int((x1 - x0) / step) + 3
    coverage = np.zeros(bins, dtype=np.int32)
    groups = _line_groups(cy, boxes[:, 3] - boxes[:, 1], chain=True)
    n_lines = len(groups)
    for members in groups:
        ink = np.zeros(bins, dtype=bool)
        for chunk in _chunks(boxes, members):
            start, end = boxes[chunk, 0].min(), boxes[chunk, 2].max()
            ink[max(0, int((start - x0) / step)):int((end - x0) / step) + 1] = True
        coverage += ink
    free = coverage <= max(0, int(GAP_TOLERANCE * n_lines))
    gaps = []
    inked = np.nonzero(coverage)[0]
    if len(inked) == 0:
        return []
    first_ink, last_ink = inked[0], inked[-1]
    i = first_ink
    while i <= last_ink:
        if free[i]:
            j = i
            while j <= last_ink and free[j]:
                j += 1
            if (j - i) * step >= MIN_COLUMN_GAP:
                gaps.append(x0 + (i + j) / 2 * step)
            i = j
        else:
            i += 1
    xs = [x0 - 1] + gaps + [x1 + 1]
    return list(zip(xs[:-1], xs[1:])) if gaps else []


def _lines(offsets, cy, boxes):
    """Cluster characters into text lines by vertical centre; returns [(centre_y, offsets)]."""
    return [(float(np.mean(cy[g])), sorted(offsets[g].tolist())) for g in _line_groups(cy, boxes[:, 3] - boxes[:, 1])]


def _rows_from_lines(lines, edges, doc, page, cx):
    """Lines with a value in a non-label column anchor rows; other lines (wrapped labels) join the
    nearest anchor within about one line pitch."""
    base = page.start
    split = []
    for y, offs in lines:
        cells = [[] for _ in edges]
        for o in offs:
            x = cx[o - base]
            for ci, (a, b) in enumerate(edges):
                if a <= x < b:
                    cells[ci].append(o)
                    break
        split.append((y, cells))
    pitch = float(np.median(np.diff([y for y, _ in split]))) if len(split) > 1 else 10.0
    anchors = [i for i, (_, cells) in enumerate(split) if any(cells[c] and _numeric(doc, cells[c]) for c in range(1, len(edges)))]
    if not anchors:
        anchors = list(range(len(split)))
    rows = {i: [list(c) for c in split[i][1]] for i in anchors}
    for i, (y, cells) in enumerate(split):
        if i in rows:
            continue
        near = min(anchors, key=lambda a: (abs(split[a][0] - y), a))
        if abs(split[near][0] - y) <= 1.15 * pitch and all(not cells[c] or not rows[near][c] or c < 2 for c in range(len(edges))):
            for c, frag in enumerate(cells):
                rows[near][c].extend(frag)
        else:
            rows[i] = [list(c) for c in cells]
    return [[sorted(c) for c in rows[i]] for i in sorted(rows, key=lambda i: split[i][0])]


VALUE_LIKE = re.compile(r"^\s*(?:[-+<>–]?\s*\.?\d|[^\d=]{0,8}=\s*-?\.?\d)")


def _numeric(doc, offs) -> bool:
    """A value cell ("26 (68.4)", "0.738", "<0.001", "χ2=0.112"), not a label such as "≥3"."""
    return bool(VALUE_LIKE.match(" ".join(doc.text[o] for o in sorted(offs)).replace(" ", "")))


def _cell_fragments(offs, doc):
    return sorted(int(o) for o in offs)


def _make_cell(doc: Document, offs, r, c) -> Cell:
    if not len(offs):
        return Cell("", -1, -1, r, c)
    offs = sorted(offs)
    runs, start, prev = [], offs[0], offs[0]
    for o in offs[1:]:
        if o != prev + 1 and doc.text[prev + 1:o].strip():
            runs.append((start, prev + 1))
            start = o
        prev = o
    runs.append((start, prev + 1))
    text = " ".join(" ".join(doc.text[a:b].split()) for a, b in runs)
    if len(runs) == 1:
        text = doc.text[runs[0][0]:runs[0][1]]
    return Cell(text, runs[0][0], runs[-1][1], r, c)
