"""Issue 11 items 6–11: bounded regexes, input limits, huge numbers, decoding
by evidence, clear reader errors, mostly-unreadable reports."""
from __future__ import annotations

import importlib
import io
import re
import zipfile
from re import _constants as C
from re import _parser as P

import pytest

from gxaudit.cli import main
from gxaudit.core import open_report
from gxaudit.core.ingest import INPUT_LIMITS, read_document
from gxaudit.core.model import ReportError
from gxaudit.core.rules import RULES, check
from gxaudit.core.text import TOO_LARGE, parse_value
from tests.conftest import FIXTURES, SEED_000, require

READER_MODULES = ("gxaudit.core.metadata", "gxaudit.core.text", "gxaudit.core.reconstruct",
                  "gxaudit.core.ingest.text", "gxaudit.core.ingest.html", "gxaudit.core.ingest.pdf",
                  "gxaudit.core.ingest.docx", "gxaudit.core.ingest.encoding")
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT) + ((C.POSSESSIVE_REPEAT,) if hasattr(C, "POSSESSIVE_REPEAT") else ())


def _patterns():
    for name in READER_MODULES:
        mod = importlib.import_module(name)
        for attr, val in vars(mod).items():
            if isinstance(val, re.Pattern):
                yield f"{name}.{attr}", val


def _nested_unbounded(items, inside: bool = False) -> bool:
    """True when an unbounded repeat sits inside another unbounded repeat
    (the shape of catastrophic backtracking)."""
    for op, av in items:
        if op in _REPEATS:
            lo, hi, sub = av
            unbounded = hi == C.MAXREPEAT
            if (unbounded and inside) or _nested_unbounded(sub, inside or unbounded):
                return True
        elif op == C.SUBPATTERN and _nested_unbounded(av[-1], inside):
            return True
        elif op == C.BRANCH and any(_nested_unbounded(alt, inside) for alt in av[1]):
            return True
        elif op in (C.ASSERT, C.ASSERT_NOT) and _nested_unbounded(av[1], inside):
            return True
    return False


def _single_class_repeat(items) -> bool:
    """``\\s+``, ``[ \\t]+``, ``\\d{2,}``: one repeat of one character class."""
    if len(items) != 1 or items[0][0] not in _REPEATS:
        return False
    sub = items[0][1][2]
    return len(sub) == 1 and sub[0][0] in (C.IN, C.LITERAL, C.ANY, C.NOT_LITERAL, C.CATEGORY)


def _linear_by_construction(pat: re.Pattern) -> str | None:
    """Why ``pat`` does bounded work per start position (so a search over a
    line of n characters is O(n)), or None."""
    tree = P.parse(pat.pattern, pat.flags)
    items = list(tree)
    if _nested_unbounded(items):
        return None
    if tree.getwidth()[1] <= 1000:
        return "every repetition bounded: at most 1000 characters looked at per start"
    anchored = items and items[0] == (C.AT, C.AT_BEGINNING) and not pat.flags & re.M
    if anchored or (items and items[0] == (C.AT, C.AT_BEGINNING_STRING)):
        return "anchored at the start: one attempt per line, no nested repetition"
    if _single_class_repeat(items):
        return "one repeat of one character class: each character examined once"
    return None


def test_every_reader_regex_is_linear_by_construction():
    found = dict(_patterns())
    assert "gxaudit.core.metadata._TITLE" in found and len(found) >= 12
    bad = {name: p.pattern for name, p in found.items() if _linear_by_construction(p) is None}
    assert bad == {}


def test_the_checker_catches_the_old_quadratic_patterns():
    # The patterns this issue replaced: the checker must refuse them.
    old_title = re.compile(r"(?P<pre>[^\d]*?)(?P<year>(?:19|20)\d{2})年度?(?P<mid>.*?)政府信息公开(?:工作)?年度?报告")
    old_glued = re.compile(r"(\d{2,})$")
    nested = re.compile(r"^(a+)+$")
    for p in (old_title, old_glued, nested):
        assert _linear_by_construction(p) is None, p.pattern


class _Counting:
    """A compiled pattern that counts the characters it is given."""

    def __init__(self, pat):
        self.pat, self.chars, self.calls = pat, 0, 0

    def search(self, s, *a):
        self.chars += len(s)
        self.calls += 1
        return self.pat.search(s, *a)


def test_title_search_reads_a_bounded_number_of_characters(tmp_path, monkeypatch):
    """A 1 MB title-like line: the title pattern is given at most 20 lines ×
    2 candidates × TITLE_MAX characters, whatever the line's length."""
    from gxaudit.core import metadata
    counting = _Counting(metadata._TITLE)
    monkeypatch.setattr(metadata, "_TITLE", counting)
    p = tmp_path / "long.txt"
    p.write_bytes(("某某2024年度" * 150_000).encode() + b"\n" + require(SEED_000).read_bytes())
    report, _ = open_report(str(p))
    assert counting.calls > 0
    assert counting.chars <= 20 * 2 * metadata.TITLE_MAX
    assert report.cells  # the rest of the report was read


@pytest.mark.parametrize("raw", ["1" + "0" * 400, str(2 ** 63), "9" * 30, "1e400", "-" + str(2 ** 64)])
def test_huge_numbers_are_unreadable_cells(raw):
    pv = parse_value(raw)
    assert (pv.value, pv.status) == (None, "unreadable")
    if raw[0].isdigit() and "e" not in raw or raw.startswith("-"):
        assert pv.reason == TOO_LARGE
    assert parse_value("999999999999999").value == 999999999999999


