"""Deterministic malformed inputs for the readers, made from real files.

``cases(seed, per_source)`` yields ``(name, bytes)`` pairs: byte flips,
truncation at several points, corrupted zip entries (DOCX/XLSX), bad or unknown
charset declarations (HTML), invalid bytes and cut characters (text), huge
lines and huge numbers, nested and garbage PDF objects.  The same seed always
gives the same files, so a failure can be replayed by name.
"""
from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"


def sources() -> list[Path]:
    """Small real files of every format (the large scanned corpus PDFs are left
    to the slow run: they test OCR time, not damage)."""
    out = sorted((SHARED / "seeds").glob("*.txt"))
    out += sorted(p for p in (SHARED / "corpus" / "real").iterdir()
                  if p.suffix in (".txt", ".md", ".docx"))
    out += sorted(p for p in FIXTURES.iterdir() if p.suffix in (".html", ".docx", ".pdf"))
    return out


def flip(data: bytes, rng: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def truncations(data: bytes) -> list[tuple[str, bytes]]:
    n = len(data)
    return [(f"trunc{p}", data[: max(1, n * p // 100)]) for p in (3, 30, 60, 97)] + \
        [("trunc-1", data[:-1])]


def _rezip(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                z.writestr(info.filename, body)
    return out.getvalue()


def zip_cases(data: bytes, rng: random.Random) -> list[tuple[str, bytes]]:
    main = next((n for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
                 if n in ("word/document.xml", "xl/workbook.xml")), None)
    out = [
        ("zip-drop-main", _rezip(data, lambda n, b: None if n == main else b)),
        ("zip-garbage-main", _rezip(data, lambda n, b: b"\x00garbage<" if n == main else b)),
        ("zip-cut-xml", _rezip(data, lambda n, b: b[: len(b) // 2] if n == main else b)),
        ("zip-bad-content-types", _rezip(data, lambda n, b: b"<" if n == "[Content_Types].xml" else b)),
        ("zip-drop-rels", _rezip(data, lambda n, b: None if n.endswith(".rels") else b)),
        ("zip-xml-flip", _rezip(data, lambda n, b: flip(b, rng, 20) if n == main else b)),
        ("zip-bomb-entity", _rezip(data, lambda n, b: (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>') if n == main else b)),
    ]
    # A corrupted entry: flip bytes inside the compressed stream of the main part.
    idx = data.find(main.encode()) if main else -1
    if idx > 0:
        b = bytearray(data)
        for k in range(idx + 200, min(len(b), idx + 260), 3):
            b[k] ^= 0x5A
        out.append(("zip-corrupt-entry", bytes(b)))
    return out


def html_cases(data: bytes) -> list[tuple[str, bytes]]:
    text = re.sub(rb"<meta[^>]*charset[^>]*>", b"", data, flags=re.I)
    out = []
    for cs in (b"x-unknown-42", b"utf-7", b"utf-16", b"gbk", b"big5", b"iso-2022-jp", b"'\"><",
               b"a" * 300):
        out.append((f"charset-{cs[:12].decode('latin1')}",
                    b'<meta charset="' + cs + b'">' + text))
    out.append(("html-deep-nesting", b"<div>" * 50000 + text))
    out.append(("html-many-meta", b"<meta " * 20000 + text))
    out.append(("html-huge-span", text.replace(b"<td", b'<td colspan="999999999" rowspan="99999"', 3)))
    return out


def text_cases(data: bytes, rng: random.Random) -> list[tuple[str, bytes]]:
    n = len(data)
    out = [
        ("text-bad-byte", data[: n // 2] + b"\xff" + data[n // 2:]),
        ("text-few-bad", flip(data, rng, 3)),
        ("text-cut-char", data + "年".encode()[:2]),
        ("text-gbk", data.decode("utf-8", "ignore").encode("gb18030")),
        ("text-gbk-cut", data.decode("utf-8", "ignore").encode("gb18030")[:-1]),
        ("text-latin1-noise", bytes(rng.randrange(128, 256) for _ in range(2000))),
        ("text-utf16-nobom", data.decode("utf-8", "ignore").encode("utf-16-le")),
    ]
    return out


def huge_cases(data: bytes) -> list[tuple[str, bytes]]:
    """Huge lines (the title regex), huge numbers (overflow) in a text report."""
    title = "2024年度政府信息公开".encode()
    return [
        ("huge-line-title", title * 20000 + b"\n" + data),
        ("huge-line-digits", b"1" * 300_000 + b"\n" + data),
        ("huge-line-year", ("2024年" * 60000).encode() + b"\n" + data),
        ("huge-line-agency", ("人民政府" * 60000).encode() + b"\n" + data),
        ("huge-number-400", re.sub(rb"(?<=\t)\d+(?=\s)", b"1" + b"0" * 400, data, count=3)),
        ("huge-number-2e63", re.sub(rb"(?<=\t)\d+(?=\s)", str(2**63).encode(), data, count=3)),
        ("huge-number-all", re.sub(rb"(?<=[\t ])\d+(?=\s)", b"9" * 30, data)),
        ("unreadable-most", re.sub(rb"(?<=[\t ])\d+(?=\s)", b"NaN", data)),
    ]


def pdf_cases(data: bytes, rng: random.Random) -> list[tuple[str, bytes]]:
    return [
        ("pdf-no-root", data.replace(b"/Root", b"/Toot")),
        ("pdf-no-trailer", data[: data.rfind(b"trailer")] if b"trailer" in data else data[:-200]),
        ("pdf-nested", data + b"\n99 0 obj\n" + b"[" * 100000 + b"\nendobj\n"),
        ("pdf-garbage-obj", data.replace(b"obj", b"obj <<<<<<[[(((", 5)),
        ("pdf-bad-stream", re.sub(rb"stream\r?\n", b"stream\n\x00\xff\x13garbage", data, count=3)),
        ("pdf-bad-length", re.sub(rb"/Length \d+", b"/Length 99999999", data)),
        ("pdf-header-only", b"%PDF-1.7\n%%EOF\n"),
    ]


def cases(seed: int = 11, flips: int = 4) -> list[tuple[str, str, bytes]]:
    """(case name, suffix, bytes) for every source file and mutation."""
    rng = random.Random(seed)
    out: list[tuple[str, str, bytes]] = []
    for src in sources():
        data = src.read_bytes()
        suffix = src.suffix
        made = [(f"flip{k}x{n}", flip(data, rng, n)) for k, n in enumerate((1, 8, 64)[:flips])]
        made += [(f"flipblock{k}", flip(data, rng, 400)) for k in range(flips - 3)]
        made += truncations(data)
        if suffix in (".docx", ".xlsx"):
            made += zip_cases(data, rng)
        elif suffix in (".html", ".htm"):
            made += html_cases(data)
        elif suffix == ".pdf":
            made += pdf_cases(data, rng)
        else:
            made += text_cases(data, rng) + huge_cases(data)
        out += [(f"{src.name}.{name}", suffix, body) for name, body in made]
    return out
