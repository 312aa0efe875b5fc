"""The report model: cells with provenance, the report, findings.

Plain data, no Qt.  The JSON of ``gxaudit check --json`` (report-json.md) is
this model written out by :func:`gxaudit.core.export.json.report_document`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from . import formats
from .formats import Layouts

# Cell statuses (report-json.md).
OK = "ok"
BLANK = "blank"
PLACEHOLDER = "placeholder"
UNREADABLE = "unreadable"
EDITED = "edited"
STATUSES = (OK, BLANK, PLACEHOLDER, UNREADABLE, EDITED)

STATUS_NAMES = {OK: "正常", BLANK: "空白", PLACEHOLDER: "占位符", UNREADABLE: "无法识读",
                EDITED: "已修改"}

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}

Number = Optional[float]
BBox = tuple[float, float, float, float]


@dataclass
class Cell:
    key: str
    value: int | float | None = None
    raw: str = ""
    status: str = UNREADABLE
    page: int | None = None
    bbox: BBox | None = None
    confidence: float = 1.0
    unit: str | None = None          # a unit typed inside the cell ("万元", "元")
    note: str | None = None          # a bracketed note inside the cell
    reason: str | None = None        # why the reader left it unreadable
    original: int | float | None = None  # the value read from the source, once edited
    line: int | None = None          # 1-based line of a text source
    anchor: str | None = None        # DOCX/HTML place of the cell (report-json.md)

    @property
    def known(self) -> bool:
        """True when the cell holds a number the rules may use."""
        return self.status in (OK, EDITED) and self.value is not None


@dataclass
class SourceInfo:
    path: str
    format: str                      # pdf · pdf-scan · docx · html · text · xlsx
    pages: int | None = None
    sha256: str = ""


@dataclass
class Report:
    source: SourceInfo
    agency: str | None = None
    year: int | None = None
    template: str = "unknown"        # 2021 · 2019 · unknown
    published: str | None = None     # ISO date of the 落款
    layouts: Layouts = field(default_factory=Layouts)
    cells: dict[str, Cell] = field(default_factory=dict)
    # Metadata evidence, for the date and format rules.
    title_year: int | None = None
    period_year: int | None = None
    sections: dict[str, str] = field(default_factory=dict)   # s1..s6 narrative text
    reading_notes: list[str] = field(default_factory=list)   # what the reader could not place
    duplicates: list[str] = field(default_factory=list)      # row keys read twice
    missing_rows: list[str] = field(default_factory=list)    # row keys not found
    fingerprints: dict[str, list[str]] = field(default_factory=dict)
    narrative: object | None = None   # core.narrative.Narrative: parts, sentences, places

    def cell(self, key: str) -> Cell:
        return self.cells[key]

    def value(self, key: str) -> int | float | None:
        c = self.cells.get(key)
        return c.value if c is not None and c.known else None

    def table_layout(self, table: str) -> formats.TableLayout:
        return self.layouts.of(table)


@dataclass
class Finding:
    rule: str
    severity: str
    cells: list[str]
    message: str
    expected: int | float | None = None
    actual: int | float | None = None
    suspect: str | None = None
    suggested: int | float | None = None
    # Extra context kept out of the contract's required fields.
    detail: dict = field(default_factory=dict)
    # The sentence a narrative rule rests on (report-json.md "Narrative rules").
    evidence: dict | None = None

    @property
    def id(self) -> str:
        """A stable identifier: the rule and the cells it reads (and, for a
        narrative rule, its part and sentence)."""
        base = f"{self.rule}:{','.join(self.cells)}"
        if self.evidence:
            import hashlib
            text = self.evidence.get("text") or ""
            base += f"#{self.evidence.get('section') or ''}:{hashlib.sha1(text.encode()).hexdigest()[:8]}"
        return base

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity,
            "cells": list(self.cells),
            "expected": self.expected,
            "actual": self.actual,
            "suspect": self.suspect,
            "suggested": self.suggested,
            "message": self.message,
            **({"evidence": self.evidence} if self.evidence is not None else {}),
        }


class ReportError(Exception):
    """A file that cannot be read as a report.  The message is one clear
    Chinese sentence for the user (CLI: stderr and exit 2; GUI: a dialog)."""
