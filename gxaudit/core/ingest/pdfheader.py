"""Where the columns of a table without ruling lines stand, read from its
header: the evenly spaced column labels above a row whose figures the
table's full rows cannot place (表四's one row, fifteen columns with
blanks), that header perhaps begun on the page before."""
from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from .layout import is_page_number
from .pdfgrid import Char, _line_text, _lines
from .pdflabels import words as _words

if TYPE_CHECKING:
    from .pdfloose import _ValueRow

# A figure stands in a column when its centre is within this share of the
# column pitch from the column's centre.
COLUMN_FIT = 0.25
# The header's column labels are looked for this many line heights above a
# row; their spacing may vary by this share of the usual pitch.
HEADER_LINES = 4.0
HEADER_EVEN = 0.25
# ... and then over this many, leaving out words wider than this many times
# the usual header word (a label over several columns).
HEADER_DEEP = 10.0
HEADER_WIDE = 1.5
# A row's figures may stand this share of a pitch off its header's centres.
HEADER_SHIFT = 0.3

def _header_centres(row: _ValueRow, rest: list[Char], above: list[Char] = ()) -> list[float] | None:
    """Where the columns stand by the header just above a row (the column
    labels of its lowest header level, 结果/维持 stacked in one column): the
    centres of its words when they are evenly spaced (a label spanning
    several columns stands between them and breaks the spacing).  When the
    lowest levels do not name every column (a header whose rows stand at
    different heights), the header's narrow words over HEADER_DEEP lines,
    a column no word names standing where the spacing has a gap of a whole
    pitch.  ``above``: the last lines of the page before, for a row whose
    header began there."""
    h = max(f.height for f in row.figures)
    top = min(f.bbox[1] for f in row.figures)
    for depth in (HEADER_LINES, HEADER_DEEP):
        band = [c for c in rest if top - depth * h <= c.cy < top] + list(above)
        words = [w for line in _lines(band) for w in _words(line)]
        if depth == HEADER_DEEP and words:
            usual = statistics.median(w[-1].x1 - w[0].x0 for w in words)
            words = [w for w in words if w[-1].x1 - w[0].x0 <= HEADER_WIDE * usual]
        centres = _even(sorted((w[0].x0 + w[-1].x1) / 2 for w in words), h, depth == HEADER_DEEP)
        if centres is not None and len(centres) >= max(3, len(row.figures)):
            return centres
    return None


def _even(xs: list[float], h: float, gaps: bool) -> list[float] | None:
    """Word centres gathered into column centres, or None when they are not
    evenly spaced (with ``gaps``, a spacing of two or three pitches holds
    the columns between)."""
    clusters: list[list[float]] = []
    for x in xs:
        if clusters and x - clusters[-1][-1] <= 0.5 * h:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    centres = [sum(c) / len(c) for c in clusters]
    if len(centres) < 3:
        return None
    mid = statistics.median(b - a for a, b in zip(centres, centres[1:]))
    out = [centres[0]]
    for x in centres[1:]:
        steps = round((x - out[-1]) / mid) if gaps else 1
        if not 1 <= steps <= 3 or abs((x - out[-1]) / steps - mid) > HEADER_EVEN * mid:
            return None
        out += [out[-1] + (x - out[-1]) * s / steps for s in range(1, steps + 1)]
    return out


def header_columns(r: _ValueRow, rest: list[Char], above: list[Char]) -> list[float] | None:
    """The columns of a row wider than the table's full rows, by its header,
    with room for a blank.  A header that began on the page before may name
    more columns with that page's last lines: those columns are taken when
    they hold every column this page's header names."""
    centres = _header_centres(r, rest)
    if above:
        more = _header_centres(r, rest, page_foot(above, max(f.height for f in r.figures)))
        if more is not None and (centres is None or (len(more) > len(centres) and _within(centres, more))):
            centres = more
    if centres is None or len(r.figures) >= len(centres):
        return None
    return _aligned(r, centres)


def _within(centres: list[float], more: list[float]) -> bool:
    """Whether every column of ``centres`` stands on a column of ``more``."""
    pitch = min(b - a for a, b in zip(more, more[1:]))
    return all(min(abs(c - m) for m in more) <= COLUMN_FIT * pitch for c in centres)


def _aligned(row: _ValueRow, centres: list[float]) -> list[float] | None:
    """Header centres moved by the figures' common offset from them (left
    aligned cells put a one-digit figure left of a wider label's centre);
    None when that offset is more than HEADER_SHIFT of a pitch."""
    pitch = min(b - a for a, b in zip(centres, centres[1:]))
    shift = statistics.median(min((f.cx - c for c in centres), key=abs) for f in row.figures)
    if abs(shift) > HEADER_SHIFT * pitch:
        return None
    return [c + shift for c in centres]


def page_foot(chars: list[Char], height: float) -> list[Char]:
    """The characters of a page's last lines (within HEADER_LINES of the
    lowest line that is not a page number): a header the next page's first
    row continues."""
    lines = [ln for ln in _lines(chars) if not is_page_number(_line_text(ln))]
    if not lines:
        return []
    low = max(c.cy for c in lines[-1])
    return [c for ln in lines for c in ln if c.cy >= low - HEADER_LINES * height]
