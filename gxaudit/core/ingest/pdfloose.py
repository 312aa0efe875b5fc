"""Table pages drawn without ruling lines (a WPS or Word table with its
borders turned off): the figures are read from PDFium's character boxes
without a grid.

A figure is a run of digits standing apart from any other printed
character on its line (a number inside a sentence is prose).  Figures are
gathered into value rows: a figure joins the row nearest above it when that
row is close enough and has no figure in the same place across the page
(two figures of one row never share a column), so a total printed at the
top of its cell and the row's other figures centred beside a wrapped label
are one row.  Each value row becomes a row of its figures, in page order
(dense: a cell left blank is not there, and reconstruction flags a row with
too few figures rather than shift them); the rest of the page becomes text
lines, so the label lines just above a value row name it, as they do in a
text dump.  Nothing here places a figure in a column: a row is right or
flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Row, Span
from .layout import is_page_number
from .pdfgrid import SPACE, Char, _bbox, _line_text, _lines, page_chars

# A line of figures joins the row above it when at most this many line
# heights lower (a total printed at the top of a three-line cell).
JOIN_LINES = 4.5
# Figures whose centres are within this share of a line are on one level.
LEVEL = 0.3
# Two figures overlap across the page (one column) when their spans,
# widened by this many points, meet.
COLUMN_SLACK = 2.0
# A figure stands at least this many character heights from any word on its line.
ISOLATION = 1.0
# A page needs this many figures to be read as an unruled table.
MIN_FIGURES = 6
_DIGITS = set("0123456789")
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
    def height(self) -> float:
        return max(c.height for c in self.chars)

    @property
    def bbox(self):
        return _bbox((self.x0, min(c.top for c in self.chars), self.x1, max(c.bottom for c in self.chars)))


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
    return all(c.ch in _NUMERIC for c in word) and any(c.ch in _DIGITS for c in word)


def _split(chars: list[Char]) -> tuple[list[_Figure], list[Char]]:
    """Figures (words of digits standing at least a character's height from
    any other word on their line: "1 .属于国家秘密" is a label) and the
    other characters."""
    figures: list[_Figure] = []
    rest: list[Char] = []
    for line in _lines(chars):
        words = _words(line)
        for k, w in enumerate(words):
            apart = ISOLATION * max(c.height for c in w)
            alone = (k == 0 or w[0].x0 - words[k - 1][-1].x1 >= apart or _numeric(words[k - 1])) and \
                (k == len(words) - 1 or words[k + 1][0].x0 - w[-1].x1 >= apart or _numeric(words[k + 1]))
            if _numeric(w) and alone:
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


def read_unruled(page, page_no: int) -> list[Row] | None:
    """Rows of a table page without ruling lines, or None when it holds too
    few figures to be a table."""
    chars = page_chars(page)
    figures, rest = _split(chars)
    if len(figures) < MIN_FIGURES:
        return None
    items: list[tuple[float, int, Row]] = []
    for ln in _lines(rest):
        text = _line_text(ln).strip()
        if not text or is_page_number(text):
            continue
        box = _bbox((min(c.x0 for c in ln), min(c.top for c in ln), max(c.x1 for c in ln),
                     max(c.bottom for c in ln)))
        items.append((box[1], 0, Row([Span(text, page_no, box)], page=page_no)))
    for vr in _value_rows(figures):
        figs = sorted(vr.figures, key=lambda f: f.x0)
        cells = [Span(f.text, page_no, f.bbox) for f in figs]
        # After every label line that starts above its lowest figure's foot:
        # the lines just before a value row name it.
        items.append((max(f.bbox[3] for f in figs), 1, Row(cells, page=page_no)))
    items.sort(key=lambda x: (x[0], x[1]))
    return [row for _, _, row in items]
