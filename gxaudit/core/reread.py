"""F-READ: the cells a table finding rests on, read a second time.

A broken identity on a PDF is either the report's own error or a reading
error (a number taken from the wrong cell, a digit lost at a page edge).
The cells of every table finding are read again as the characters inside
the cell's box, by pdfminer and by PDFium (ingest/pdfcells.py), one of
which shares neither the parser nor the grid with the first reading
(PDFium's grid, or pdfplumber's table finder on a page PDFium found no
ruled table on); where the two
readings differ, an F-READ warning names the cell and both readings, so the
auditor looks at the source before calling the agency wrong.  F-READ is
never a suspect and suggests nothing: which reading is right is for the
auditor to see.  Where they agree, no finding is added.

Runs once when a file is opened or checked (``session``), not on every edit:
it is a property of the source, not of the review."""
from __future__ import annotations

import hashlib
import logging

from .model import BLANK, OK, PLACEHOLDER, WARNING, Finding, Report
from .text import fmt_number, parse_value

log = logging.getLogger("gxaudit.reread")

RULE = "F-READ"
_TABLES = ("T2-", "T3-", "T4-", "Y-")
_COMPARABLE = (OK, BLANK, PLACEHOLDER)      # an unreadable cell is flagged already


def involved_cells(report: Report, findings: list[Finding]) -> list[str]:
    """This year's cells of the table findings, read from a PDF's text layer."""
    keys: list[str] = []
    for f in findings:
        if not f.rule.startswith(_TABLES):
            continue
        for key in [*f.cells, f.suspect]:
            cell = report.cells.get(key or "")
            if (cell is not None and key not in keys and cell.page and cell.bbox
                    and cell.status in _COMPARABLE):
                keys.append(key)
    return keys


def _shown(value, status: str, raw: str) -> str:
    if status == OK:
        return fmt_number(value)
    return "空白" if status == BLANK else f"“{raw}”"


def reading_findings(report: Report, findings: list[Finding], data: bytes | None = None) -> list[Finding]:
    """F-READ findings for ``report`` (read from a PDF) given its ``findings``.
    ``data``: the source's bytes (read from its path when None); nothing is
    said when the file is gone or no longer the one read."""
    if report.source.format != "pdf":         # a scan's cells are OCR's: no text layer to read again
        return []
    keys = involved_cells(report, findings)
    if not keys:
        return []
    if data is None:
        try:
            with open(report.source.path, "rb") as fh:
                data = fh.read()
        except OSError:
            return []
    if report.source.sha256 and hashlib.sha256(data).hexdigest() != report.source.sha256:
        return []
    from .ingest.pdfcells import plumber_texts_in_boxes, texts_in_boxes
    boxes = {k: (report.cells[k].page, report.cells[k].bbox) for k in keys}
    readings = []
    for reader in (plumber_texts_in_boxes, texts_in_boxes):
        try:
            readings.append(reader(data, boxes))
        except Exception:  # noqa: BLE001 - a second opinion; the check stands without it
            log.warning("second reading of %s failed", report.source.path, exc_info=True)
    out = []
    for k in keys:
        f = next((f for second in readings if k in second
                  and (f := _compare(report, k, second[k])) is not None), None)
        if f is not None:
            out.append(f)
    return out


def _compare(report: Report, key: str, text: str) -> Finding | None:
    from .viewmodels import cell_label
    cell = report.cells[key]
    again = parse_value(text)
    if (again.value, again.status) == (cell.value, cell.status):
        return None
    first, other = _shown(cell.value, cell.status, cell.raw), _shown(again.value, again.status, text)
    return Finding(RULE, WARNING, [key],
                   f"{cell_label(key)}：两种读法不一致（表格识别读作 {first}，文字层读作 {other}），"
                   "可能是读取错误而不是原报告的错误，请对照原文核对",
                   detail={"first": cell.raw, "second": text})
