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
        "anchor": cell.anchor,
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


def report_document(report: Report, findings: list[Finding], review=None) -> dict:
    """The document of report-json.md.  Every finding carries its review
    ``status`` (``open`` without a review); with a review (a workbook gxaudit
    exported) decided findings carry their ``decision`` and a ``review``
    block holds the corrections, decisions, notes and log."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    doc = {
        "schema": SCHEMA,
        "generator": {"name": "gxaudit", "version": __version__, "ruleset": RULESET_VERSION},
        "source": report.source.to_dict(),
        "report": {
            "agency": report.agency,
            "year": report.year,
            "template": report.template,
            "published": report.published,
            "layouts": report.layouts.as_dict(),
        },
        "cells": {k: cell_json(c) for k, c in report.cells.items()},
        "findings": [_finding_json(f, review) for f in findings],
        "sections": [s.to_json() for s in report.narrative.sections] if report.narrative else [],
        "summary": counts,
    }
    if review is not None:
        doc["review"] = review_json(review, findings)
    return doc


def _finding_json(f: Finding, review=None) -> dict:
    out = f.to_json()
    d = review.decisions.get(f.id) if review is not None else None
    out["status"] = d.status if d is not None else "open"
    if d is not None:
        out["decision"] = {"reason": d.reason, "who": d.who, "at": d.at}
    return out


def review_json(review, findings: list[Finding]) -> dict:
    """The review state: who, the original source, corrections, decisions,
    notes, the findings the corrections cleared, and the log."""
    from dataclasses import asdict
    ids = {f.id for f in findings}
    src = review.base.source
    corrected = []
    for f in review.original_findings:
        if f.id not in ids:
            j = f.to_json()
            j["status"] = "corrected"
            corrected.append(j)
    return {
        "reviewer": review.reviewer,
        "created": review.created,
        "updated": review.updated,
        "source": src.to_dict(),
        "edits": dict(review.edits),
        "decisions": {k: asdict(v) for k, v in review.decisions.items()},
        "notes": dict(review.notes),
        "corrected": corrected,
        "log": [asdict(e) for e in review.log],
    }
