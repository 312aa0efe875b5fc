"""The OCR results of a scan, cached by the file's sha256 under the user cache directory."""
from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..document import Row, Span

log = logging.getLogger("gxaudit.ingest.ocr")

CACHE_VERSION = 15          # 2: table cells and running text by recognition only (ocr_cells)
                            # 3: a table page without lines read as an unruled table (pdfloose)
                            # 4: a lone "1" leaning like a slash is the placeholder "/"
                            # 5: unruled tables: label columns, labels across rows and pages, blank rows;
                            #    figures on two lines of one cell kept on two lines
                            # 6: a figure's bracketed note left out of its score; faded lines as dashes
                            # 7: faded vertical lines continued from their solid pieces; table by table
                            #    between the dashed grid and the reading without lines; a dash read as 一 or _
                            # 8: a grey scan's seal taken out by its ring; lines kept under a red one
                            # 9: a table read without lines, its faded lines taken out where they join its text;
                            #    a column line cut back from a stroke touching its end; a leaning "I" is "/" too;
                            #    a column line faded to dashes all along, with no solid piece; a run of dashes
                            #    cut at a gap twice a dash gap
                            # 10: figures of neighbouring columns in one crop shared out by their ink; a crop
                            #    cut at a column line taken out; a lone dash crop; a table's rest on the next page
                            # 11: a 1 beside a row line is no piece of a column line
                            # 12: a heading in large type kept; a stretch one reading lost taken from the other
                            # 13: a crop is too tall for a line by its own ink, not by its line's band
                            # 14: dashed grid: lines fainter than ink from the grey page; a character's
                            #    stroke is no column line; a band holding two rows read without lines
                            # 15: names holding their first figure send a grid page to the faded readings


@dataclass
class PageResult:
    rows: list[Row]
    table: bool          # the page holds (or was read as) a statistical table


def cache_dir() -> Path:
    import platformdirs
    return Path(platformdirs.user_cache_dir("gxaudit", appauthor=False)) / "ocr"


def _cache_path(sha256: str) -> Path:
    return cache_dir() / f"{sha256}.json"


def _engine_id() -> str:
    try:
        from importlib.metadata import version
        return f"rapidocr {version('rapidocr')}"
    except Exception:  # noqa: BLE001
        return "rapidocr ?"


def cache_load(sha256: str, indices: list[int]) -> dict[int, PageResult] | None:
    if not sha256:
        return None
    path = _cache_path(sha256)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("version") != CACHE_VERSION or data.get("engine") != _engine_id():
        return None
    pages = data.get("pages", {})
    if any(str(i) not in pages for i in indices):
        return None
    out: dict[int, PageResult] = {}
    try:
        for i in indices:
            p = pages[str(i)]
            rows = []
            for r in p["rows"]:
                cells = [Span(c["t"], i + 1, tuple(c["b"]) if c.get("b") else None, c.get("c", 1.0),
                              merged=bool(c.get("m"))) for c in r["cells"]]
                rows.append(Row(cells, page=i + 1, grid=bool(r.get("grid")), table=r.get("table")))
            out[i] = PageResult(rows, bool(p.get("table")))
    except (KeyError, TypeError, ValueError):
        return None
    return out


def cache_store(sha256: str, results: dict[int, PageResult]) -> None:
    if not sha256:
        return
    data = {"version": CACHE_VERSION, "engine": _engine_id(), "pages": {
        str(i): {"table": res.table, "rows": [
            {"grid": r.grid, "table": r.table,
             "cells": [{"t": c.text, "b": list(c.bbox) if c.bbox else None, "c": c.confidence,
                        **({"m": True} if c.merged else {})} for c in r.cells]}
            for r in res.rows]}
        for i, res in results.items()}}
    path = _cache_path(sha256)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        log.warning("could not write the OCR cache %s", path, exc_info=True)
