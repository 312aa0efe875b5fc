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
_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


def with_outside(findings: list, extra: list) -> list:
    """The rules' findings (in severity order) with findings from outside
    the rules (F-READ, C-OTHER) each put first among its severity: an F-READ
    warning is read right after the errors it qualifies."""
    keyed = [((_SEVERITY_ORDER.get(f.severity, 3), 1, i), f) for i, f in enumerate(findings)]
    keyed += [((_SEVERITY_ORDER.get(f.severity, 3), 0, i), f) for i, f in enumerate(extra)]
    return [f for _, f in sorted(keyed, key=lambda kf: kf[0])]

# The version of the plain-dict form of Report/Cell/Finding (to_dict/from_dict),
# the one serialisation shared by review files, exported workbooks and the
# batch cache.  Bump it when the shape changes; from_dict reads older ones.
DICT_VERSION = 1

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

    _FIELDS = ("value", "raw", "status", "page", "bbox", "confidence", "unit", "note", "reason", "line",
               "anchor")

    def to_dict(self) -> dict:
        """The cell as read (an edit lives in the review, not here)."""
        return {f: getattr(self, f) for f in self._FIELDS}

    @classmethod
    def from_dict(cls, key: str, d: dict) -> "Cell":
        bbox = tuple(d["bbox"]) if d.get("bbox") else None
        return cls(key=key, value=d.get("value"), raw=d.get("raw", ""), status=d["status"],
                   page=d.get("page"), bbox=bbox, confidence=d.get("confidence", 1.0),
                   unit=d.get("unit"), note=d.get("note"), reason=d.get("reason"), line=d.get("line"),
                   anchor=d.get("anchor"))


@dataclass
class SourceInfo:
    path: str
    format: str                      # pdf · pdf-scan · docx · html · text · xlsx
    pages: int | None = None
    sha256: str = ""

    def to_dict(self) -> dict:
        return {"path": self.path, "format": self.format, "pages": self.pages, "sha256": self.sha256}

    @classmethod
    def from_dict(cls, d: dict) -> "SourceInfo":
        return cls(d["path"], d["format"], d.get("pages"), d.get("sha256", ""))


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

    def to_dict(self) -> dict:
        """The report as plain data (its source is kept beside it by callers)."""
        return {
            "agency": self.agency, "year": self.year, "template": self.template,
            "published": self.published, "layouts": self.layouts.as_dict(),
            "title_year": self.title_year, "period_year": self.period_year,
            "sections": self.sections, "reading_notes": self.reading_notes,
            "duplicates": self.duplicates, "missing_rows": self.missing_rows,
            "fingerprints": self.fingerprints,
            "narrative": self.narrative.to_dict() if self.narrative is not None else None,
            "cells": {k: c.to_dict() for k, c in self.cells.items()},
            "v": DICT_VERSION,
        }

    @classmethod
    def from_dict(cls, d: dict, source: dict | SourceInfo) -> "Report":
        if d.get("v", 1) > DICT_VERSION:
            raise ValueError(f"report data version {d.get('v')} is newer than {DICT_VERSION}")
        src = source if isinstance(source, SourceInfo) else SourceInfo.from_dict(source)
        return cls(
            source=src, agency=d.get("agency"), year=d.get("year"),
            template=d.get("template", "unknown"), published=d.get("published"),
            layouts=Layouts(**d.get("layouts", {})),
            cells={k: Cell.from_dict(k, c) for k, c in d["cells"].items()},
            title_year=d.get("title_year"), period_year=d.get("period_year"),
            sections=d.get("sections", {}), reading_notes=d.get("reading_notes", []),
            duplicates=d.get("duplicates", []), missing_rows=d.get("missing_rows", []),
            fingerprints=d.get("fingerprints", {}), narrative=_narrative_from(d.get("narrative")),
        )


def _narrative_from(data):
    """The narrative kept with a report (None when absent or of another shape)."""
    if not data:
        return None
    from .narrative.sections import Narrative
    try:
        return Narrative.from_dict(data)
    except (TypeError, KeyError, ValueError):
        return None


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

    def to_dict(self) -> dict:
        """Everything a finding holds (its contract form is :meth:`to_json`)."""
        return {"rule": self.rule, "severity": self.severity, "cells": list(self.cells),
                "message": self.message, "expected": self.expected, "actual": self.actual,
                "suspect": self.suspect, "suggested": self.suggested, "detail": dict(self.detail),
                "evidence": self.evidence, "v": DICT_VERSION}

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        return cls(rule=d["rule"], severity=d["severity"], cells=list(d["cells"]),
                   message=d.get("message", ""), expected=d.get("expected"), actual=d.get("actual"),
                   suspect=d.get("suspect"), suggested=d.get("suggested"),
                   detail=dict(d.get("detail") or {}), evidence=d.get("evidence"))

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


# The head of a reading note about bytes that could not be decoded (see
# ingest/encoding.py); the rules turn such a note into an F-DECODE finding.
ENCODING_NOTE = "字符编码"


class ReportError(Exception):
    """A file that cannot be read as a report.  The message is one clear
    Chinese sentence for the user (CLI: stderr and exit 2; GUI: a dialog)."""
