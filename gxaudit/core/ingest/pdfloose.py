"""Table pages drawn without ruling lines (a WPS or Word table with its
borders turned off): the figures are read from PDFium's character boxes
without a grid.

* A figure is a number (with its unit or note, "12.5万元", "22（其中修订16件）",
  or a placeholder such as "—") standing apart from
  the other words on its line; a number inside a sentence, or a row's
  numbering ("1 .属于国家秘密"), is text.
* Figures printed on one level make a line of figures.  A lone figure (a
  total printed at the top of its cell while the row's other figures are
  centred beside a wrapped label) joins the one neighbouring line that has
  nothing in its column; when both neighbours could take it, it stays alone
  and the rows are flagged.
* Columns: where the rows that fill every column (the most common count,
  two rows or more) put their figures.  A row with blanks is placed by
  column only when each figure stands clearly in one column and no lone
  figure is left next to it; otherwise its figures stay in page order and
  reconstruction flags a row with too few of them rather than shift them.
* Labels: the line level with a row's figures and left of them, then the
  lines wrapped below it up to the next line that opens a row (一、 （二）
  3. 第二十条 信息内容 …); the other lines stay text lines before the row,
  as the label lines of a text dump do.

Nothing here moves a figure to another row or column: a cell is right or
flagged.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field

from ..document import Row, Span
from ..model import OK
from ..text import normalize_label, parse_value
from .layout import is_page_number
from .pdfgrid import SPACE, Char, _bbox, _line_text, _lines, line_spans, page_chars

# A line of figures joins the row above it when at most this many line
# heights lower (a total printed at the top of a three-line cell).
JOIN_LINES = 4.5
# Figures whose centres are within this share of a line are on one level.
LEVEL = 0.3
# Two figures overlap across the page (one column) when their spans,
# widened by this many points, meet.
COLUMN_SLACK = 2.0
# A figure stands at least this many character heights from any word on its line.
ISOLATION = 0.7
# A number followed by one of these is a row's numbering ("1 .属于国家秘密").
_NUMBERING_MARKS = set(".．、)）")
# A figure stands in a column when its centre is within this share of the
# column pitch from the column's centre.
COLUMN_FIT = 0.25
# The header's column labels are looked for this many line heights above a
# row; their spacing may vary by this share of the usual pitch.
HEADER_LINES = 4.0
HEADER_EVEN = 0.25
# A label line at most this many of its heights below a value row can end its label.
CONTINUE_LINES = 2.5
# A label ending more than this many line heights before its row's first
# figure did not wrap: the line below it is not its continuation.
WRAPPED = 1.5
# A label line is level with a row of figures when their heights overlap
# by this share of the smaller.
LEVEL_OVERLAP = 0.5
# Digits closer than this many character heights are one number.
DIGIT_GAP = 0.6
# A page needs this many numbers standing apart to be read as an unruled table.
MIN_FIGURES = 2
_DIGITS = set("0123456789")
# Placeholders printed where a figure stands (text.PLACEHOLDERS without the
# words and letters a label could hold).
_PLACEHOLDER_MARKS = {"/", "／", "-", "—", "——", "–", "－", "―", "\\", "…", "--"}
# A word that opens a table row: 一、 （二） 3. 4、
_OPENS = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}\s*[.．、])")
_NUMERIC = _DIGITS | set(".,，%")


@dataclass
class _Figure:
    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(c.ch for c in self.chars)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def cy(self) -> float:
        return sum(c.cy for c in self.chars) / len(self.chars)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return max(c.height for c in self.chars)

    @property
    def bbox(self):
        return _bbox((self.x0, min(c.top for c in self.chars), self.x1, max(c.bottom for c in self.chars)))

    @property
    def score(self) -> float:
        return min(c.score for c in self.chars)


@dataclass
class _ValueRow:
    figures: list[_Figure] = field(default_factory=list)

    @property
    def low(self) -> float:
        return max(f.cy for f in self.figures)

    def overlaps(self, f: _Figure) -> bool:
        return any(g.x0 - COLUMN_SLACK <= f.x1 and f.x0 <= g.x1 + COLUMN_SLACK for g in self.figures)


def _words(line: list[Char]) -> list[list[Char]]:
    """A line's characters split where the gap is wider than a space."""
    words: list[list[Char]] = []
    for c in line:
        if words and c.x0 - words[-1][-1].x1 <= SPACE:
            words[-1].append(c)
        else:
            words.append([c])
    return words


