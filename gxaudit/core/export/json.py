"""The ``gxaudit check --json`` document (shared/docs/report-json.md)."""
from __future__ import annotations

from ... import __version__
from ..rules import RULESET_VERSION
from ..model import Finding, Report

SCHEMA = 1


def cell_json(cell) -> dict:
    out = {
        "value": cell.value,
        "raw": cell.raw,
        "status": cell.status,
        "page": cell.page,
        "bbox": [round(x, 2) for x in cell.bbox] if cell.bbox else None,
        "confidence": round(cell.confidence, 4),
    }
    if cell.line is not None:
        out["line"] = cell.line
    if cell.unit:
        out["unit"] = cell.unit
    if cell.note:
        out["note"] = cell.note
    if cell.reason and cell.status == "unreadable":
        out["reason"] = cell.reason
    if cell.status == "edited":
        out["original"] = cell.original
    return out


def report_document(report: Report, findings: list[Finding]) -> dict:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    return {
        "schema": SCHEMA,
        "generator": {"name": "gxaudit", "version": __version__, "ruleset": RULESET_VERSION},
        "source": {
            "path": report.source.path,
            "format": report.source.format,
            "pages": report.source.pages,
            "sha256": report.source.sha256,
        },
        "report": {
            "agency": report.agency,
            "year": report.year,
            "template": report.template,
            "published": report.published,
            "layouts": report.layouts.as_dict(),
        },
        "cells": {k: cell_json(c) for k, c in report.cells.items()},
        "findings": [f.to_json() for f in findings],
        "summary": counts,
    }
