"""Scanned pages: offline OCR turned into the rows every other reader gives.

The OCR is rapidocr with onnxruntime and the default Chinese models that ship
inside the rapidocr wheel.  Nothing is ever downloaded: the engine is built
only from the model files found in the installed package (a missing file is a
clear error, not a download), and only settings that choose no model may be
passed to it.  rapidocr is imported lazily; without the ``ocr`` extra the user
gets one Chinese sentence naming the command that installs it.

A page becomes rows in four steps:

1. **Find the table pages first.**  Every scanned page is rendered at
   ``LOW_DPI`` and searched for ruling lines (numpy on the binarised image).
   A page with a ruled table is OCR'd at ``FULL_DPI``; any other page is
   OCR'd at ``LOW_DPI`` for its running text (title, dates, section 六), and
   re-read at full resolution only when that text shows table labels.
2. **Deskew.**  The skew (scans are rarely straight) is measured from the
   projection profile and the page is rotated straight before the OCR, so
   that text boxes and grid lines share one frame.
3. **The grid.**  Horizontal and vertical lines give the table's column and
   row boundaries; a boundary missing inside the table joins two elementary
   cells into one merged cell.  Each OCR character goes to the cell its centre
   falls in — never to a neighbour, whatever an identity would like.  A grid
   row keeps its blank cells in place, exactly like pdfplumber's rows, and a
   cell covered by a merged neighbour is a ``merged`` Span.
4. **Confidence.**  A cell's confidence is the lowest OCR score of its
   characters.  A cell with no text but with ink in it gets confidence 0.0
   (something is there that the OCR could not read); a cell with no ink is
   blank with confidence 1.0.  Reconstruction and the rules decide from there
   (:mod:`gxaudit.core.confidence`).

Bounding boxes are mapped back through the deskew rotation into PDF points.
Results are cached by the file's sha256 under the user cache directory, so
reopening a scan does not run the OCR again.
"""
from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Row, Span
from ..model import ReportError
from .layout import is_page_number
from .progress import check_cancelled, report_progress

log = logging.getLogger("gxaudit.ingest.ocr")

FULL_DPI = 170          # table pages (rapidocr caps the long side at 2000 px anyway)
LOW_DPI = 100           # finding the table pages, and the running text of the others
# A long scan (a bound volume): besides its table pages, only the pages that
# carry what the rules read from the text (title and period at the start,
# sections 五/六 and the date at the end, the pages around the tables).
MAX_TEXT_PAGES = 30
CACHE_VERSION = 1

MISSING_MESSAGE = ("这是扫描版 PDF（页面是图片），需要文字识别（OCR）组件，但尚未安装；"
                   "请运行 .venv/bin/pip install -e \".[ocr]\"（或 pip install \"gxaudit[ocr]\"）"
                   "安装后重新打开。")

# Settings that may be passed to rapidocr: none of them names or chooses a model.
_ALLOWED_PARAMS = frozenset({
    "Global.log_level", "Global.use_cls", "Global.text_score", "Global.use_det", "Global.use_rec",
    "Global.return_word_box", "Global.return_single_char_box",
    "Det.model_path", "Rec.model_path",
    "Rec.rec_batch_num", "Det.box_thresh", "Det.thresh", "Det.unclip_ratio",
})
_MODEL_KEYS = ("Det.model_path", "Rec.model_path")


# ---------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------

_ENGINE = None
_ENGINE_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()       # rapidocr keeps per-call settings on the engine object


def bundled_models() -> dict[str, str]:
    """The default detection and recognition models inside the rapidocr wheel."""
    try:
        import onnxruntime  # noqa: F401
        import rapidocr
    except ImportError as exc:
        raise ReportError(MISSING_MESSAGE) from exc
    models = Path(rapidocr.__file__).resolve().parent / "models"
    found: dict[str, str] = {}
    for task in ("det", "rec"):
        files = sorted(models.glob(f"*_{task}_*.onnx"))
        if len(files) != 1:
            raise ReportError("文字识别（OCR）组件的模型文件缺失或不完整，请重新安装："
                              ".venv/bin/pip install --force-reinstall -e \".[ocr]\"。")
        found[task] = str(files[0])
    return found