def _numeric(word: list[Char]) -> bool:
    text = "".join(c.ch for c in word)
    return all(ch in _NUMERIC for ch in text) and any(ch in _DIGITS for ch in text)


def _with_note(word: list[Char]) -> bool:
    """A number with its unit or note in its cell ("22（其中修订16件）", "12.5万元")."""
    text = "".join(c.ch for c in word)
    return text[:1] in _DIGITS and parse_value(text).status == OK


def _placeholder(word: list[Char]) -> bool:
    """A cell's placeholder standing for a figure ("—", "/")."""
    return "".join(c.ch for c in word) in _PLACEHOLDER_MARKS


def _digit_runs(words: list[list[Char]]) -> list[list[Char]]:
    """Numeric words closer than DIGIT_GAP character heights joined: a
    number printed with spaced-out digits ("1 5 2 3") is one number."""
    out: list[list[Char]] = []
    for w in words:
        if out and _numeric(out[-1]) and _numeric(w) and \
                w[0].x0 - out[-1][-1].x1 <= DIGIT_GAP * max(c.height for c in w):
            out[-1] = out[-1] + w
        else:
            out.append(w)
    return out


def _in_column(w: list[Char], centres: list[float] | None) -> bool:
    if not centres:
        return False
    pitch = min(b - a for a, b in zip(centres, centres[1:]))
    cx = (w[0].x0 + w[-1].x1) / 2
    return any(abs(cx - c) <= COLUMN_FIT * pitch for c in centres)


def _split(chars: list[Char], centres: list[float] | None = None) -> tuple[list[_Figure], list[Char]]:
    """Figures (words of digits standing apart from any other word on their
    line; "1 .属于国家秘密" is a label) and the other characters.  With the
    columns known, a number that stands in a column and apart on its right
    is a figure though its label runs up to it."""
    figures: list[_Figure] = []
    rest: list[Char] = []
    for line in _lines(chars):
        if is_page_number(_line_text(line)):
            rest.extend(line)               # "- 3 -": dropped with the lines
            continue
        words = _digit_runs(_words(line))
        for k, w in enumerate(words):
            apart = ISOLATION * max(c.height for c in w)
            after = words[k + 1] if k + 1 < len(words) else None
            left = k == 0 or w[0].x0 - words[k - 1][-1].x1 >= apart or _numeric(words[k - 1]) \
                or _in_column(w, centres)
            alone = left and (after is None or (after[0].ch[:1] not in _NUMBERING_MARKS
                                                and (after[0].x0 - w[-1].x1 >= apart or _numeric(after))))
            if (_numeric(w) or _placeholder(w) or _with_note(w)) and alone:
                figures.append(_Figure(w))
            else:
                rest.extend(w)
    return figures, rest


def _figure_lines(figures: list[_Figure]) -> list[_ValueRow]:
    """Figures printed on one level, top to bottom."""
    lines: list[_ValueRow] = []
    for f in sorted(figures, key=lambda f: (f.cy, f.x0)):
        if lines and f.cy - lines[-1].low <= LEVEL * f.height and not lines[-1].overlaps(f):
            lines[-1].figures.append(f)
        else:
            lines.append(_ValueRow([f]))
    return lines


