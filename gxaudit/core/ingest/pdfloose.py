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

import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..document import Row, Span
from ..model import OK
from ..text import parse_value
from .layout import is_page_number
from .pdfgrid import Char, _bbox, _line_text, _lines, page_chars
from .pdfheader import COLUMN_FIT, header_columns
from .pdflabels import DIGITS as _DIGITS, NUMERIC as _NUMERIC, continuations, is_labelled, label_lines, leading, names_row, numbered, opens, words as _words

# A line of figures joins the row above it when at most this many line
# heights lower (a total printed at the top of a three-line cell).
JOIN_LINES = 4.5
# ... or at most this many when no label line between them opens a row.
BLOCK_LINES = 8.0
# Figures whose centres are within this share of a line are on one level.
LEVEL = 0.3
# Two figures overlap across the page (one column) when their spans,
# widened by this many points, meet.
COLUMN_SLACK = 2.0
# A figure stands at least this many character heights from any word on its line.
ISOLATION = 0.7
# A number followed by one of these is a row's numbering ("1 .属于国家秘密").
_NUMBERING_MARKS = set(".．、)）")
# A label line is level with a row of figures when their heights overlap
# by this share of the smaller.
LEVEL_OVERLAP = 0.5
# Digits closer than this many character heights are one number.
DIGIT_GAP = 0.6
# A note after a number ("（其中修订16件）") is looked for over this many words.
NOTE_WORDS = 3
# A label line naming a row is a blank row when the value row above it is
# at most this many line heights away.
BLANK_ROW_LINES = 3.0
# A page needs this many numbers standing apart to be read as an unruled table.
MIN_FIGURES = 2
# Placeholders printed where a figure stands (text.PLACEHOLDERS without the
# words and letters a label could hold).
_SIGNS = set("-−－+＋")
_PLACEHOLDER_MARKS = {"/", "／", "-", "—", "——", "–", "－", "―", "\\", "…", "--"}
# A word that opens a table row: 一、 （二） 3. 4、


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


def _numeric(word: list[Char]) -> bool:
    """A number: digits with their separators, perhaps signed ("-5", 本年增/减)."""
    text = "".join(c.ch for c in word)
    if text[:1] in _SIGNS:
        text = text[1:]
    return all(ch in _NUMERIC for ch in text) and any(ch in _DIGITS for ch in text)


def _with_note(word: list[Char]) -> bool:
    """A number with its unit or note in its cell ("22（其中修订16件）", "12.5万元")."""
    text = "".join(c.ch for c in word)
    if text[:1] not in _DIGITS:
        return False
    pv = parse_value(text)
    return pv.status == OK and bool(pv.unit or pv.note)    # "0" "0" are two figures, not "00"


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


def _noted(words: list[list[Char]]) -> list[list[Char]]:
    """A number joined to the unit or note printed just after it, when the
    note is split by letter spacing ("12.5" "万元", "22（其中修订16" "件）")."""
    out: list[list[Char]] = []
    k = 0
    while k < len(words):
        w = words[k]
        best = 0
        if w[0].ch[:1] in _DIGITS:
            joined = list(w)
            for m in range(1, NOTE_WORDS + 1):
                if k + m >= len(words) or words[k + m][0].x0 - joined[-1].x1 > DIGIT_GAP * w[0].height:
                    break
                joined += words[k + m]
                if _with_note(joined):
                    best = m
        out.append([c for part in words[k:k + best + 1] for c in part])
        k += best + 1
    return out


def _in_column(w: list[Char], centres: list[float] | None) -> bool:
    if not centres:
        return False
    pitch = min(b - a for a, b in zip(centres, centres[1:]))
    cx = (w[0].x0 + w[-1].x1) / 2
    return any(abs(cx - c) <= COLUMN_FIT * pitch for c in centres)


def _split(chars: list[Char], centres: list[float] | None = None,
           crops: bool = False) -> tuple[list[_Figure], list[Char]]:
    """Figures (words of digits standing apart from any other word on their
    line; "1 .属于国家秘密" is a label) and the other characters.  With the
    columns known, a number that stands in a column and apart on its right
    is a figure though its label runs up to it.  ``crops``: the "characters"
    are OCR crops, each cut where its ink stood apart: two of them are
    never one number."""
    figures: list[_Figure] = []
    rest: list[Char] = []
    for line in _lines(chars):
        if is_page_number(_line_text(line)):
            rest.extend(line)               # "- 3 -": dropped with the lines
            continue
        words = _words(line)
        words = _noted(words if crops else _digit_runs(words))
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