def engine_params(extra: dict | None = None) -> dict:
    """The rapidocr settings: the bundled default models, by explicit path, and
    nothing that could make rapidocr fetch a model."""
    models = bundled_models()
    params = {
        "Global.log_level": "error",
        "Global.use_cls": False,          # pages are upright; no 180° text
        "Global.text_score": 0.05,        # keep weak readings: they are flagged, not dropped
        "Det.model_path": models["det"],
        "Rec.model_path": models["rec"],
    }
    for k, v in (extra or {}).items():
        if k not in _ALLOWED_PARAMS or k in _MODEL_KEYS:
            raise ValueError(f"OCR setting not allowed (it could choose a model to download): {k}")
        params[k] = v
    check_params(params)
    return params


def check_params(params: dict) -> None:
    """Refuse any configuration but the default models shipped in the wheel."""
    models = bundled_models()
    for k in params:
        if k not in _ALLOWED_PARAMS:
            raise ValueError(f"OCR setting not allowed (it could choose a model to download): {k}")
    if params.get("Det.model_path") != models["det"] or params.get("Rec.model_path") != models["rec"]:
        raise ValueError("OCR must use the default models shipped inside the rapidocr wheel")
    if params.get("Global.use_cls", False):
        raise ValueError("the angle classifier is not used (its model is not needed)")


def engine():
    """The process-wide OCR engine (built on first use)."""
    global _ENGINE
    if _ENGINE is not None:
        return _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            params = engine_params()
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise ReportError(MISSING_MESSAGE) from exc
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            eng = RapidOCR(params=params)
            # Load both models now, so that a problem shows here and not mid-page.
            eng._load_det_model()
            eng._load_rec_model()
            _ENGINE = eng
    return _ENGINE


def available() -> bool:
    try:
        bundled_models()
        return True
    except ReportError:
        return False


# ---------------------------------------------------------------------------
# OCR output
# ---------------------------------------------------------------------------

@dataclass
class Piece:
    """One recognised character (or word) with its box in image pixels."""
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float
    line: int                # index of the OCR text line it belongs to

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class OcrLine:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float
    pieces: list[Piece] = field(default_factory=list)


def run_ocr(gray, pieces: bool = True) -> list[OcrLine]:
    """OCR one page image (a 2-D uint8 array).  With ``pieces`` every line
    carries its characters' boxes and scores."""
    import numpy as np
    img = np.ascontiguousarray(np.stack([gray] * 3, axis=-1))
    eng = engine()
    with _RUN_LOCK:
        res = eng(img, return_word_box=pieces, return_single_char_box=pieces)
    if res is None or getattr(res, "txts", None) is None or res.boxes is None:
        return []
    out: list[OcrLine] = []
    words = getattr(res, "word_results", None) if pieces else None
    for k, (box, text, score) in enumerate(zip(res.boxes, res.txts, res.scores)):
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        line = OcrLine(str(text), min(xs), min(ys), max(xs), max(ys), float(score))
        if words and k < len(words) and words[k]:
            for w in words[k]:
                if not w or len(w) < 3:
                    continue
                t, s, wb = w[0], w[1], w[2]
                wx = [float(p[0]) for p in wb]
                wy = [float(p[1]) for p in wb]
                line.pieces.append(Piece(str(t), min(wx), min(wy), max(wx), max(wy), float(s), k))
        if pieces and not line.pieces and text:
            line.pieces.append(Piece(str(text), line.x0, line.y0, line.x1, line.y1, float(score), k))
        out.append(line)
    return out


# ---------------------------------------------------------------------------
# Image geometry: binarising, skew, ruling lines
# ---------------------------------------------------------------------------

def otsu(gray) -> int:
    import numpy as np
    hist = np.bincount(gray.ravel(), minlength=256).astype(float)
    total = hist.sum()
    if total == 0:
        return 128
    w = np.cumsum(hist)
    mu = np.cumsum(hist * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * w / total - mu) ** 2 / (w * (total - w))
    between = np.nan_to_num(between)
    return int(np.argmax(between))


def dark_mask(gray):
    """Ink: darker than Otsu's threshold, and never lighter than 200 (a white
    page with a little text has a meaningless Otsu threshold near white)."""
    t = min(otsu(gray), 200)
    return gray < max(t, 60)