def _value_rows(figures: list[_Figure]) -> list[_ValueRow]:
    """Figure lines, with a lone figure joined to the one line next to it
    that has no figure in its column (a total printed at the top of its
    cell, the row's other figures centred beside the wrapped label).  When
    both the line above and the line below could take it, it stays alone:
    the row is flagged, never guessed."""
    lines = _figure_lines(figures)
    taken: set[int] = set()
    joins: dict[int, int] = {}                 # lone line -> the line it joins
    for k, line in enumerate(lines):
        if len(line.figures) != 1:
            continue
        f = line.figures[0]
        reach = JOIN_LINES * f.height
        fits = [j for j in (k - 1, k + 1)
                if 0 <= j < len(lines) and j not in taken and len(lines[j].figures) > 1
                and abs(lines[j].low - f.cy) <= reach and not lines[j].overlaps(f)]
        if len(fits) == 1:
            joins[k] = fits[0]
            taken.update((k, fits[0]))
    for k, j in joins.items():
        lines[j].figures.extend(lines[k].figures)
    return [line for k, line in enumerate(lines) if k not in joins]


def _column_centres(rows: list[_ValueRow]) -> list[float] | None:
    """Where the columns stand, from the rows that fill every column: the
    most common count of figures (three or more, at least two rows) whose
    rows put each figure within COLUMN_FIT of a pitch of the column's centre."""
    counts = Counter(len(r.figures) for r in rows if len(r.figures) >= 3)
    for n, k in counts.most_common():
        if k < 2:
            break
        full = [sorted(f.cx for f in r.figures) for r in rows if len(r.figures) == n]
        centres = [statistics.median(col) for col in zip(*full)]
        pitch = min(b - a for a, b in zip(centres, centres[1:]))
        if pitch > 0 and all(abs(x - c) <= COLUMN_FIT * pitch for row in full for x, c in zip(row, centres)):
            return centres
    return None


def _by_column(row: _ValueRow, centres: list[float]) -> list[_Figure | None] | None:
    """A row's figures in their columns (None for a blank), or None when a
    figure does not stand clearly in one column."""
    pitch = min(b - a for a, b in zip(centres, centres[1:]))
    out: list[_Figure | None] = [None] * len(centres)
    for f in row.figures:
        near = [j for j, c in enumerate(centres) if abs(f.cx - c) <= COLUMN_FIT * pitch]
        if len(near) != 1 or out[near[0]] is not None:
            return None
        out[near[0]] = f
    return out


def _ink_in_blanks(placed: list[_Figure | None], centres: list[float], rest: list[Char]) -> bool:
    """Whether anything is printed where a placed row has a blank (a figure
    run into its label, read as text): then the row is not placed."""
    pitch = min(b - a for a, b in zip(centres, centres[1:]))
    figs = [f for f in placed if f is not None]
    h = max(f.height for f in figs)
    top, bottom = min(f.cy for f in figs) - h, max(f.cy for f in figs) + h
    return any(top <= c.cy <= bottom and abs(c.cx - centres[j]) <= pitch / 2
               for j, f in enumerate(placed) if f is None for c in rest)


def _header_centres(row: _ValueRow, rest: list[Char]) -> list[float] | None:
    """Where the columns stand by the header just above a row (the column
    labels of its lowest header level, 结果/维持 stacked in one column): the
    centres of its words when they are evenly spaced (a label spanning
    several columns stands between them and breaks the spacing)."""
    h = max(f.height for f in row.figures)
    top = min(f.bbox[1] for f in row.figures)
    band = [c for c in rest if top - HEADER_LINES * h <= c.cy < top]
    xs: list[list[float]] = []
    for line in _lines(band):
        xs += [[(w[0].x0 + w[-1].x1) / 2] for w in _words(line)]
    clusters: list[list[float]] = []
    for x in sorted(x[0] for x in xs):
        if clusters and x - clusters[-1][-1] <= 0.5 * h:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    centres = [sum(c) / len(c) for c in clusters]
    if len(centres) < max(3, len(row.figures)):
        return None
    pitches = [b - a for a, b in zip(centres, centres[1:])]
    mid = statistics.median(pitches)
    if any(not (1 - HEADER_EVEN) * mid <= p <= (1 + HEADER_EVEN) * mid for p in pitches):
        return None
    return centres


