"""The PDF reader on the real PDFs of shared/corpus/real, and on broken PDFs.

The figures are those SOURCES.md lists (read by hand from the published files).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from gxaudit.core import check_file
from gxaudit.core.ingest import read_document
from gxaudit.core.model import ReportError
from gxaudit.core.reconstruct import section_of
from gxaudit.core.text import normalize_label
from tests.conftest import CORPUS, ROOT, require
from tests.pdfwriter import pdf_from_streams

T3 = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
      "total"]
T4 = ["upheld", "corrected", "other", "pending", "total"]

HONGZE_2023 = CORPUS / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"
HONGZE_2024 = CORPUS / "jiangsu_huaian_hongze-district-gov_2024_annual-report.pdf"
HUAIAN_2024 = CORPUS / "jiangsu_huaian-city-gov_2024_annual-report.pdf"
PEER = CORPUS / "peer-output_kirogovcompare_jiangsu-suqian-city_2023-vs-2024_comparison.pdf"


def row(report, prefix, cols=T3):
    return [report.cells[f"{prefix}.{c}"].value for c in cols]


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def run_cli(*args, timeout=60):
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "gxaudit", *map(str, args)], capture_output=True,
                         text=True, encoding="utf-8", cwd=ROOT, timeout=timeout)
    return out, time.perf_counter() - t0


@pytest.fixture(scope="module")
def hongze2023():
    return check_file(str(require(HONGZE_2023)))


@pytest.fixture(scope="module")
def hongze2024():
    return check_file(str(require(HONGZE_2024)))


@pytest.fixture(scope="module")
def huaian():
    return check_file(str(require(HUAIAN_2024)))


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------

def test_hongze_2023_figures(hongze2023):
    report, findings = hongze2023
    assert report.source.format == "pdf" and report.source.pages == 5
    assert (report.year, report.template) == (2023, "2021")
    assert row(report, "t3.new_received") == [21, 0, 0, 0, 0, 0, 21]
    assert row(report, "t3.carried_over") == [0] * 7
    assert row(report, "t3.total_processed")[-1] == 21
    assert row(report, "t3.carried_forward") == [0] * 7
    # 三 broken down: 予以公开 0 + 部分公开 4 + 不予公开 3 + 无法提供 13 + 不予处理 1 + 其他处理 0.
    t = lambda k: report.cells[f"t3.{k}.total"].value  # noqa: E731
    withheld = sum(t(k) for k in ("withheld_state_secret", "withheld_law_prohibited",
                                  "withheld_three_safety", "withheld_third_party",
                                  "withheld_internal_affairs", "withheld_process_info",
                                  "withheld_enforcement_file", "withheld_inquiry_matter"))
    unavailable = sum(t(k) for k in ("unavailable_not_held", "unavailable_needs_creation",
                                     "unavailable_unclear"))
    declined = sum(t(k) for k in ("declined_complaint", "declined_duplicate",
                                  "declined_publication", "declined_excessive",
                                  "declined_reconfirm"))
    assert [t("granted"), t("partly_granted"), withheld, unavailable, declined, t("other")] == \
        [0, 4, 3, 13, 1, 0]
    # The clipped label "2.其他法律行政止公开" still finds its row.
    assert report.cells["t3.withheld_law_prohibited.total"].status == "ok"
    # A single （六）其他处理 row in a 2021 report: table 三 read in the 2019 layout.
    assert report.layouts.t3 == "2019" and report.layouts.t2 == "2021"
    assert "F-ROWSET" in {f.rule for f in findings if f.severity == "warning"}
    assert row(report, "t4.review", T4) == [10, 1, 0, 0, 0]
    assert row(report, "t4.suit_direct", T4) == [0, 0, 0, 0, 0]
    assert row(report, "t4.suit_after_review", T4) == [5, 0, 0, 0, 0]
    assert report.cells["t2.fees.amount"].value == 7730.28
    assert row(report, "t2.normative_documents", ["issued", "repealed", "in_force"]) == [0, 5, 5]
    assert report.cells["t2.licensing.decisions"].value == 550
    assert report.cells["t2.punishment.decisions"].value == 4119
    assert all(c.status == "ok" for c in report.cells.values())


def test_hongze_2023_t4_breaks_are_found(hongze2023):
    report, findings = hongze2023
    errs = errors(findings)
    assert sorted(f.rule for f in errs) == ["T4-SUM", "T4-SUM"]
    by_total = {f.cells[-1]: f for f in errs}
    review = by_total["t4.review.total"]
    assert (review.expected, review.actual) == (11, 0)
    assert (review.suspect, review.suggested) == ("t4.review.total", 11)
    after = by_total["t4.suit_after_review.total"]
    assert (after.expected, after.actual) == (5, 0)


def test_hongze_2024_figures_clean(hongze2024):
    report, findings = hongze2024
    assert report.source.pages == 5 and report.year == 2024
    assert row(report, "t3.new_received") == [95, 0, 0, 0, 0, 0, 95]
    assert row(report, "t3.carried_over")[-1] == 0
    assert row(report, "t3.total_processed")[-1] == 95
    assert row(report, "t4.review", T4) == [1, 1, 0, 0, 2]
    assert row(report, "t4.suit_direct", T4) == [1, 0, 0, 0, 1]
    assert row(report, "t4.suit_after_review", T4) == [2, 0, 1, 0, 3]
    assert row(report, "t2.normative_documents", ["issued", "repealed", "in_force"]) == [3, 0, 8]
    assert report.cells["t2.fees.amount"].value == 7545
    assert report.layouts.t3 == "2019"
    assert errors(findings) == []
    assert all(c.status == "ok" for c in report.cells.values())


def test_hongze_carry_over_2023_to_2024(hongze2023, hongze2024):
    assert row(hongze2023[0], "t3.carried_forward") == row(hongze2024[0], "t3.carried_over")
    # 现行有效 5 + 制发 3 − 废止 0 = 8.
    prev = hongze2023[0].cells["t2.normative_documents.in_force"].value
    cur = hongze2024[0].cells
    assert prev + cur["t2.normative_documents.issued"].value - \
        cur["t2.normative_documents.repealed"].value == cur["t2.normative_documents.in_force"].value


def test_huaian_2024_figures_clean(huaian):
    report, findings = huaian
    assert report.source.pages == 6 and (report.year, report.template) == (2024, "2021")
    assert report.layouts.t3 == "2021"
    r01, r02 = row(report, "t3.new_received"), row(report, "t3.carried_over")
    r24, r25 = row(report, "t3.total_processed"), row(report, "t3.carried_forward")
    assert (r01[-1], r02[-1], r24[-1], r25[-1]) == (3119, 34, 3050, 103)
    assert [a + b for a, b in zip(r01, r02)] == [a + b for a, b in zip(r24, r25)]
    leaves = report.layouts.of("t3").leaves
    assert len(leaves) == 21
    assert sum(report.cells[f"t3.{k}.natural_person"].value for k in leaves) == 2932 == r24[0]
    assert row(report, "t4.review", T4) == [72, 64, 178, 37, 351]
    assert row(report, "t4.suit_direct", T4)[-1] == 26
    assert row(report, "t4.suit_after_review", T4)[-1] == 20
    assert report.cells["t2.fees.amount"].value == 96171.6
    assert report.cells["t2.licensing.decisions"].value == 447228
    # Table 三 continues over a page break ("（四）无 / 法提供"): rows on both pages are read.
    assert report.cells["t3.unavailable_not_held.total"].page == 4
    assert report.cells["t3.unavailable_needs_creation.total"].page == 5
    assert report.cells["t3.unavailable_needs_creation.total"].value == 11
    assert errors(findings) == []
    assert all(c.status == "ok" for c in report.cells.values())


def test_json_source_is_pdf_with_pages():
    out, _ = run_cli("check", require(HUAIAN_2024), "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["source"]["format"] == "pdf" and doc["source"]["pages"] == 6
    cell = doc["cells"]["t3.new_received.total"]
    assert cell["value"] == 3119 and cell["page"] == 4 and cell["confidence"] == 1.0
    assert len(cell["bbox"]) == 4 and cell["bbox"][0] < cell["bbox"][2]
    assert out.stderr == ""


# --------------------------------------------------------------------------
# Provenance and reading order
# --------------------------------------------------------------------------

@pytest.mark.parametrize("path,keys", [
    (HONGZE_2023, ["t3.new_received.total", "t4.review.upheld", "t4.suit_after_review.upheld",
                   "t2.fees.amount", "t3.unavailable_not_held.natural_person"]),
    (HUAIAN_2024, ["t3.new_received.natural_person", "t3.total_processed.total",
                   "t4.review.other", "t2.licensing.decisions", "t3.other_misc.total"]),
])
def test_bboxes_point_at_the_cell_text(path, keys):
    import pdfplumber
    report, _ = check_file(str(require(path)))
    with pdfplumber.open(str(path)) as pdf:
        for key in keys:
            cell = report.cells[key]
            assert cell.page and cell.bbox, key
            page = pdf.pages[cell.page - 1].dedupe_chars()
            x0, top, x1, bottom = cell.bbox
            words = [w["text"] for w in page.extract_words()
                     if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom]
            assert "".join(words) == cell.raw, (key, words, cell.raw)


def test_reading_order_and_grid_rows():
    doc = read_document(str(require(HONGZE_2023)))
    assert doc.kind == "pdf" and doc.pages == 5
    pages = [r.page for r in doc.rows]
    assert pages == sorted(pages)
    secs = {}
    for i, r in enumerate(doc.rows):
        sec = section_of(normalize_label(r.text)) if r.is_line else None
        if sec:
            secs.setdefault(sec, i)
    first_grid_row = {}
    for i, r in enumerate(doc.rows):
        if r.grid:
            text = normalize_label(r.text)
            for sec, probe in (("t2", "本年制发件数"), ("t3", "本年新收"), ("t4", "结果维持")):
                if probe in text:
                    first_grid_row.setdefault(sec, i)
    for sec in ("t2", "t3", "t4"):
        assert secs[sec] < first_grid_row[sec], sec
    assert secs["t4"] > first_grid_row["t3"]
    grid = [r for r in doc.rows if r.grid]
    t3_rows = [r for r in grid if len(r.cells) == 10]
    assert len(t3_rows) >= 20
    # Merged cells are kept in place (so positions hold) and marked.
    first = next(r for r in t3_rows if "本年新收" in r.text)
    assert [c.merged for c in first.cells[:3]] == [False, True, True]
    assert all(c.page and c.bbox for c in first.cells)
    # Page-number lines ("- 3 -") are not content.
    assert not any(r.text.strip() in ("- 3 -", "- 4 -") for r in doc.rows)


# --------------------------------------------------------------------------
# Files that are not a readable report: exit 2, one clear line, bounded time
# --------------------------------------------------------------------------

def _assert_unreadable(path, *phrases, limit=20.0):
    out, took = run_cli("check", path)
    assert out.returncode == 2, (out.returncode, out.stdout[:300], out.stderr)
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    for p in phrases:
        assert p in lines[0], lines[0]
    assert took < limit, took
    return lines[0]


def test_peer_comparison_printout_is_not_a_report():
    _assert_unreadable(require(PEER), "比对", "不是单份年度报告")


def test_empty_pdf(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    _assert_unreadable(p, "空")


def test_truncated_pdf(tmp_path):
    data = require(HONGZE_2023).read_bytes()
    p = tmp_path / "half.pdf"
    p.write_bytes(data[: len(data) // 2])
    _assert_unreadable(p, "损坏或不完整")


def test_garbage_after_pdf_header(tmp_path):
    p = tmp_path / "junk.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 64)
    _assert_unreadable(p, "PDF")


def test_encrypted_pdf(tmp_path):
    import pypdf  # test extra: writes the encrypted file
    w = pypdf.PdfWriter(clone_from=str(require(HONGZE_2023)))
    w.encrypt("secret", algorithm="RC4-128")
    p = tmp_path / "locked.pdf"
    with open(p, "wb") as fh:
        w.write(fh)
    _assert_unreadable(p, "加密")


def test_owner_password_only_pdf_is_read(tmp_path):
    """Encrypted for permissions only (empty user password): readable as usual."""
    import pypdf  # test extra: writes the encrypted file
    w = pypdf.PdfWriter(clone_from=str(require(HONGZE_2024)))
    w.encrypt("", owner_password="owner", algorithm="RC4-128")
    p = tmp_path / "perm.pdf"
    with open(p, "wb") as fh:
        w.write(fh)
    report, findings = check_file(str(p))
    assert row(report, "t3.new_received")[-1] == 95 and errors(findings) == []


def _text_pdf(pages: int, lines_per_page: int = 30) -> bytes:
    """A plain PDF (Helvetica text, no tables) written by hand."""
    return pdf_from_streams([b"BT /F1 11 Tf 50 800 Td 14 TL " + b"".join(
        b"(Chapter %d line %d: nothing but prose here, no statistics.) '" % (n + 1, k)
        for k in range(lines_per_page)) + b" ET" for n in range(pages)])


def test_300_pages_without_tables_fail_fast(tmp_path, monkeypatch):
    p = tmp_path / "book.pdf"
    p.write_bytes(_text_pdf(300))
    # In process: pdfplumber (70-280 ms a page) must not run on any page.
    import pdfplumber

    def no_plumber(*a, **k):
        raise AssertionError("pdfplumber opened on a PDF without table pages")
    monkeypatch.setattr(pdfplumber, "open", no_plumber)
    t0 = time.perf_counter()
    with pytest.raises(ReportError, match="不像是一份政府信息公开工作年度报告"):
        check_file(str(p))
    assert time.perf_counter() - t0 < 5.0
    # End to end.
    _assert_unreadable(p, "不像是一份政府信息公开工作年度报告", limit=15.0)


def test_scanned_pdf_without_text_layer(tmp_path):
    import pypdfium2 as pdfium
    src = pdfium.PdfDocument(str(require(HONGZE_2023)))
    images = [src[i].render(scale=1).to_pil().convert("RGB") for i in (2, 3)]
    src.close()
    p = tmp_path / "scan.pdf"
    images[0].save(p, "PDF", save_all=True, append_images=images[1:], resolution=72)
    # The image-only PDF holds no text at all: nothing is invented.
    check = pdfium.PdfDocument(str(p))
    assert all(not check[i].get_textpage().get_text_range().strip() for i in range(len(check)))
    check.close()
    from gxaudit.core.ingest import ocr
    if not ocr.available():
        line = _assert_unreadable(p, "扫描", "OCR")
        assert 'pip install -e ".[ocr]"' in line
        return
    # Read by OCR (tests/core/test_ocr.py has the scans in detail): every
    # cell read equals the text layer's, the rest are flagged, none invented.
    report, _ = check_file(str(p))
    twin, _ = check_file(str(HONGZE_2023))
    assert report.source.format == "pdf-scan"
    for key, cell in report.cells.items():
        assert cell.status == "unreadable" or cell.value == twin.cells[key].value, key