def skew_angle(dark, max_deg: float = 2.0) -> float:
    """The page's skew in degrees (lines going down to the right are
    positive), from the sharpest horizontal projection profile."""
    import numpy as np
    ys, xs = np.nonzero(dark)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 150_000:
        idx = np.random.default_rng(0).choice(len(ys), 150_000, replace=False)
        ys, xs = ys[idx], xs[idx]
    xs = xs.astype(float) - dark.shape[1] / 2
    ys = ys.astype(float)

    def score(a: float) -> float:
        yy = np.round(ys - xs * math.tan(math.radians(a))).astype(np.int64)
        yy -= yy.min()
        h = np.bincount(yy).astype(float)
        return float((h * h).sum())

    best = max(np.arange(-max_deg, max_deg + 1e-9, 0.1), key=score)
    fine = max(np.arange(best - 0.1, best + 0.1 + 1e-9, 0.02), key=score)
    return round(float(fine), 3)


@dataclass
class Seg:
    pos: float      # y of a horizontal line, x of a vertical one
    a: float        # extent along the line: x0 / y0
    b: float        #                         x1 / y1
    virtual: bool = False


def _line_segments(dark, min_len: int, max_thick: int, margin: int, fill: float = 0.85,
                   gap: int = 3) -> list[Seg]:
    """Horizontal ruling segments of a binary image: runs of at least
    ``min_len`` pixels that are (almost) all ink, grouped over the few pixel
    rows a line is thick.  A run of text strokes is no line: a line is thin
    (at most ``max_thick`` rows) and has white on both sides along most of its
    length (within ``margin`` pixels), where text has other strokes."""
    import numpy as np
    h, w = dark.shape
    if w < min_len:
        return []
    cs = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, out=cs[:, 1:])
    win = cs[:, min_len:] - cs[:, :-min_len]             # ink in [x, x+min_len)
    full = win >= int(fill * min_len)
    rows = np.nonzero(full.any(axis=1))[0]
    if len(rows) == 0:
        return []
    # Every pixel covered by a full window.
    cov = np.zeros((h, w + 1), dtype=np.int32)
    fr, fc = np.nonzero(full)
    np.add.at(cov, (fr, fc), 1)
    np.add.at(cov, (fr, np.minimum(fc + min_len, w)), -1)
    on = np.cumsum(cov, axis=1)[:, :w] > 0
    segs: list[Seg] = []
    # Bands of consecutive rows that hold line pixels: one line each.
    breaks = np.nonzero(np.diff(rows) > 1)[0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(rows) - 1]))
    for s, e in zip(starts, ends):
        band = rows[s:e + 1]
        sub = on[band]
        union = sub.any(axis=0)
        # Close small gaps.
        idx = np.nonzero(union)[0]
        if len(idx) == 0:
            continue
        cuts = np.nonzero(np.diff(idx) > gap + 1)[0]
        rs = np.concatenate(([0], cuts + 1))
        re_ = np.concatenate((cuts, [len(idx) - 1]))
        for a, b in zip(rs, re_):
            lo, hi = int(idx[a]), int(idx[b]) + 1
            if hi - lo < min_len:
                continue
            # The rows this run stands on: those carrying most of it (a text
            # stroke that touches the line's end is not part of it).
            cover = sub[:, lo:hi].sum(axis=1)
            keep = cover >= 0.5 * cover.max()
            mine = band[keep]
            ext = np.nonzero(sub[keep, lo:hi].any(axis=0))[0]
            lo, hi = lo + int(ext[0]), lo + int(ext[-1]) + 1
            if hi - lo < min_len:
                continue
            r0, r1 = int(mine[0]), int(mine[-1])
            if r1 - r0 + 1 > max_thick:
                continue
            side = np.zeros(hi - lo, dtype=bool)
            above = dark[max(0, r0 - 1 - margin):max(0, r0 - 1), lo:hi]
            below = dark[r1 + 2:r1 + 2 + margin, lo:hi]
            if above.shape[0]:
                side |= above.any(axis=0)
            if below.shape[0]:
                side |= below.any(axis=0)
            if side.mean() < 0.5:
                segs.append(Seg(float(mine.mean()), float(lo), float(hi)))
    return segs


