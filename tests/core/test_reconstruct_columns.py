"""Header-driven column placement in reconstruction (any reader's grid rows).

Documents are built by hand in the shape the PDF/DOCX/HTML readers give:
one Span per grid cell, merged continuations marked, blank cells in place.
"""
from __future__ import annotations

from gxaudit.core.document import Document, Row, Span
from gxaudit.core.reconstruct import reconstruct

T3 = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
      "total"]
T4 = ["upheld", "corrected", "other", "pending", "total"]
M = None  # a merged continuation cell


def grid(texts, table=0, x0=100.0, width=40.0, top=0.0):
    cells = []
    for i, t in enumerate(texts):
        box = (x0 + i * width, top, x0 + (i + 1) * width, top + 10)
        cells.append(Span("", 1, box, merged=True) if t is M else Span(t, 1, box))
    return Row(cells, page=1, grid=True, table=table)


def t3_doc(header2, header3, rows, extra_rows=()):
    doc = Document(kind="pdf", path="mem.pdf", pages=1)
    doc.line("某某局2023年政府信息公开工作年度报告")
    doc.line("三、收到和处理政府信息公开申请情况")
    doc.rows.append(grid(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", M, M,
                          "申请人情况"] + [M] * (len(header2) - 4)))
    doc.rows.append(grid(header2))
    doc.rows.append(grid(header3))
    for r in rows:
        doc.rows.append(grid(r))
    for r in extra_rows:
        doc.rows.append(r)
    doc.line("四、政府信息公开行政复议、行政诉讼情况")
    return doc


H2 = [M, M, M, "自然人", "法人或其他组织", M, M, M, M, "总计"]
H3 = [M, M, M, M, "商业\n企业", "科研\n机构", "社会\n公益\n组织", "法律\n服务\n机构", "其他", M]


def test_blank_value_stays_in_its_column_when_a_label_cell_is_empty():
    # （六）其他处理 with an empty sub-label cell AND a blank value: 8 cells after
    # the label, 6 of them numbers.  By position, 商业企业 is blank (not shifted).
    doc = t3_doc(H2, H3, [
        ["一、本年新收政府信息公开申请数量", M, M, "5", "", "0", "0", "0", "0", "5"],
        [M, "（六）其他处理", "", "1", "", "0", "0", "0", "0", "1"],
    ])
    report = reconstruct(doc)
    got = [report.cells[f"t3.new_received.{c}"] for c in T3]
    assert [c.value for c in got] == [5, None, 0, 0, 0, 0, 5]
    assert got[1].status == "blank"
    other = [report.cells[f"t3.other.{c}"] for c in T3]
    assert [c.value for c in other] == [1, None, 0, 0, 0, 0, 1]
    assert other[1].status == "blank"
    assert other[0].bbox == doc.rows[-2].cells[3].bbox


def test_extra_subtotal_column_is_ignored_by_header_text():
    h2 = [M, M, M, "自然人", "法人或其他组织", M, M, M, M, M, "总计"]
    h3 = [M, M, M, M, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "法人小计", M]
    doc = t3_doc(h2, h3, [
        ["一、本年新收政府信息公开申请数量", M, M, "7", "2", "0", "1", "0", "0", "3", "10"],
    ])
    report = reconstruct(doc)
    assert [report.cells[f"t3.new_received.{c}"].value for c in T3] == [7, 2, 0, 1, 0, 0, 10]


def test_without_a_usable_header_a_mismatch_is_unreadable_not_shifted():
    # The header names no columns: 8 cells for 7 columns with one blank cannot be placed.
    doc = t3_doc([M, M, M, "甲", "乙", M, M, M, M, "丙"], [M] * 10, [
        [M, "（六）其他处理", "", "1", "", "0", "0", "0", "0", "1"],
    ])
    report = reconstruct(doc)
    cells = [report.cells[f"t3.other.{c}"] for c in T3]
    assert all(c.status == "unreadable" and c.value is None for c in cells)


def test_continuation_after_page_break_with_other_widths_maps_by_x():
    # The table goes on in a new (narrower-gridded) table: same x positions.
    # Its label area is split in two cells, one of them empty, and 商业企业 is
    # blank: 8 cells after the label for 7 columns, so only positions can tell.
    cont = Row([Span("2.没有现成信息需要另行制作", 2, (100, 0, 180, 10)),
                Span("", 2, (180, 0, 220, 10)),
                ] + [Span(v, 2, (100 + (3 + i) * 40.0, 0, 100 + (4 + i) * 40.0, 10))
                     for i, v in enumerate(["3", "", "0", "0", "0", "0", "3"])],
               page=2, grid=True, table=1)
    assert len(cont.cells) != len(H2)
    doc = t3_doc(H2, H3, [["一、本年新收政府信息公开申请数量", M, M, "3", "0", "0", "0", "0", "0", "3"]],
                 extra_rows=[cont])
    report = reconstruct(doc)
    got = [report.cells[f"t3.unavailable_needs_creation.{c}"] for c in T3]
    assert [c.value for c in got] == [3, None, 0, 0, 0, 0, 3]
    assert got[1].status == "blank" and got[0].page == 2