def test_a_huge_number_is_that_cells_problem(tmp_path):
    """10^400 and 2^63 in a table: exit 1 with an F-UNREADABLE finding for
    those cells, the rest checked, and the report enters the library."""
    text = require(SEED_000).read_text("utf-8")
    values = re.findall(r"(?<=\t)\d+(?=\n)", text)
    assert len(values) > 50
    text = re.sub(r"(?<=\t)\d+(?=\n)", "1" + "0" * 400, text, count=1)
    text = re.sub(r"(?<=\t)\d+(?=\n)", lambda m: m.group(0) if m.group(0).startswith("1000") else str(2 ** 63),
                  text, count=2)
    p = tmp_path / "huge.txt"
    p.write_text(text, "utf-8")
    report, _ = open_report(str(p))
    huge = [c for c in report.cells.values() if c.reason == TOO_LARGE]
    assert len(huge) == 2
    assert sum(c.known for c in report.cells.values()) > 50
    findings = check(report)
    assert any(f.rule == "F-UNREADABLE" and huge[0].key in f.cells for f in findings)
    from gxaudit.core.history import Library
    Library().add(report)                      # no OverflowError in SQLite
    assert main(["check", str(p), "--json"]) in (0, 1)


def test_oversized_inputs_are_refused_per_format(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * (INPUT_LIMITS["text"] + 1))
    with pytest.raises(ReportError, match="文本文件过大.*4 MB 的上限"):
        read_document(str(p))
    h = tmp_path / "big.html"
    h.write_bytes(b"<html>" + b" " * INPUT_LIMITS["html"])
    with pytest.raises(ReportError, match="网页（HTML）文件过大"):
        read_document(str(h))


def test_one_invalid_byte_is_replaced_and_said(tmp_path):
    data = require(SEED_000).read_bytes()
    p = tmp_path / "bad.txt"
    cut = data.index(b"\n", 2000)
    p.write_bytes(data[:cut] + b"\xff" + data[cut:] + "年".encode()[:2])
    report, _ = open_report(str(p))
    clean, _ = open_report(str(require(SEED_000)))
    assert {k: c.value for k, c in report.cells.items()} == {k: c.value for k, c in clean.cells.items()}
    notes = [f for f in check(report) if f.rule == "F-DECODE"]
    assert len(notes) == 1 and "UTF-8" in notes[0].message and "2 处" in notes[0].message
    assert not [f for f in check(clean) if f.rule == "F-DECODE"]


def test_gbk_text_is_read_without_a_note(tmp_path):
    data = require(SEED_000).read_text("utf-8").encode("gb18030")
    p = tmp_path / "gbk.txt"
    p.write_bytes(data[:-1] if data[-1:] != b"\n" else data)
    report, _ = open_report(str(p))
    assert sum(c.known for c in report.cells.values()) > 50
    assert not [f for f in check(report) if f.rule == "F-DECODE"]


def test_noise_is_refused_with_a_clear_line(tmp_path, capsys):
    import random
    rng = random.Random(3)
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(rng.choice(b"\x80\x81\xfe\xff\xc0\xc1") for _ in range(4000)))
    rc = main(["check", str(p), "--no-library"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and "意外" not in err


def test_unknown_html_charset_is_a_note_not_an_error(tmp_path):
    html = require(FIXTURES / "fx2021.html").read_bytes()
    html = re.sub(rb"<meta[^>]*charset[^>]*>", b"", html, flags=re.I)
    p = tmp_path / "x.html"
    p.write_bytes(b'<meta charset="x-unknown-42">' + html)
    report, _ = open_report(str(p))
    assert sum(c.known for c in report.cells.values()) > 50
    notes = [f for f in check(report) if f.rule == "F-DECODE"]
    assert len(notes) == 1 and "x-unknown-42" in notes[0].message


def test_damaged_zip_entry_is_a_damaged_word_package(tmp_path, capsys):
    data = require(FIXTURES / "fx2021.docx").read_bytes()
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    b = bytearray(data)
    for k in range(start + 50, start + 120, 3):
        b[k] ^= 0x5A
    p = tmp_path / "bad.docx"
    p.write_bytes(bytes(b))
    assert main(["check", str(p), "--no-library"]) == 2
    err = capsys.readouterr().err.strip()
    assert "Word 文件已损坏" in err and "意外" not in err


def test_mostly_unreadable_tables_are_an_error(tmp_path, capsys):
    assert RULES["F-UNREADABLE-MOST"].severity == "error"
    text = require(SEED_000).read_text("utf-8")
    junk = iter(["NaN", "inf", "(3)", "3.", "0x1F"] * 100)
    text = re.sub(r"(?<=\t)\d+(?=\n)", lambda m: next(junk), text)
    p = tmp_path / "nan.txt"
    p.write_text(text, "utf-8")
    report, _ = open_report(str(p))
    most = [f for f in check(report) if f.rule == "F-UNREADABLE-MOST"]
    assert len(most) == 1 and most[0].severity == "error" and len(most[0].cells) > 50
    assert main(["check", str(p), "--no-library", "--json"]) == 1
    clean, _ = open_report(str(require(SEED_000)))
    assert not [f for f in check(clean) if f.rule == "F-UNREADABLE-MOST"]