def ruling(dark, dpi: float) -> tuple[list[Seg], list[Seg]]:
    """Horizontal and vertical ruling segments of a page image."""
    import numpy as np
    h_min = max(8, int(round(30 * dpi / 72)))   # longer than two em dashes (——)
    v_min = max(6, int(round(15 * dpi / 72)))   # taller than a character
    thick = max(3, int(round(3 * dpi / 72)))
    margin = max(2, int(round(3 * dpi / 72)))
    hs = _line_segments(dark, h_min, thick, margin)
    vs = _line_segments(np.ascontiguousarray(dark.T), v_min, thick, margin)
    return hs, vs


@dataclass
class Table:
    ys: list[float]                  # row boundaries
    xs: list[float]                  # column boundaries
    hs: list[Seg]
    vs: list[Seg]
    tol: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def has_v(self, i: int, j: int) -> bool:
        """Whether the boundary left of column j is drawn in band i."""
        x, top, bottom = self.xs[j], self.ys[i], self.ys[i + 1]
        slack = 2 * self.tol     # a border spans the whole band; a text stroke does not
        return any(abs(v.pos - x) <= self.tol and (v.virtual or (v.a <= top + slack and v.b >= bottom - slack))
                   for v in self.vs)

    def has_h(self, i: int, j: int) -> bool:
        """Whether the boundary above band i is drawn over column j."""
        y, left, right = self.ys[i], self.xs[j], self.xs[j + 1]
        slack = 2 * self.tol
        return any(abs(h.pos - y) <= self.tol and (h.virtual or (h.a <= left + slack and h.b >= right - slack))
                   for h in self.hs)


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def find_tables(hs: list[Seg], vs: list[Seg], dpi: float) -> list[Table]:
    """Ruled tables: sets of horizontal and vertical lines that touch."""
    tol = max(3.0, 4 * dpi / 72)
    lines = [("h", s) for s in hs] + [("v", s) for s in vs]
    parent = list(range(len(lines)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, si) in enumerate(lines):
        if ki != "h":
            continue
        for j, (kj, sj) in enumerate(lines):
            if kj != "v":
                continue
            if si.a - tol <= sj.pos <= si.b + tol and sj.a - tol <= si.pos <= sj.b + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(lines)):
        groups.setdefault(find(i), []).append(i)
    tables: list[Table] = []
    for members in groups.values():
        th = [lines[i][1] for i in members if lines[i][0] == "h"]
        tv = [lines[i][1] for i in members if lines[i][0] == "v"]
        if len(th) < 2 or len(tv) < 2:
            continue
        ys = _cluster([h.pos for h in th], tol)
        slack = 2 * tol
        left, right = min(h.a for h in th), max(h.b for h in th)
        # An open top or bottom (no outer border): where at least two column
        # lines that cross the first (last) row end together beyond it.  Text
        # strokes standing on a row line do not cross the row below it.
        if len(ys) < 2:
            continue
        for side in ("top", "bottom"):
            ends = [v.a for v in tv if v.a < ys[0] - slack and v.b >= ys[1] - slack] if side == "top" else \
                [v.b for v in tv if v.b > ys[-1] + slack and v.a <= ys[-2] + slack]
            if len(ends) < 2:
                continue
            y = min(ends) if side == "top" else max(ends)
            if sum(1 for e in ends if abs(e - y) <= tol) >= 2:
                ys.insert(0, y) if side == "top" else ys.append(y)
                th.append(Seg(y, left, right, virtual=True))
        # A column line spans at least one row from line to line; a text
        # stroke that touches a row line does not.
        tv = [v for v in tv if any(v.a <= ys[k] + slack and v.b >= ys[k + 1] - slack
                                   for k in range(len(ys) - 1))]
        if len(tv) < 2:
            continue
        xs = _cluster([v.pos for v in tv], tol)
        top, bottom = ys[0], ys[-1]
        # An open side: the row lines' ends bound the table.
        if left < xs[0] - slack:
            xs.insert(0, left)
            tv.append(Seg(left, top, bottom, virtual=True))
        if right > xs[-1] + slack:
            xs.append(right)
            tv.append(Seg(right, top, bottom, virtual=True))
        if len(ys) < 2 or len(xs) < 3:
            continue
        tables.append(Table(ys, xs, th, tv, tol))
    tables.sort(key=lambda t: t.ys[0])
    return tables


def is_table_page(tables: list[Table]) -> bool:
    return any(len(t.ys) >= 3 and len(t.xs) >= 3 for t in tables)