def test_t4_groups_from_header_spans_keep_a_blank_in_place():
    doc = Document(kind="pdf", path="mem.pdf", pages=1)
    doc.line("某某局2023年政府信息公开工作年度报告")
    doc.line("四、政府信息公开行政复议、行政诉讼情况")
    doc.rows.append(grid(["行政复议", M, M, M, M, "行政诉讼"] + [M] * 9))
    doc.rows.append(grid(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                          "未经复议直接起诉", M, M, M, M, "复议后起诉", M, M, M, M]))
    doc.rows.append(grid([M] * 5 + ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总 计"] * 2))
    doc.rows.append(grid(["1", "", "0", "0", "1", "2", "0", "0", "0", "2", "0", "0", "1", "0", "1"]))
    doc.line("五、存在的主要问题及改进情况")
    report = reconstruct(doc)
    assert [report.cells[f"t4.review.{c}"].value for c in T4] == [1, None, 0, 0, 1]
    assert report.cells["t4.review.corrected"].status == "blank"
    assert [report.cells[f"t4.suit_direct.{c}"].value for c in T4] == [2, 0, 0, 0, 2]
    assert [report.cells[f"t4.suit_after_review.{c}"].value for c in T4] == [0, 0, 1, 0, 1]


# -- rows read from a scan without lines (not grid rows) -------------------------------------------

def _loose(texts, top):
    return Row([Span(t, 1, (100.0 + 40 * i, top, 138.0 + 40 * i, top + 10)) for i, t in enumerate(texts)], page=1)


def _loose_t3(heading_cells, rows):
    doc = Document(kind="pdf-scan", path="mem.pdf", pages=1)
    doc.line("某某局2023年政府信息公开工作年度报告")
    doc.line("二、主动公开政府信息情况")
    doc.rows.append(_loose(heading_cells, 10))
    for i, r in enumerate(rows):
        doc.rows.append(_loose(r, 30 + 12 * i))
    doc.line("四、政府信息公开行政复议、行政诉讼情况")
    return doc


def test_a_heading_with_a_stray_mark_beside_it_still_opens_its_section():
    """A scan read without lines: 「三、收到和处理政府信息公开申请情况」 with a
    piece of a faded ruling line beside it read as "1".  It had not opened
    表三, and every row of 表三 was taken for 表二's (77 of 200 cells of the
    faint WPS fixture scan read now, 1 before)."""
    rows = [["一、本年新收政府信息公开申请数量", "40", "3", "0", "1", "0", "2", "46"]]
    report = reconstruct(_loose_t3(["三、收到和处理政府信息公开申请情况", "1"], rows))
    assert [report.cells[f"t3.new_received.{c}"].value for c in T3] == [40, 3, 0, 1, 0, 2, 46]


def test_a_blank_beside_a_name_with_a_figure_inside_is_not_blank():
    """「…行政机关不再处0理其政府信息公开申请」 with its first cell blank: the 0
    was that cell's, read into the name (a scan's column line lost).  The
    blank is flagged, never taken as blank; the figures read stay."""
    rows = [["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处0理其政府信息公开申请",
             "", "0", "0", "0", "0", "0", "0"]]
    doc = t3_doc(["（本列）", M, M, "自然人", "法人或其他组织", M, M, M, M, "总计"],
                 [M, M, M, M, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", M],
                 [[M, M] + r for r in rows])
    report = reconstruct(doc)
    first = report.cells["t3.other_unpaid_fee.natural_person"]
    assert first.status == "unreadable" and "夹有数字“0”" in first.reason
    assert report.cells["t3.other_unpaid_fee.commercial"].value == 0


def _t2_doc(lines_then_rows):
    doc = Document(kind="pdf-scan", path="mem.pdf", pages=1)
    doc.line("某某局2023年政府信息公开工作年度报告")
    doc.line("二、主动公开政府信息情况")
    doc.line("第二十条第（一）项")
    doc.line("信息内容 本年制发件数 本年废止件数 现行有效件数")
    for i, r in enumerate(lines_then_rows):
        doc.rows.append(_loose(r, 30 + 12 * i))
    doc.line("三、收到和处理政府信息公开申请情况")
    return doc


def test_a_figure_glued_to_the_end_of_a_name_leaves_the_row_unplaced():
    """The faint WPS fixture scanned fainter still (lines lifted by 140 grey
    levels): 表二's "行政规范性文件" was read with its first figure glued on
    ("行政规范性文件3"), as a line of its own, and the row of figures under
    it was "1 1 22（其中修订16件）", a remnant of the lost column line read
    as 1 before the true figures.  Named by the line above, that row gave
    本年制发件数 1 where the report prints 3: a silent wrong number.  A name
    ending in a figure (no template row's does) leaves every cell of its
    row flagged, whether the name is the row's own or the line above it."""
    report = reconstruct(_t2_doc([["行政规范性文件3"], ["1", "1", "22（其中修订16件）"]]))
    cells = [report.cells[f"t2.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")]
    assert [c.status for c in cells] == ["unreadable"] * 3
    assert "末尾粘着数字“3”" in cells[0].reason and cells[0].raw == "1"
    report = reconstruct(_t2_doc([["行政规范性文件3", "1", "1", "22"]]))
    assert report.cells["t2.normative_documents.issued"].status == "unreadable"
    report = reconstruct(_t2_doc([["行政规范性文件"], ["3", "1", "22（其中修订16件）"]]))
    assert [report.cells[f"t2.normative_documents.{c}"].value for c in ("issued", "repealed", "in_force")] \
        == [3, 1, 22]
