"""The Document: what every reader produces and reconstruction consumes.

A Document is the source's text in reading order as *rows of cells*.  A line
of running text is a row with one cell; a row of a table is a row with one
cell per table cell.  Cells carry their provenance (page, bbox, confidence).

Readers differ only in how they find rows and cells; they never decide what a
row means.  That is :mod:`gxaudit.core.reconstruct`'s job, for every format.
"""
from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]


@dataclass
class Span:
    """One cell (or one line) of text with where it stands in the source."""
    text: str
    page: int | None = None          # 1-based
    bbox: BBox | None = None         # PDF points [x0, top, x1, bottom]
    confidence: float = 1.0
    merged: bool = False             # the continuation of a merged (spanned) cell
    line: int | None = None          # 1-based line, for text sources
    anchor: str | None = None        # DOCX "table 3 / row 12 / cell 4", HTML "table[2]/tr[12]/td[4]"


@dataclass
class Row:
    cells: list[Span]
    page: int | None = None
    # True when blank cells are kept in their place, so that the k-th value
    # cell of the row is the k-th column of the table (PDF, DOCX and HTML
    # tables, Word dumps, Markdown tables).  False for OCR'd tab text, where
    # missing cells shift the rest.
    grid: bool = False
    table: int | None = None         # index of the source table, None for running text

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.cells if c.text)

    @property
    def is_line(self) -> bool:
        return len(self.cells) == 1 and self.table is None


@dataclass
class Document:
    kind: str                        # text · pdf · pdf-scan · docx · html · xlsx
    path: str
    sha256: str = ""
    pages: int | None = None
    rows: list[Row] = field(default_factory=list)
    # What the reader had to tell the auditor (bytes replaced while decoding, …);
    # reconstruction copies them into the report's reading notes.
    notes: list[str] = field(default_factory=list)
    info: dict = field(default_factory=dict)   # PDF document information (CreationDate, ModDate)

    def line(self, text: str, page: int | None = None, bbox: BBox | None = None,
             line: int | None = None, anchor: str | None = None) -> None:
        self.rows.append(Row([Span(text, page, bbox, line=line, anchor=anchor)], page=page))

    @property
    def text(self) -> str:
        return "\n".join("\t".join(c.text for c in r.cells) for r in self.rows)