# ---------------------------------------------------------------------------
# Page → rows
# ---------------------------------------------------------------------------

class _Frame:
    """Maps deskewed image pixels back to PDF points on the original page."""

    def __init__(self, angle: float, width: int, height: int, dpi: float):
        self.a = math.radians(angle)
        self.cx, self.cy = width / 2, height / 2
        self.scale = 72.0 / dpi

    def point(self, x: float, y: float) -> tuple[float, float]:
        c, s = math.cos(self.a), math.sin(self.a)
        dx, dy = x - self.cx, y - self.cy
        return (self.cx + dx * c - dy * s) * self.scale, (self.cy + dx * s + dy * c) * self.scale

    def bbox(self, x0, y0, x1, y1) -> tuple[float, float, float, float]:
        pts = [self.point(x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        return (round(min(p[0] for p in pts), 2), round(min(p[1] for p in pts), 2),
                round(max(p[0] for p in pts), 2), round(max(p[1] for p in pts), 2))


def _join(pieces: list[Piece]) -> str:
    """Text of a cell's characters in reading order: OCR line by OCR line,
    left to right; a wide gap inside a line is a space, and two runs of
    digits are never glued into one number."""
    if not pieces:
        return ""
    lines: dict[int, list[Piece]] = {}
    for p in pieces:
        lines.setdefault(p.line, []).append(p)
    ordered = sorted(lines.values(), key=lambda ps: (sum(p.cy for p in ps) / len(ps), min(p.x0 for p in ps)))
    out = ""
    for ps in ordered:
        ps.sort(key=lambda p: p.x0)
        text = ""
        prev = None
        for p in ps:
            if prev is not None:
                height = max(p.y1 - p.y0, prev.y1 - prev.y0, 1.0)
                if p.x0 - prev.x1 > 0.6 * height:
                    text += " "
            text += p.text
            prev = p
        if out and out[-1].isdigit() and text[:1].isdigit():
            out += " "
        out += text
    return out.strip()


def _has_ink(dark, x0: float, y0: float, x1: float, y1: float, dpi: float) -> bool:
    """Whether a cell's inside (away from its borders) holds ink."""
    inset = 4 * dpi / 72
    a, b = int(y0 + inset), int(y1 - inset)
    c, d = int(x0 + inset), int(x1 - inset)
    if b <= a or d <= c:
        return False
    region = dark[a:b, c:d]
    # A digit "1" in 9-point type is about 2 x 14 pixels at 170 dpi.
    return int(region.sum()) >= max(10, int(12 * (dpi / 170) ** 2))


def _regions(t: Table) -> tuple[dict[tuple[int, int], tuple[int, int]], dict[tuple[int, int], list[float]]]:
    """Elementary cell → the top-left cell of its merged region, and each
    region's box."""
    nb, nc = len(t.ys) - 1, len(t.xs) - 1
    parent = {(i, j): (i, j) for i in range(nb) for j in range(nc)}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            keep, drop = (ra, rb) if ra < rb else (rb, ra)
            parent[drop] = keep

    for i in range(nb):
        for j in range(nc):
            if j > 0 and not t.has_v(i, j):
                union((i, j), (i, j - 1))
            if i > 0 and not t.has_h(i, j):
                union((i, j), (i - 1, j))
    rep = {c: find(c) for c in parent}
    boxes: dict[tuple[int, int], list[float]] = {}
    for (i, j), r in rep.items():
        x0, x1, y0, y1 = t.xs[j], t.xs[j + 1], t.ys[i], t.ys[i + 1]
        b = boxes.get(r)
        if b is None:
            boxes[r] = [x0, y0, x1, y1]
        else:
            b[0], b[1], b[2], b[3] = min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)
    return rep, boxes


def _locate(values: list[float], v: float) -> int | None:
    for k in range(len(values) - 1):
        if values[k] <= v < values[k + 1]:
            return k
    return None


def grid_rows(lines: list[OcrLine], tables: list[Table], dark, frame: _Frame, dpi: float,
              page_no: int, table_base: int) -> list[Row]:
    """Rows of one OCR'd page: a grid row per table band, a line row for the
    text outside the tables, in reading order."""
    items: list[tuple[float, int, Row]] = []
    seq = 0
    per_table: list[dict[tuple[int, int], list[Piece]]] = [dict() for _ in tables]
    outside: list[OcrLine] = []
    for ln in lines:
        rest: list[Piece] = []
        for p in ln.pieces:
            for ti, t in enumerate(tables):
                x0, y0, x1, y1 = t.bbox
                if x0 <= p.cx <= x1 and y0 <= p.cy <= y1:
                    i, j = _locate(t.ys, p.cy), _locate(t.xs, p.cx)
                    if i is not None and j is not None:
                        per_table[ti].setdefault((i, j), []).append(p)
                    break
            else:
                rest.append(p)
        if rest:
            outside.append(OcrLine("".join(p.text for p in rest), min(p.x0 for p in rest),
                                   min(p.y0 for p in rest), max(p.x1 for p in rest),
                                   max(p.y1 for p in rest), min(p.score for p in rest), rest))
    real = 0
    for ti, t in enumerate(tables):
        rep, boxes = _regions(t)
        texts: dict[tuple[int, int], list[Piece]] = {}
        for cell, ps in per_table[ti].items():
            texts.setdefault(rep[cell], []).extend(ps)
        nb, nc = len(t.ys) - 1, len(t.xs) - 1
        rows: list[tuple[float, Row]] = []
        for i in range(nb):
            cells: list[Span] = []
            for j in range(nc):
                r = rep[(i, j)]
                box = boxes[r]
                bbox = frame.bbox(*box)
                if r != (i, j):
                    cells.append(Span("", page_no, bbox, merged=True))
                    continue
                ps = texts.get(r, [])
                text = _join(ps)
                if ps:
                    conf = round(min(p.score for p in ps), 4)
                else:
                    conf = 0.0 if _has_ink(dark, *box, dpi) else 1.0
                cells.append(Span(text, page_no, bbox, conf))
            rows.append((t.ys[i], Row(cells, page=page_no, grid=True, table=table_base + real)))
        ncols_ok = nc >= 2
        multi = any(sum(1 for c in r.cells if c.text.strip()) >= 2 for _, r in rows)
        if not (ncols_ok and multi):
            # Not a table (a framed paragraph): its text is lines.
            for top, r in rows:
                for c in r.cells:
                    if c.text and not c.merged:
                        items.append((top, seq, Row([Span(c.text, page_no, c.bbox, c.confidence)],
                                                    page=page_no)))
                        seq += 1
            continue
        real += 1
        for top, r in rows:
            live = [c for c in r.cells if not c.merged]
            if len(live) == 1 and r.cells[0] is live[0]:
                if live[0].text and not is_page_number(live[0].text):
                    items.append((top, seq, Row([live[0]], page=page_no)))
                    seq += 1
                continue
            items.append((top, seq, r))
            seq += 1
    for ln in _text_lines(outside):
        if ln.text and not is_page_number(ln.text):
            items.append((ln.y0, seq, Row([Span(ln.text, page_no, frame.bbox(ln.x0, ln.y0, ln.x1, ln.y1),
                                                round(ln.score, 4))], page=page_no)))
            seq += 1
    items.sort(key=lambda x: (x[0], x[1]))
    return [r for _, _, r in items]


def _text_lines(lines: list[OcrLine]) -> list[OcrLine]:
    """OCR boxes on the same visual line joined left to right."""
    out: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda l: (l.y0 + l.y1) / 2):
        cy = (ln.y0 + ln.y1) / 2
        if out:
            last = out[-1]
            ly0 = min(l.y0 for l in last)
            ly1 = max(l.y1 for l in last)
            h = max(ly1 - ly0, ln.y1 - ln.y0, 1.0)
            if abs(cy - (ly0 + ly1) / 2) < 0.4 * h:
                last.append(ln)
                continue
        out.append([ln])
    merged: list[OcrLine] = []
    for group in out:
        group.sort(key=lambda l: l.x0)
        merged.append(OcrLine("".join(l.text for l in group).strip(), min(l.x0 for l in group),
                              min(l.y0 for l in group), max(l.x1 for l in group),
                              max(l.y1 for l in group), min(l.score for l in group)))
    return merged