def _positional(rows: list[_ValueRow], rest: list[Char]) -> dict[int, tuple[list[_Figure | None], list[float]]]:
    """Rows with blanks placed by column (index → figures by column): rows of
    two figures or more, every figure clearly in one column, nothing printed
    in their blank columns, and no lone figure left over next to them (it
    could be theirs).  The columns are where the rows that fill them put
    their figures, or, for a row wider than those (表四's one row below
    表三), the evenly spaced column labels just above it."""
    model = _column_centres(rows)
    out = {}
    for k, r in enumerate(rows):
        if any(len(rows[j].figures) == 1 for j in (k - 1, k + 1) if 0 <= j < len(rows)):
            continue
        centres = model if model is not None and len(r.figures) < len(model) else None
        if centres is None and len(r.figures) >= 2 and (model is None or len(r.figures) > len(model)):
            centres = _header_centres(r, rest)
            if centres is not None and len(r.figures) >= len(centres):
                centres = None
        if centres is None or len(r.figures) < 2:
            continue
        placed = _by_column(r, centres)
        if placed is not None and not _ink_in_blanks(placed, centres, rest):
            out[k] = (placed, centres)
    return out


def _level_label(lines: list[tuple], figs: list[_Figure]) -> int | None:
    """The label line printed level with a value row's main line of figures
    and left of them (a one-line label beside its numbers), by index."""
    main = max(_figure_lines(figs), key=lambda ln: len(ln.figures))
    top = min(f.bbox[1] for f in main.figures)
    bottom = max(f.bbox[3] for f in main.figures)
    left = min(f.x0 for f in figs)
    best = None
    for k, (box, _span) in enumerate(lines):
        overlap = min(bottom, box[3]) - max(top, box[1])
        if box[2] < left and overlap >= LEVEL_OVERLAP * min(bottom - top, box[3] - box[1]):
            if best is None or box[2] > lines[best][0][2]:
                best = k
    return best


def _blank_boxes(figs: list[_Figure], centres: list[float]) -> list[tuple]:
    """A box for each column of a placed row (where a blank cell stands):
    between the midpoints to its neighbours, over the row's figures' height."""
    top, bottom = min(f.bbox[1] for f in figs), max(f.bbox[3] for f in figs)
    mids = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
    left = [2 * centres[0] - mids[0]] + mids if mids else [centres[0] - 5]
    right = mids + [2 * centres[-1] - mids[-1]] if mids else [centres[0] + 5]
    return [_bbox((x0, top, x1, bottom)) for x0, x1 in zip(left, right)]


def _row_cells(vrows: list[_ValueRow], rest: list[Char], lines: list[tuple], used: set[int],
               page_no: int) -> list[tuple[float, list[Span], bool]]:
    """Each value row's cells (its level label first, when there is one),
    where it sorts among the lines, and whether its cells are by column."""
    placed = _positional(vrows, rest)
    rows: list[tuple[float, list[Span], bool]] = []
    for n, vr in enumerate(vrows):
        figs = sorted(vr.figures, key=lambda f: f.x0)
        if n in placed:
            by_col, centres = placed[n]
            blanks = _blank_boxes(figs, centres)
            cells = [Span(f.text, page_no, f.bbox, f.score) if f is not None else Span("", page_no, blanks[j])
                     for j, f in enumerate(by_col)]
        else:
            cells = [Span(f.text, page_no, f.bbox, f.score) for f in figs]
        k = _level_label(lines, figs)
        if k is not None and k not in used:
            used.add(k)
            cells.insert(0, lines[k][1])
        # After every label line that starts above its lowest figure's foot:
        # the lines just before a value row name it.
        rows.append((max(f.bbox[3] for f in figs), cells, n in placed))
    rows.sort(key=lambda r: r[0])
    return rows