def _value_rows(figures: list[_Figure], labels: list[tuple] = ()) -> list[_ValueRow]:
    """Figure lines, with a lone figure joined to the one line next to it
    that has no figure in its column (a total printed at the top of its
    cell, the row's other figures centred beside the wrapped label): within
    JOIN_LINES, or within BLOCK_LINES when no label line between them opens
    a row (one label of several lines).  When both the line above and the
    line below could take it, it stays alone: the row is flagged, never
    guessed."""
    lines = _figure_lines(figures)
    taken: set[int] = set()
    joins: dict[int, int] = {}                 # lone line -> the line it joins
    for k, line in enumerate(lines):
        if len(line.figures) != 1:
            continue
        f = line.figures[0]
        fits = [j for j in (k - 1, k + 1)
                if 0 <= j < len(lines) and j not in taken and len(lines[j].figures) > 1
                and not lines[j].overlaps(f) and _near(f, lines[j], labels)]
        if len(fits) == 1:
            joins[k] = fits[0]
            taken.update((k, fits[0]))
    for k, j in joins.items():
        lines[j].figures.extend(lines[k].figures)
    return [line for k, line in enumerate(lines) if k not in joins]


def _near(f: _Figure, line: _ValueRow, labels: list[tuple]) -> bool:
    """Whether a lone figure is close enough to a figure line to be of its row."""
    gap = abs(line.low - f.cy)
    if gap <= JOIN_LINES * f.height:
        return True
    if gap > BLOCK_LINES * f.height or not labels:
        return False
    bottom = max(g.bbox[3] for g in line.figures)
    upper, lower = sorted((f.bbox[3], bottom))
    return not any(upper < box[1] <= lower and opens(span.text) for box, span in labels)


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


def _positional(rows: list[_ValueRow], rest: list[Char],
                above: list[Char]) -> dict[int, tuple[list[_Figure | None], list[float]]]:
    """Rows with blanks placed by column (index → figures by column): rows of
    two figures or more, every figure clearly in one column, nothing printed
    in their blank columns, and no lone figure left over next to them (it
    could be theirs).  The columns are where the rows that fill them put
    their figures, or, for a row wider than those (表四's one row below
    表三), the evenly spaced column labels just above it (on the page
    before too, for the first row of a page: ``above`` is that page's
    characters)."""
    model = _column_centres(rows)
    out = {}
    for k, r in enumerate(rows):
        if any(len(rows[j].figures) == 1 for j in (k - 1, k + 1) if 0 <= j < len(rows)):
            continue
        centres = model if model is not None and len(r.figures) < len(model) else None
        if centres is None and len(r.figures) >= 2 and (model is None or len(r.figures) > len(model)):
            centres = header_columns(r, rest, above if k == 0 else ())
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


def _straddling(lines: list[tuple], figs: list[_Figure], used: set[int]) -> list[int]:
    """For a row with no label line level with its figures: the label lines
    the figures stand between (a two-line label, the figures centred on it),
    those within a figure's height above or below the main line of figures
    in the label column nearest them, top to bottom; none when a second of
    them opens a row."""
    main = max(_figure_lines(figs), key=lambda ln: len(ln.figures))
    top = min(f.bbox[1] for f in main.figures)
    bottom = max(f.bbox[3] for f in main.figures)
    h, left = bottom - top, min(f.x0 for f in figs)
    near = [k for k, (box, _s) in enumerate(lines)
            if k not in used and box[2] < left and box[3] > top - h and box[1] < bottom + h]
    if not near:
        return []
    ref = lines[max(near, key=lambda k: lines[k][0][0])][0]
    col = sorted((k for k in near if min(ref[2], lines[k][0][2]) > max(ref[0], lines[k][0][0])),
                 key=lambda k: lines[k][0][1])
    if any(numbered(lines[k][1].text) for k in col[1:]):
        return []
    span_top, span_bottom = min(lines[k][0][1] for k in col), max(lines[k][0][3] for k in col)
    if not span_top - h / 2 <= (top + bottom) / 2 <= span_bottom + h / 2:
        return []                # the lines stand beside the figures, not around them
    return col


def _joined(parts: list[tuple]) -> Span:
    """Label lines (box, Span) as one label cell."""
    boxes = [b for b, _s in parts]
    box = _bbox((min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                 max(b[3] for b in boxes)))
    first = parts[0][1]
    return Span("".join(s.text for _b, s in parts), first.page, box if len(parts) > 1 else first.bbox,
                min(s.confidence for _b, s in parts))


def _blank_boxes(figs: list[_Figure], centres: list[float]) -> list[tuple]:
    """A box for each column of a placed row (where a blank cell stands):
    between the midpoints to its neighbours, over the row's figures' height."""
    top, bottom = min(f.bbox[1] for f in figs), max(f.bbox[3] for f in figs)
    mids = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
    left = [2 * centres[0] - mids[0]] + mids if mids else [centres[0] - 5]
    right = mids + [2 * centres[-1] - mids[-1]] if mids else [centres[0] + 5]
    return [_bbox((x0, top, x1, bottom)) for x0, x1 in zip(left, right)]