def line_rows(lines: list[OcrLine], frame: _Frame, page_no: int, cells: bool = False) -> list[Row]:
    """Rows of a page without a ruled table: one line row per visual line, or
    (``cells``) one row per visual line with one cell per OCR box — like
    OCR'd tab text, so a missing cell is never shifted into place."""
    rows: list[Row] = []
    if not cells:
        for ln in _text_lines(lines):
            if ln.text and not is_page_number(ln.text):
                rows.append(Row([Span(ln.text, page_no, frame.bbox(ln.x0, ln.y0, ln.x1, ln.y1),
                                      round(ln.score, 4))], page=page_no))
        return rows
    groups: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda l: (l.y0 + l.y1) / 2):
        cy = (ln.y0 + ln.y1) / 2
        if groups:
            g = groups[-1]
            gy0, gy1 = min(l.y0 for l in g), max(l.y1 for l in g)
            if abs(cy - (gy0 + gy1) / 2) < 0.4 * max(gy1 - gy0, ln.y1 - ln.y0, 1.0):
                g.append(ln)
                continue
        groups.append([ln])
    for g in groups:
        g.sort(key=lambda l: l.x0)
        spans = [Span(l.text.strip(), page_no, frame.bbox(l.x0, l.y0, l.x1, l.y1), round(l.score, 4))
                 for l in g if l.text.strip()]
        if not spans:
            continue
        if len(spans) == 1 and is_page_number(spans[0].text):
            continue
        rows.append(Row(spans, page=page_no))
    return rows