def read_unruled(page, page_no: int, textpage=None) -> list[Row] | None:
    """Rows of a PDF page without ruling lines, or None when it holds too
    few figures to be a table."""
    return rows_of(page_chars(page, textpage), page_no)


def rows_of(chars: list[Char], page_no: int, ink: list[Char] = ()) -> list[Row] | None:
    """Rows of a table without ruling lines from its characters (PDF glyphs,
    or the OCR'd crops of a scan), or None when there are too few figures.
    ``ink``: marks that are neither figures nor words (an OCR crop that
    spans several lines); a row is never placed by column over them."""
    figures, rest = _split(chars)
    if sum(1 for f in figures if _numeric(f.chars)) < MIN_FIGURES:
        return None                   # prose, or a page number's dashes
    centres = _column_centres(sorted(_value_rows(figures), key=lambda r: r.low))
    if centres is not None:
        figures, rest = _split(chars, centres)
    lines = line_spans(rest, page_no)
    used: set[int] = set()
    rows = _row_cells(sorted(_value_rows(figures), key=lambda r: r.low), rest + list(ink), lines, used, page_no)
    _continuations(lines, rows, used)
    items = [(key, 1, Row(cells, page=page_no, grid=grid)) for key, cells, grid in rows]
    items += [(box[1], 0, Row([span], page=page_no)) for k, (box, span) in enumerate(lines) if k not in used]
    items.sort(key=lambda x: (x[0], x[1]))
    return [row for _, _, row in items]


@lru_cache(maxsize=1)
def _headers() -> tuple[str, ...]:
    """The tables' column headers of four characters or more (信息内容, 本年制发件数 …)."""
    from ..formats import LAYOUTS
    out = {"信息内容"}
    for lay in LAYOUTS.values():
        for c in list(lay.columns) + [c for b in lay.blocks for c in b.columns]:
            out.update(normalize_label(a) for a in (c.label, *c.aliases) if len(a) >= 4)
    return tuple(sorted(out))


def _opens(text: str) -> bool:
    """Whether a label line opens a row or a block: one of its words starts
    with a number (一、 （二） 3. …), or it holds a table's heading or a
    header's words (第二十条第（六）项, 信息内容)."""
    if any(_OPENS.match(w) for w in text.split()):
        return True
    norm = normalize_label(text)
    return "第二十条" in norm or any(h in norm for h in _headers())


def _continuations(lines: list[tuple], rows: list[tuple[float, list[Span], bool]], used: set[int]) -> None:
    """A label wrapped below its row's figures ("…申请数" / "量"): a line
    after a value row, before any line that opens a row and within
    CONTINUE_LINES of it, ends that row's label."""
    r = -1                   # the last value row whose figures end above this line
    opened = None            # top of the last line that opened a row
    for k, (box, span) in sorted(enumerate(lines), key=lambda x: x[1][0][1]):
        while r + 1 < len(rows) and rows[r + 1][0] <= box[1]:
            r += 1
        if k in used:
            continue
        if _opens(span.text):
            opened = box[1]
            continue
        if r < 0:
            continue
        key, cells, _grid = rows[r]
        if (opened is not None and opened > key) or box[1] - key > CONTINUE_LINES * (box[3] - box[1]):
            continue
        labelled = cells and not all(ch in _NUMERIC for ch in cells[0].text)
        if labelled and len(cells) > 1 and cells[1].bbox and cells[0].bbox \
                and cells[1].bbox[0] - cells[0].bbox[2] > WRAPPED * (box[3] - box[1]):
            continue             # a one-line label that ends well before the figures is whole
        if labelled:
            cells[0] = Span(cells[0].text + span.text, cells[0].page, cells[0].bbox,
                            min(cells[0].confidence, span.confidence))
        else:
            cells.insert(0, Span(span.text, span.page, span.bbox))
        used.add(k)
