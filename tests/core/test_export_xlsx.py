"""The annotated workbook: read back with openpyxl, converted by LibreOffice,
safe against formula injection, and read back by ``gxaudit check``."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from gxaudit.core import load_report
from gxaudit.core.grid import VALUE, grid_for
from gxaudit.core.review import ACCEPTED, CORRECTED, OVERRIDDEN, Review
from gxaudit.core.rules import RULESET_VERSION
from tests.conftest import ROOT, SEED_000, SEED_003, require

openpyxl = pytest.importorskip("openpyxl")

KEY = "t3.total_processed.total"
AGENCY = "台儿庄区人力资源和社会保障局"


@pytest.fixture
def review():
    rv = Review(load_report(str(require(SEED_000))), reviewer="李审核")
    rv.set_cell(KEY, 3, reason="按各类申请人之和更正")
    fee = next(f.id for f in rv.findings() if f.rule == "F-FEE")
    rv.decide(fee, ACCEPTED, "报告未说明信息处理费收取情况")
    rv.set_note(KEY, "原表总计栏误填为 0")
    return rv


@pytest.fixture
def workbook(review, tmp_path):
    from gxaudit.core.export.xlsx import export_workbook
    path = tmp_path / "out" / "审核.xlsx"
    export_workbook(review, path)
    return path


def _coord(grid, key):
    r, c = grid.position(key)
    return r + 2, c + 1          # a title row above the grid, 1-based columns


def test_sheets_layout_and_merges(review, workbook):
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == ["概要", "表二", "表三", "表四", "问题清单", "正文核对", "修改记录", "_gxaudit"]
    assert wb["_gxaudit"].sheet_state == "veryHidden"
    assert all(wb[n].sheet_state == "visible" for n in wb.sheetnames[:-1])
    for table, name in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")):
        grid = grid_for(review.report.table_layout(table))
        want = {f"{openpyxl.utils.get_column_letter(it.col + 1)}{it.row + 2}:"
                f"{openpyxl.utils.get_column_letter(it.col + it.colspan)}{it.row + it.rowspan + 1}"
                for it in grid.items if it.rowspan > 1 or it.colspan > 1}
        title = f"A1:{openpyxl.utils.get_column_letter(grid.cols)}1"
        got = {str(r) for r in wb[name].merged_cells.ranges}
        assert got == want | {title}, name
        # Every value is where the grid puts it, as a number.
        ws = wb[name]
        for it in grid.items:
            if it.kind != VALUE:
                continue
            cell = ws.cell(*_coord(grid, it.key))
            want_v = review.report.cells[it.key].value
            assert cell.value == want_v, it.key
            if want_v is not None:
                assert cell.data_type == "n" and isinstance(cell.value, (int, float))


def test_fills_and_comments(review, workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["表三"]
    grid = grid_for(review.report.table_layout("t3"))
    cell = ws.cell(*_coord(grid, KEY))
    assert cell.value == 3 and cell.data_type == "n"
    assert cell.fill.fgColor.rgb.endswith("C9E7CF")        # corrected
    text = cell.comment.text
    assert "原值 0" in text and "改为 3" in text
    assert "T3-ROW" in text and "应为 3，实为 0" in text and "已更正" in text
    assert "原表总计栏误填为 0" in text
    # An untouched cell has no fill and no comment.
    plain = ws.cell(*_coord(grid, "t3.granted.natural_person"))
    assert plain.comment is None and plain.fill.fill_type is None
    # Headers are filled, labels are text.
    assert ws["A1"].value.startswith("三、收到和处理政府信息公开申请情况")


def test_flagged_cells_without_correction(tmp_path):
    """The uncorrected seed: the suspect is filled as suspect and says what to enter."""
    from gxaudit.core.export.xlsx import export_workbook
    rv = Review(load_report(str(require(SEED_000))))
    export_workbook(rv, tmp_path / "raw.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "raw.xlsx")["表三"]
    grid = grid_for(rv.report.table_layout("t3"))
    cell = ws.cell(*_coord(grid, KEY))
    assert cell.value == 0
    assert cell.fill.fgColor.rgb.endswith("E0584A")
    assert "疑似出错，建议改为 3" in cell.comment.text and "待处理" in cell.comment.text
    # Another cell read by the same failing identities is only tinted.
    other = ws.cell(*_coord(grid, "t3.total_processed.natural_person"))
    assert other.fill.fgColor.rgb.endswith("FDECEB")


def test_findings_sheet(review, workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["序号", "规则", "规则名称", "严重程度"]
    col = {name: i for i, name in enumerate(header)}
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    states = review.finding_states()
    assert len(rows) == len(states)
    got = {(r[col["规则"]], r[col["状态"]]) for r in rows}
    assert got == {(s.finding.rule, {"open": "待处理", "accepted": "已确认", "overridden": "已豁免",
                                     "corrected": "已更正"}[s.status]) for s in states}
    row = next(r for r in rows if r[col["规则"]] == "T3-ROW")
    assert (row[col["应为"]], row[col["实为"]], row[col["建议值"]]) == (3, 0, 3)
    assert "t3.total_processed.total" in row[col["问题编号"]]
    fee = next(r for r in rows if r[col["规则"]] == "F-FEE")
    assert fee[col["理由"]] == "报告未说明信息处理费收取情况" and fee[col["处理人"]] == "李审核"
    # Numbers are numbers.
    r_idx = next(i for i, r in enumerate(rows, start=2) if r[col["规则"]] == "T3-ROW")
    assert ws.cell(r_idx, col["应为"] + 1).data_type == "n"
    # Link to the suspect cell on 表三.
    link = ws.cell(r_idx, col["定位"] + 1).hyperlink
    grid = grid_for(review.report.table_layout("t3"))
    r, c = _coord(grid, KEY)
    assert link.location == f"'表三'!{openpyxl.utils.get_column_letter(c)}{r}"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows) + 1}"
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1 and dvs[0].type == "list"
    assert "待处理" in dvs[0].formula1 and "已豁免" in dvs[0].formula1
    status_col = openpyxl.utils.get_column_letter(col["状态"] + 1)
    assert str(dvs[0].sqref) == f"{status_col}2:{status_col}{len(rows) + 1}"
    assert ws.freeze_panes == "C2"


def test_summary_sheet_links_and_log(review, workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["概要"]
    values = {r[0].value: r[1].value for r in ws.iter_rows(min_row=3, max_col=2) if r[0].value}
    assert values["机关名称"] == AGENCY
    assert values["报告年度"] == 2021
    assert values["来源 SHA-256"] == review.base.source.sha256
    assert values["审核人"] == "李审核"
    assert values["规则集版本"] == RULESET_VERSION
    assert values["已更正"] == 3 and values["已确认"] == 1 and values["待处理"] == 0
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {n: f"'{n}'!A1" for n in ("表二", "表三", "表四", "问题清单", "修改记录")}
    assert len(ws._images) == 1                    # the chart
    png = ws._images[0]._data()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    log = wb["修改记录"]
    actions = [r[3].value for r in log.iter_rows(min_row=2)]
    assert actions == ["修改单元格", "确认问题", "批注"]
    edit = next(log.iter_rows(min_row=2, max_row=2))
    # Labels and local time, not cell keys and UTC ISO (the key stays in a hidden column).
    assert (edit[4].value, edit[5].value, edit[6].value) == ("表三（七）总计·总计", 0, 3)
    assert edit[9].value == KEY and log.column_dimensions["J"].hidden
    from gxaudit.core.viewmodels import local_time
    assert edit[1].value == local_time(review.log[0].at) and "T" not in edit[1].value
    assert "0 → 3" in edit[8].value and "表三（七）总计·总计" in edit[8].value


def test_print_setup_freeze_and_properties(review, workbook):
    wb = openpyxl.load_workbook(workbook)
    t3 = wb["表三"]
    assert t3.freeze_panes == "D5"
    assert t3.print_title_rows == "$1:$4"
    assert wb["表四"].print_title_rows == "$1:$4" and wb["表四"].freeze_panes == "A5"
    assert wb["问题清单"].print_title_rows == "$1:$1"
    for name in wb.sheetnames[:-1]:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert "李审核" in ws.oddFooter.left.text
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["gxaudit.source_sha256"] == review.base.source.sha256
    assert props["gxaudit.ruleset"] == RULESET_VERSION
    assert props["gxaudit.version"]
    assert props["gxaudit.export_time"][:4].isdigit()
    assert wb.properties.creator == "李审核"
    assert review.base.source.sha256 in wb.properties.description


@pytest.mark.parametrize("agency", ['=HYPERLINK("http://x","点我")' + AGENCY, "=1+1", "@SUM(A1)"])
def test_formula_injection_is_text(tmp_path, agency):
    from gxaudit.core.export.xlsx import export_workbook
    src = tmp_path / "seed.txt"
    text = require(SEED_000).read_text(encoding="utf-8")
    assert AGENCY in text
    src.write_text(text.replace(AGENCY, agency, 1), encoding="utf-8")
    report = load_report(str(src))
    report.agency = agency                     # whatever the reader made of the first line
    rv = Review(report, reviewer="=cmd|'/c calc'!A1")
    rv.set_note("", "+1+2 审核意见")
    rv.set_note(KEY, "-2-3 单元格批注")
    fid = next(f.id for f in rv.findings() if f.rule == "F-FEE")
    rv.decide(fid, OVERRIDDEN, "@SUM(1,2) 已在其他公告说明")
    out = tmp_path / "inj.xlsx"
    export_workbook(rv, out)
    wb = openpyxl.load_workbook(out)
    hits = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    hits.setdefault(c.value[:4], c.coordinate)
    assert agency[:4] in hits
    assert {"+1+2", "-2-3", "@SUM", "=cmd"} <= set(hits)
    # No formula anywhere in the file.
    import zipfile
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_round_trip_through_check(review, workbook):
    out = subprocess.run([sys.executable, "-m", "gxaudit", "check", str(workbook), "--json",
                          "--no-library"], capture_output=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr.decode()        # the errors were corrected
    doc = json.loads(out.stdout)
    assert doc["source"]["format"] == "xlsx"
    assert doc["report"]["agency"] == AGENCY and doc["report"]["year"] == 2021
    want = review.report.cells
    assert set(doc["cells"]) == set(want)
    for k, c in want.items():
        got = doc["cells"][k]
        assert (got["value"], got["status"], got["raw"]) == (c.value, c.status, c.raw), k
    assert doc["cells"][KEY]["original"] == 0 and doc["cells"][KEY]["status"] == "edited"
    statuses = {f["rule"]: f["status"] for f in doc["findings"]}
    live = {s.finding.rule: s.status for s in review.finding_states() if s.status != CORRECTED}
    assert statuses == live == {"F-FEE": "accepted"}
    fee = next(f for f in doc["findings"] if f["rule"] == "F-FEE")
    assert fee["decision"]["reason"] == "报告未说明信息处理费收取情况"
    rv = doc["review"]
    assert rv["edits"] == {KEY: 3}
    assert rv["source"]["sha256"] == review.base.source.sha256
    assert {f["rule"] for f in rv["corrected"]} == {"T3-ROW", "T3-BAL", "T3-LEAF"}
    assert [e["action"] for e in rv["log"]] == [e.action for e in review.log]
    assert rv["notes"] == {KEY: "原表总计栏误填为 0"}


def test_round_trip_of_a_2019_report_with_open_errors(tmp_path):
    from gxaudit.core import open_report
    from gxaudit.core.export.xlsx import export_workbook
    rv = Review(load_report(str(require(SEED_003))))
    export_workbook(rv, tmp_path / "b.xlsx")
    report, back = open_report(str(tmp_path / "b.xlsx"))
    assert back is not None and back.to_json()["report"] == rv.to_json()["report"]
    assert {k: c.value for k, c in report.cells.items()} == {k: c.value for k, c in rv.report.cells.items()}
    assert [f.id for f in back.findings()] == [f.id for f in rv.findings()]


def test_foreign_and_damaged_workbooks_exit_2(tmp_path, workbook):
    foreign = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "不是 gxaudit 的表"
    wb.save(foreign)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook.read_bytes()[:2000])
    # A workbook whose stored review was altered.
    tampered = tmp_path / "tampered.xlsx"
    wb = openpyxl.load_workbook(workbook)
    ws = wb["_gxaudit"]
    ws["A2"].value = ws["A2"].value.replace("3", "4", 1)
    wb.save(tampered)
    for path, phrase in ((foreign, "不是 gxaudit 导出的审核工作簿"), (broken, "已损坏"),
                         (tampered, "校验值不符")):
        out = subprocess.run([sys.executable, "-m", "gxaudit", "check", str(path), "--json",
                              "--no-library"], capture_output=True, cwd=ROOT, timeout=120)
        err = out.stderr.decode().strip()
        assert out.returncode == 2, (path, err)
        assert out.stdout == b""
        assert phrase in err and len(err.splitlines()) == 1, err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_and_prints_the_workbook(workbook, tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    outdir = tmp_path / "pdf"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), str(workbook)]
    out = subprocess.run(cmd, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    pdf = outdir / (workbook.stem + ".pdf")
    assert pdf.exists(), out.stderr.decode(errors="replace")
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
        assert len(doc.pages) >= 6                 # 概要, 表二, 表三, 表四, 问题清单, 修改记录
    flat = text.replace("\n", "").replace(" ", "")
    assert AGENCY in flat
    assert "收到和处理政府信息公开申请情况" in flat        # 表三's title
    assert "T3-ROW" in flat and "已更正" in flat               # 问题清单
    assert "gxaudit-review" not in flat            # the hidden data sheet is not printed


def test_one_format_on_every_sheet_when_a_table_reads_as_2019(tmp_path):
    """A 2021 report whose 表三 has one （六）其他处理 row (seed 000 with the three
    rows collapsed): every sheet names 2021年版, the other layout is a note."""
    from gxaudit.core.export.xlsx import export_workbook
    report = load_report(str(Path(__file__).with_name("seed000_t3_one_other_row.txt")))
    assert report.template == "2021" and report.table_layout("t3").layout == "2019"
    path = export_workbook(Review(report, reviewer="李审核"), tmp_path / "v.xlsx")
    wb = openpyxl.load_workbook(path)
    texts = {name: " ".join(str(c.value) for row in wb[name].iter_rows() for c in row
                            if isinstance(c.value, str))
             for name in ("概要", "表二", "表三", "表四")}
    for name, text in texts.items():
        assert "2021年版格式" in text, name
        assert "2019年版格式" not in text, name
    title = wb["表三"]["A1"].value
    assert title.startswith("三、") and "按该表式读取" in title and "2019年版表式" in title
    assert "按该表式读取" not in wb["表二"]["A1"].value
    assert "表式说明" in texts["概要"]
    assert wb["表三"].row_dimensions[1].height >= 40     # the longer title is not cut


def test_print_layout_wraps_margins_and_empty_log(review, workbook, tmp_path):
    """问题清单 fits the page width by wrapping, not shrinking to ~50%; the
    header/footer sit inside the margins; an empty 修改记录 does not print."""
    from openpyxl.utils import get_column_letter
    from gxaudit.core.export.xlsx import FINDING_COLUMNS, export_workbook
    wb = openpyxl.load_workbook(workbook)
    ws = wb["问题清单"]
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert "$A$1:$O$" in str(ws.print_area)       # 定位 (a link) and the hidden id not printed
    printed = sum(w for _, w in FINDING_COLUMNS[:15])
    assert printed <= 170                        # landscape A4 holds ~150 at 100%: ≥ 85% scale
    col = {c.value: c.column for c in ws[1]}
    for name in ("说明", "涉及单元格", "理由", "批注"):
        assert ws.cell(row=2, column=col[name]).alignment.wrap_text, name
        assert ws.column_dimensions[get_column_letter(col[name])].width >= 10, name
    for name in wb.sheetnames[:-1]:
        m = wb[name].page_margins
        assert m.header < m.top and m.footer < m.bottom, name
    t2 = wb["表二"]
    assert any(str(r).startswith("A1:") for r in t2.merged_cells.ranges)
    assert t2["A1"].alignment.wrap_text and t2.row_dimensions[1].height >= 24
    # A review with no log: no 修改记录 sheet (LibreOffice prints even a hidden one), no link to it.
    fresh = Review(load_report(str(require(SEED_000))))
    assert fresh.log == []
    bare = openpyxl.load_workbook(export_workbook(fresh, tmp_path / "bare.xlsx"))
    assert "修改记录" not in bare.sheetnames
    links = {c.value for row in bare["概要"].iter_rows() for c in row if c.hyperlink}
    assert "修改记录" not in links and "问题清单" in links
    assert wb["修改记录"].sheet_state == "visible" and "$A$1:$I$4" == str(wb["修改记录"].print_area).split("!")[-1]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_no_page_for_an_empty_log(tmp_path):
    """Issue 14 item 14: a review without a single change prints no 修改记录 page."""
    from gxaudit.core.export.xlsx import export_workbook
    pdfplumber = pytest.importorskip("pdfplumber")
    fresh = Review(load_report(str(require(SEED_000))))
    book = export_workbook(fresh, tmp_path / "fresh.xlsx")
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(book)]
    out = subprocess.run(cmd, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    pdf = tmp_path / "pdf" / "fresh.pdf"
    assert pdf.exists(), out.stderr.decode(errors="replace")
    with pdfplumber.open(pdf) as doc:
        heads = [(p.extract_text() or "").split("\n")[0].replace(" ", "") for p in doc.pages]
    assert heads and all(h for h in heads)
    assert not any(h.endswith("修改记录") for h in heads), heads
    assert any(h.endswith("问题清单") for h in heads)