# ---------------------------------------------------------------------------
# Pages of a PDF
# ---------------------------------------------------------------------------

def render_gray(page, dpi: float):
    import numpy as np
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        img = bitmap.to_pil().convert("L")
    finally:
        bitmap.close()
    return np.asarray(img, dtype=np.uint8)


def _deskewed(gray, angle: float):
    import numpy as np
    from PIL import Image
    if abs(angle) < 0.05:
        return gray
    im = Image.fromarray(gray).rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    return np.asarray(im, dtype=np.uint8)


@dataclass
class PageResult:
    rows: list[Row]
    table: bool          # the page holds (or was read as) a statistical table


def _straight(pdf, index: int, dpi: float, angle: float | None = None):
    """A page rendered at ``dpi`` and turned straight: (image, skew angle)."""
    page = pdf[index]
    try:
        gray = render_gray(page, dpi)
    finally:
        page.close()
    if angle is None:
        angle = skew_angle(dark_mask(gray))
    return _deskewed(gray, angle), angle


def classify(pdf, index: int) -> tuple[bool, float]:
    """(has a ruled table, skew angle) of one page, from a low-resolution image."""
    straight, angle = _straight(pdf, index, LOW_DPI)
    hs, vs = ruling(dark_mask(straight), LOW_DPI)
    return is_table_page(find_tables(hs, vs, LOW_DPI)), angle


def read_table_page(pdf, index: int, angle: float, table_base: int) -> list[Row]:
    page = pdf[index]
    try:
        gray = render_gray(page, FULL_DPI)
    finally:
        page.close()
    straight = _deskewed(gray, angle)
    dark = dark_mask(straight)
    hs, vs = ruling(dark, FULL_DPI)
    tables = find_tables(hs, vs, FULL_DPI)
    lines = run_ocr(straight, pieces=True)
    frame = _Frame(angle, straight.shape[1], straight.shape[0], FULL_DPI)
    return grid_rows(lines, tables, dark, frame, FULL_DPI, index + 1, table_base)