def _row_cells(vrows: list[_ValueRow], rest: list[Char], lines: list[tuple], used: set[int],
               page_no: int, above: list[Char]) -> list[tuple[float, list[Span], bool]]:
    """Each value row's cells (its level label first, when there is one),
    where it sorts among the lines, and whether its cells are by column."""
    placed = _positional(vrows, rest, above)
    figsets = [sorted(vr.figures, key=lambda f: f.x0) for vr in vrows]
    level = [_level_label(lines, figs) for figs in figsets]
    taken = used | {k for k in level if k is not None}    # no row takes another's level line
    rows: list[tuple[float, list[Span], bool]] = []
    for n, figs in enumerate(figsets):
        cells = _figure_cells(figs, placed.get(n), page_no)
        k = level[n]
        ks = ([] if k in used else [k]) if k is not None else _straddling(lines, figs, taken)
        if ks:
            used.update(ks)
            taken.update(ks)
            cells.insert(0, _joined([lines[j] for j in ks]))
        # After every label line that starts above its lowest figure's foot:
        # the lines just before a value row name it.
        rows.append((max(f.bbox[3] for f in figs), cells, n in placed))
    rows.sort(key=lambda r: r[0])
    return rows


def _figure_cells(figs: list[_Figure], placed, page_no: int) -> list[Span]:
    """A value row's figure cells: by column with a box for each blank when
    the row was placed (``placed``: its figures by column and the column
    centres), else its figures left to right."""
    if placed is None:
        return [Span(f.text, page_no, f.bbox, f.score) for f in figs]
    by_col, centres = placed
    blanks = _blank_boxes(figs, centres)
    return [Span(f.text, page_no, f.bbox, f.score) if f is not None else Span("", page_no, blanks[j])
            for j, f in enumerate(by_col)]


def read_unruled(page, page_no: int, textpage=None, above: list[Char] = ()) -> tuple[list[Row] | None, list[Char]]:
    """Rows of a PDF page without ruling lines (None when it holds too few
    figures to be a table), and its characters (the next page's ``above``)."""
    chars = page_chars(page, textpage)
    return rows_of(chars, page_no, above=above), chars


def rows_of(chars: list[Char], page_no: int, ink: list[Char] = (), above: list[Char] = (),
            crops: bool = False) -> list[Row] | None:
    """Rows of a table without ruling lines from its characters (PDF glyphs,
    or the OCR'd crops of a scan), or None when there are too few figures.
    ``ink``: marks that are neither figures nor words (an OCR crop that
    spans several lines); a row is never placed by column over them.
    ``above``: the characters of the page before (its last lines may be the
    header of this page's first row).  ``crops``: ``chars`` are OCR crops."""
    figures, rest = _split(chars, crops=crops)
    if sum(1 for f in figures if _numeric(f.chars)) < MIN_FIGURES:
        return None                   # prose, or a page number's dashes
    lines = label_lines(rest, page_no)
    centres = _column_centres(sorted(_value_rows(figures, lines), key=lambda r: r.low))
    if centres is not None:
        figures, rest = _split(chars, centres, crops)
        lines = label_lines(rest, page_no)
    used: set[int] = set()
    rows = _row_cells(sorted(_value_rows(figures, lines), key=lambda r: r.low), rest + list(ink), lines, used,
                      page_no, above)
    continuations(lines, rows, used)
    leading(lines, rows, used)
    items = [(key, 1, Row(cells, page=page_no, grid=grid)) for key, cells, grid in rows]
    items += [(box[1], 0, _line_row(box, span, rows, page_no)) for k, (box, span) in enumerate(lines) if k not in used]
    items.sort(key=lambda x: (x[0], x[1]))
    return [row for _, _, row in items]


def _line_row(box, span: Span, rows: list[tuple[float, list[Span], bool]], page_no: int) -> Row:
    """A label line that is not part of a value row: a text line, or, when
    it names a template row exactly ("行政强制") and nothing is printed
    beside it, a row left blank in the columns of the value row just above
    it (reconstruction keeps it only when that is the row's number of
    cells).  Not when a row of figures without a label stands near: the
    figures may be this line's."""
    h = box[3] - box[1]
    near = [(key, cells) for key, cells, _g in rows if abs(key - box[3]) <= BLANK_ROW_LINES * h]
    above = [(key, cells) for key, cells in near if key < box[1]]
    if not names_row(span.text) or not above or any(not is_labelled(cells) for _k, cells in near):
        return Row([span], page=page_no)
    _key, cells = max(above, key=lambda kc: kc[0])
    blanks = [Span("", page_no, _bbox((c.bbox[0], box[1], c.bbox[2], box[3]))) for c in cells[1:] if c.bbox]
    return Row([span] + blanks, page=page_no, grid=True)
