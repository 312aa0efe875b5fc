"""Reader for text reports: plain text, Markdown, OCR output, Word dumps.

Three shapes of table text are seen in the wild, and one file may mix them:

* a **Word dump** (seed 000): every table cell on its own line behind a tab,
  rows separated by blank lines, empty cells kept as a lone tab, long labels
  continued on the next line without a tab, ``[bookmark: …]`` artefacts;
* **tab-separated rows** (OCR'd tables, seed 003): one row per line, cells
  separated by tabs, but missing cells shift the rest, so positions are not
  trusted;
* **Markdown tables** (``| a | b |``) from converters, and plain lines whose
  numbers stand at the end ("一、本年新收… 3001 53 0 0 61 4 3119").
"""
from __future__ import annotations

import re

from ..document import Document, Row, Span
from .encoding import decode_by_evidence

# Bounded: an unclosed "[bookmark:" must not scan the rest of the text from
# every occurrence (quadratic on a long line of them).
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]{0,200}\]")
_MD_SEPARATOR_CHARS = frozenset("|:- \t")


def _md_separator(line: str) -> bool:
    """A Markdown table's rule line ("|---|:--:|"): only pipes, colons, dashes
    and blanks, with a run of dashes.  No regex: linear by construction."""
    return "--" in line and set(line) <= _MD_SEPARATOR_CHARS


def decode(data: bytes) -> str:
    """The text of a file, its encoding chosen by evidence (see encoding.py)."""
    return decode_by_evidence(data).text


def _clean(text: str) -> str:
    return _BOOKMARK.sub("", text).replace("\u00a0", " ").replace("\u200b", "")


def _is_word_dump(lines: list[str]) -> bool:
    cell_lines = sum(1 for ln in lines if ln.startswith("\t") and "\t" not in ln[1:])
    return cell_lines >= 20 and cell_lines >= 0.3 * sum(1 for ln in lines if ln.strip())


def _word_dump_rows(lines: list[str], doc: Document) -> None:
    block: list[list] | None = None      # [text, line number] per cell

    def flush():
        nonlocal block
        if block is not None:
            doc.rows.append(Row([Span(t.strip(), line=n) for t, n in block], grid=True, table=0))
        block = None

    for n, ln in enumerate(lines, start=1):
        if ln.startswith("\t"):
            if block is None:
                block = []
            block.append([ln[1:], n])
        elif not ln.strip():
            flush()
        elif block is not None:
            # A label broken over lines: the rest of the last cell.
            block[-1][0] = block[-1][0] + ln.strip()
        else:
            doc.line(ln.strip(), line=n)
    flush()


def _plain_rows(lines: list[str], doc: Document) -> None:
    for n, ln in enumerate(lines, start=1):
        stripped = ln.strip()
        if not stripped:
            continue
        if stripped.startswith("|"):
            if _md_separator(stripped):
                continue
            inner = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
            cells = [Span(c.strip(), line=n) for c in inner.split("|")]
            doc.rows.append(Row(cells, grid=True, table=0))
        elif "\t" in ln.strip("\t") or ln.count("\t") >= 2:
            cells = [Span(c.strip(), line=n) for c in ln.rstrip("\n").split("\t")]
            # Drop the tab padding OCR adds at the end of a line.
            while cells and not cells[-1].text:
                cells.pop()
            doc.rows.append(Row(cells, grid=False, table=0))
        else:
            doc.line(stripped.lstrip("#").strip() if stripped.startswith("#") else stripped, line=n)


def read_text(path: str, data: bytes, sha256: str) -> Document:
    decoded = decode_by_evidence(data)
    text = _clean(decoded.text).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    doc = Document(kind="text", path=path, sha256=sha256, pages=None)
    if decoded.note:
        doc.notes.append(decoded.note)
    if _is_word_dump(lines):
        _word_dump_rows(lines, doc)
    else:
        _plain_rows(lines, doc)
    return doc