def read_pages(pdf, indices: list[int], sha256: str, markers: tuple[str, ...],
               min_markers: int, progress=None, cancel=None) -> dict[int, PageResult]:
    """OCR the given 0-based pages of an open pypdfium2 document."""
    from ..text import normalize_label
    cached = cache_load(sha256, indices)
    if cached is not None:
        log.info("OCR cache hit for %s (%d pages)", sha256[:12], len(cached))
        report_progress(progress, len(indices), len(indices), "已从缓存读取文字识别结果")
        return cached
    engine()                                   # fail early (missing extra) before any work
    n = len(indices)
    # 1. Find the table pages (cheap: ruling lines on a low-resolution image).
    plan: dict[int, tuple[bool, float]] = {}
    for k, i in enumerate(indices):
        check_cancelled(cancel)
        report_progress(progress, k, 2 * n, f"正在查找表格页：第 {i + 1} 页")
        plan[i] = classify(pdf, i)
    ruled_pages = [i for i in indices if plan[i][0]]
    log.info("scanned pages %s; ruled table pages %s", [i + 1 for i in indices],
             [i + 1 for i in ruled_pages])
    order = ruled_pages + [i for i in indices if not plan[i][0]]
    out: dict[int, PageResult] = {}
    if n - len(ruled_pages) > MAX_TEXT_PAGES:
        keep = set(indices[:3]) | set(indices[-3:]) | {j for i in ruled_pages for j in (i - 1, i + 1)}
        for i in order:
            if not plan[i][0] and i not in keep:
                out[i] = PageResult([], False)          # not read: a long scan's middle
        order = [i for i in order if i not in out]
        log.info("long scan: OCR of %d of %d text pages", len(order) - len(ruled_pages),
                 n - len(ruled_pages))
    # 2. OCR: table pages at full resolution, the others at low resolution.
    steps = n + len(order)
    for k, i in enumerate(order):
        check_cancelled(cancel)
        ruled, angle = plan[i]
        what = "表格页" if ruled else "文字页"
        report_progress(progress, n + k, steps,
                        f"正在识别扫描件第 {i + 1} 页（{what}，{k + 1}/{len(order)}）…")
        if ruled:
            out[i] = PageResult(read_table_page(pdf, i, angle, 1000 + 100 * i), True)
            continue
        low, _ = _straight(pdf, i, LOW_DPI, angle)
        lines = run_ocr(low, pieces=False)
        frame = _Frame(angle, low.shape[1], low.shape[0], LOW_DPI)
        norm = normalize_label("".join(line.text for line in lines))
        if sum(1 for m in markers if m in norm) >= min_markers:
            # Table words without ruling lines: read again, sharper, one cell per OCR box.
            gray, _ = _straight(pdf, i, FULL_DPI, angle)
            lines = run_ocr(gray, pieces=False)
            frame = _Frame(angle, gray.shape[1], gray.shape[0], FULL_DPI)
            out[i] = PageResult(line_rows(lines, frame, i + 1, cells=True), True)
        else:
            out[i] = PageResult(line_rows(lines, frame, i + 1), False)
    report_progress(progress, steps, steps, "文字识别完成")
    cache_store(sha256, out)
    return out


# ---------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------

def cache_dir() -> Path:
    import platformdirs
    return Path(platformdirs.user_cache_dir("gxaudit", appauthor=False)) / "ocr"


def _cache_path(sha256: str) -> Path:
    return cache_dir() / f"{sha256}.json"


def _engine_id() -> str:
    try:
        from importlib.metadata import version
        return f"rapidocr {version('rapidocr')}"
    except Exception:  # noqa: BLE001
        return "rapidocr ?"


def cache_load(sha256: str, indices: list[int]) -> dict[int, PageResult] | None:
    if not sha256:
        return None
    path = _cache_path(sha256)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("version") != CACHE_VERSION or data.get("engine") != _engine_id():
        return None
    pages = data.get("pages", {})
    if any(str(i) not in pages for i in indices):
        return None
    out: dict[int, PageResult] = {}
    try:
        for i in indices:
            p = pages[str(i)]
            rows = []
            for r in p["rows"]:
                cells = [Span(c["t"], i + 1, tuple(c["b"]) if c.get("b") else None, c.get("c", 1.0),
                              merged=bool(c.get("m"))) for c in r["cells"]]
                rows.append(Row(cells, page=i + 1, grid=bool(r.get("grid")), table=r.get("table")))
            out[i] = PageResult(rows, bool(p.get("table")))
    except (KeyError, TypeError, ValueError):
        return None
    return out


def cache_store(sha256: str, results: dict[int, PageResult]) -> None:
    if not sha256:
        return
    data = {"version": CACHE_VERSION, "engine": _engine_id(), "pages": {
        str(i): {"table": res.table, "rows": [
            {"grid": r.grid, "table": r.table,
             "cells": [{"t": c.text, "b": list(c.bbox) if c.bbox else None, "c": c.confidence,
                        **({"m": True} if c.merged else {})} for c in r.cells]}
            for r in res.rows]}
        for i, res in results.items()}}
    path = _cache_path(sha256)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        log.warning("could not write the OCR cache %s", path, exc_info=True)
