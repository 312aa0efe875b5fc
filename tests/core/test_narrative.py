"""The narrative: parts and sentences with their places, and the N-, S-, D-,
C- rules, on the real corpus and on variants of real reports made here (one
sentence or line changed), positive and negative for each rule."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gxaudit.core import check_file, load_report
from gxaudit.core.ingest import read_document
from gxaudit.core.narrative import build, check as narrative_check
from gxaudit.core.narrative.index import SeasonIndex
from gxaudit.core.narrative.rules_d import deadline_for
from gxaudit.core.rules import check
from tests.conftest import CORPUS, SEED_000, SEED_003, require

HONGZE_23 = CORPUS / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"
HONGZE_24 = CORPUS / "jiangsu_huaian_hongze-district-gov_2024_annual-report.pdf"
HUAIAN = CORPUS / "jiangsu_huaian-city-gov_2024_annual-report.pdf"
SHUYANG = CORPUS / "jiangsu_suqian_shuyang-county-gov_2025_annual-report_ocr-markdown.txt"
SH_OFFICE = CORPUS / "shanghai_municipal-govt-general-office_2025_annual-report_pdf-text-markdown.md"
STCSM = CORPUS / "shanghai_stcsm-science-tech-commission_2024_annual-report_pdf-text-markdown.md"
TEMPLATE = CORPUS / "template_2021-format_blank.docx"
FAMILIES = ("N-", "S-", "D-", "C-")


def text_findings(findings):
    return [f for f in findings if f.rule.startswith(FAMILIES)]


def summary(findings):
    return sorted((f.rule, (f.evidence or {}).get("section")) for f in text_findings(findings))


def variant(tmp_path: Path, src: Path, *edits, name: str | None = None) -> Path:
    """A copy of a real text report with ``(old, new)`` replacements (each must hit once)."""
    text = require(src).read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    out = tmp_path / (name or src.name)
    out.write_text(text, encoding="utf-8")
    return out


def seed_with(tmp_path, sentence: str, name="seed.txt") -> Path:
    """Seed 000 with one sentence added to part 一."""
    anchor = "（一）主动公开。"
    return variant(tmp_path, SEED_000, (anchor, sentence + "\n" + anchor), name=name)


# ---------------------------------------------------------------------------
# The narrative as a document
# ---------------------------------------------------------------------------

def test_parts_and_places_in_a_pdf():
    nar = load_report(str(require(HONGZE_24))).narrative
    assert [s.number for s in nar.sections] == list("一二三四五六")
    assert [s.page for s in nar.sections] == [1, 2, 3, 4, 4, 5]
    s = next(s for s in nar.sentences if "2025 年我们将切实抓好" in s.text)
    assert (s.section, s.page) == ("五", 4)
    x0, top, x1, bottom = s.bbox
    assert 70 < x0 < 110 and 600 < top < 700 and x1 > 500 and bottom > top


def test_parts_and_lines_in_text():
    nar = load_report(str(require(SH_OFFICE))).narrative
    assert [(s.number, s.line) for s in nar.sections] == [("一", 15), ("二", 77), ("三", 103), ("四", 171),
                                                          ("六", 214)]
    s = next(s for s in nar.sentences if "予以公开及部分公开" in s.text)
    assert (s.section, s.line, s.view_line) == ("一", 39, 39)
    assert "予以公开及部分公开 208 件" in s.text       # wrapped lines joined, whitespace kept as one space


def test_docx_parts_and_paragraph_anchors():
    nar = build(read_document(str(require(TEMPLATE))))
    assert [s.number for s in nar.sections] == list("一二三四五六")
    assert nar.section("六").text == "（文字描述，收取信息处理费情况在此处报告。）"
    assert all(s.anchor and s.anchor.startswith("paragraph ") for s in nar.sentences if s.section)


def test_parts_numbered_as_sub_topics_are_not_parts():
    """上海市科委 2024 numbers sub-topics of 总体情况 like parts, then restarts."""
    nar = load_report(str(require(STCSM))).narrative
    assert [(s.written, s.number) for s in nar.sections] == [("一", "一"), ("一", "二"), ("二", "三"),
                                                             ("三", "四"), ("五", "六")]


def test_narrative_survives_a_review_file_and_the_library(tmp_path):
    from gxaudit.core.history import Library
    rep = load_report(str(require(SH_OFFICE)))
    lib = Library(tmp_path / "lib.sqlite3")
    lib.add(rep)
    back = lib.load(lib.entries()[0])
    assert back.narrative.sections == rep.narrative.sections
    assert back.narrative.sentences == rep.narrative.sentences


# ---------------------------------------------------------------------------
# The corpus: every narrative finding, and nothing else
# ---------------------------------------------------------------------------

CORPUS_EXPECTED = {
    HONGZE_23: [],
    HONGZE_24: [],     # "区政府办代表区政府受理…17 件" is another scope than table 三's 95
    HUAIAN: [("S-FEE", "六")],
    SHUYANG: [("S-FEE", "六")],
    SH_OFFICE: [("S-PARTS", "五")],
    STCSM: [("N-ALL", "一"), ("S-ORDER", "二"), ("S-PARTS", "五")],
    SEED_000: [],
    SEED_003: [],
}


@pytest.mark.parametrize("path", list(CORPUS_EXPECTED), ids=lambda p: p.name[:40])
def test_corpus_narrative_findings(path):
    report, findings = check_file(str(require(path)))
    assert summary(findings) == sorted(CORPUS_EXPECTED[path])
    for f in text_findings(findings):
        assert f.evidence is not None and f.evidence["text"]
        assert set(f.evidence) >= {"section", "text", "stated", "page", "bbox", "line"}


def test_stcsm_all_done_against_carried_forward():
    _, findings = check_file(str(require(STCSM)))
    f = next(f for f in findings if f.rule == "N-ALL")
    assert f.cells == ["t3.carried_forward.natural_person"]
    assert f.evidence["line"] == 42 and "所有申请均已按要求办理完成" in f.evidence["text"]


def test_huaian_figures_agree_and_fee_notices_missing():
    _, findings = check_file(str(require(HUAIAN)))
    f = next(f for f in findings if f.rule == "S-FEE")
    assert (f.expected, f.actual, f.evidence["page"]) == (6, None, 6)
    assert "3940 元" in f.evidence["text"]
    # Page 6 has no table: the box comes from the page's text layer, two lines high.
    x0, top, x1, bottom = f.evidence["bbox"]
    assert 70 < x0 < 90 and 380 < top < 410 and x1 > 500 and 25 < bottom - top < 60


def test_real_consecutive_years_are_not_copies():
    prior = load_report(str(require(HONGZE_23)))
    report = load_report(str(require(HONGZE_24)))
    assert [f for f in check(report, prior) if f.rule.startswith("C-")] == []


# ---------------------------------------------------------------------------
# N-: a changed number is found at its sentence, and nothing else changes
# ---------------------------------------------------------------------------

def test_changed_number_found_at_its_sentence_only(tmp_path):
    _, before = check_file(str(require(SH_OFFICE)))
    changed = variant(tmp_path, SH_OFFICE, ("分公开 208 件", "分公开 258 件"))
    _, after = check_file(str(changed))
    new = [f for f in after if f.id not in {g.id for g in before}]
    assert [g.id for g in before if g.id not in {f.id for f in after}] == []
    assert len(new) == 1
    f = new[0]
    assert (f.rule, f.expected, f.actual, f.cells) == ("N-GRANTED", 208, 258,
                                                       ["t3.granted.total", "t3.partly_granted.total"])
    assert (f.evidence["section"], f.evidence["line"], f.evidence["stated"]) == ("一", 39, 258)
    assert "258" in f.evidence["text"]


def test_changed_percentage(tmp_path):
    changed = variant(tmp_path, SH_OFFICE, ("208 件（17.46%）", "208 件（27.46%）"))
    new = [f for f in check_file(str(changed))[1] if f.rule.startswith("N-")]
    assert [(f.rule, f.actual, f.expected) for f in new] == [("N-PERCENT", 27.46, 17.46)]


@pytest.mark.parametrize("sentence, rule, stated", [
    ("本年度共收到政府信息公开申请5件。", "N-RECEIVED", 5),
    ("全年予以公开及部分公开5件。", "N-GRANTED", 5),
    ("无法提供的4件。", "N-UNAVAILABLE", 4),
    ("本机关被申请行政复议2件。", "N-REVIEW", 2),
])
def test_narrative_number_positive(tmp_path, sentence, rule, stated):
    _, findings = check_file(str(seed_with(tmp_path, sentence)))
    found = [f for f in text_findings(findings)]
    assert [(f.rule, f.actual) for f in found] == [(rule, stated)]
    assert found[0].evidence["text"] == sentence and found[0].evidence["line"] == 11


@pytest.mark.parametrize("sentence", [
    "本年度共收到政府信息公开申请3件。",                 # agrees with 新收
    "全年予以公开2件，无法提供1件。",                     # agree
    "全区共收到政府信息公开申请95件。",                   # the whole district
    "区政府办代表区政府受理政府信息公开申请17件。",       # another body
    "2020年共收到政府信息公开申请7件。",                  # last year
    "本年度收到的政府信息公开申请比上年增加2件。",        # a change between years
    "其中通过网络收到申请2件。",                          # a sub-count
    "全县行政复议、行政诉讼案件共74件。",                 # one number for two tables, another scope
    "行政复议、行政诉讼案件2件。",                        # one number for both
])
def test_narrative_number_negative(tmp_path, sentence):
    _, findings = check_file(str(seed_with(tmp_path, sentence)))
    assert [f for f in findings if f.rule.startswith("N-")] == []


def test_all_upheld_against_table_four(tmp_path):
    path = variant(tmp_path, SHUYANG, ("## 五、政府信息公开工作存在的主要问题及改进情况",
                                       "本机关被申请行政复议的案件均获维持。\n\n## 五、政府信息公开工作存在的主要问题及改进情况"))
    f = next(f for f in check_file(str(path))[1] if f.rule == "N-ALL")
    assert set(f.cells) == {"t4.review.corrected", "t4.review.pending", "t4.suit_after_review.pending"}
    assert f.evidence["section"] == "四"


def test_all_upheld_holds_on_a_clean_table(tmp_path):
    _, findings = check_file(str(seed_with(tmp_path, "本年度行政复议、行政诉讼案件均获维持。")))
    assert text_findings(findings) == []


def test_review_count_in_part_four(tmp_path):
    path = variant(tmp_path, SHUYANG, ("## 五、政府信息公开工作存在的主要问题及改进情况",
                                       "本机关被申请行政复议60件。\n\n## 五、政府信息公开工作存在的主要问题及改进情况"))
    f = next(f for f in check_file(str(path))[1] if f.rule == "N-REVIEW")
    assert (f.expected, f.actual, f.cells) == (61, 60, ["t4.review.total"])


# ---------------------------------------------------------------------------
# S-
# ---------------------------------------------------------------------------

def test_missing_part_five(tmp_path):
    path = variant(tmp_path, SEED_000, ("五、存在的主要问题及改进情况\n", ""))
    found = text_findings(check_file(str(path))[1])
    assert [(f.rule, f.evidence["section"]) for f in found] == [("S-PARTS", "五")]
    assert "相关内容见于“四”部分之中" in found[0].message


def test_part_numbered_twice(tmp_path):
    path = variant(tmp_path, SEED_000, ("六、其他需要报告的事项", "五、其他需要报告的事项"))
    found = text_findings(check_file(str(path))[1])
    assert [f.rule for f in found] == ["S-ORDER"]
    assert "一、二、三、四、五、五" in found[0].message and found[0].evidence["line"] == 404


@pytest.mark.parametrize("text", ["无。", "（文字描述）", "工作有待加强。"])
def test_part_five_says_nothing(tmp_path, text):
    src = require(SEED_000).read_text(encoding="utf-8").splitlines()
    i = src.index("五、存在的主要问题及改进情况")
    out = tmp_path / "seed.txt"
    out.write_text("\n".join(src[:i + 1] + [text] + src[i + 3:]) + "\n", encoding="utf-8")
    found = text_findings(check_file(str(out))[1])
    assert [f.rule for f in found] == ["S-PROBLEMS"]


def test_fee_statement_agrees(tmp_path):
    old = "全县行政机关在办理2025年度信息公开申请中收取信息处理费共计380元，其中民政局1件，收取380元。"
    ok = variant(tmp_path, SHUYANG, (old, "本年度发出收费通知8件，通知金额共计3040元，实际收取信息处理费380元。"),
                 name="ok.txt")
    assert text_findings(check_file(str(ok))[1]) == []
    over = variant(tmp_path, SHUYANG, (old, "本年度发出收费通知8件，通知金额共计300元，实际收取信息处理费380元。"),
                   name="over.txt")
    found = text_findings(check_file(str(over))[1])
    assert [(f.rule, f.expected, f.actual) for f in found] == [("S-FEE", 300.0, 380.0)]
    few = variant(tmp_path, SHUYANG, (old, "本年度发出收费通知3件。"), name="few.txt")
    found = text_findings(check_file(str(few))[1])
    assert [(f.rule, f.expected, f.actual) for f in found] == [("S-FEE", 7, 3)]


# ---------------------------------------------------------------------------
# D-
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", ["2020年，我局主动公开政府信息200条。", "2020年共收到政府信息公开申请7件。"])
def test_stray_year(tmp_path, sentence):
    found = text_findings(check_file(str(seed_with(tmp_path, sentence)))[1])
    assert [(f.rule, f.expected, f.actual) for f in found] == [("D-STRAY", 2021, 2020)]


@pytest.mark.parametrize("sentence", ["主动公开信息较2020年增长10%。", "2022年，我局将进一步加强公开工作。",
                                      "2020年以来，我局持续推进政务公开。"])
def test_no_stray_year(tmp_path, sentence):
    assert text_findings(check_file(str(seed_with(tmp_path, sentence)))[1]) == []


def test_signed_in_the_report_year(tmp_path):
    path = variant(tmp_path, SEED_000, ("2022年1月24日", "2021年1月24日"))
    found = text_findings(check_file(str(path))[1])
    assert [(f.rule, f.actual) for f in found] == [("D-SIGN", 2021)]


def test_deadline_from_data_and_user_override(tmp_path, monkeypatch):
    path = variant(tmp_path, SEED_000, ("2022年1月24日", "2022年2月24日"))
    found = text_findings(check_file(str(path))[1])
    assert [f.rule for f in found] == ["D-DEADLINE"] and "2022-01-31" in found[0].message
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "deadlines.json").write_text(json.dumps({
        "default": {"department": "01-31", "government": "03-31"},
        "rules": [{"agency": "^台儿庄区", "deadline": "02-28", "note": "台儿庄区（示例）"}]}), encoding="utf-8")
    monkeypatch.setenv("GXAUDIT_CONFIG_DIR", str(conf))
    assert text_findings(check_file(str(path))[1]) == []
    assert str(deadline_for(load_report(str(path)))[0]) == "2022-02-28"


def test_html_page_published_late(tmp_path):
    from tests.conftest import FIXTURES
    src = FIXTURES / "fx2021.html"
    raw = require(src).read_bytes().decode("utf-8")
    assert raw.count("发布时间：2024-01-25") == 1
    late = tmp_path / "late.html"
    late.write_text(raw.replace("发布时间：2024-01-25", "发布时间：2024-02-26"), encoding="utf-8")
    found = text_findings(check_file(str(late))[1])
    assert [f.rule for f in found] == ["D-DEADLINE"]
    assert "网页发布日期 2024-02-26" in found[0].message and "2024-01-31" in found[0].message
    assert text_findings(check_file(str(require(src)))[1]) == []


def test_pdf_modified_after_deadline(tmp_path, monkeypatch):
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter(clone_from=PdfReader(str(require(HONGZE_24))))
    w.add_metadata({"/CreationDate": "D:20250115100000+08'00'", "/ModDate": "D:20250410100000+08'00'"})
    out = tmp_path / "hongze.pdf"
    with open(out, "wb") as fh:
        w.write(fh)
    found = text_findings(check_file(str(out))[1])
    assert [f.rule for f in found] == ["D-MODIFIED"]
    assert "2025-04-10" in found[0].message and "2025-03-31" in found[0].message
    # Created on time, not changed: nothing.
    assert text_findings(check_file(str(require(HONGZE_24)))[1]) == []


# ---------------------------------------------------------------------------
# C-
# ---------------------------------------------------------------------------

def test_part_five_copied_from_last_year(tmp_path):
    prior_path = variant(tmp_path, SEED_000, ("2022年1月24日", "2021年1月22日"), name="prior.txt")
    prior = load_report(str(prior_path))
    report = load_report(str(require(SEED_000)))
    found = [f for f in check(report, prior) if f.rule == "C-PROBLEMS"]
    assert len(found) == 1
    f = found[0]
    assert f.evidence["section"] == "五" and f.evidence["similarity"] >= 0.9
    assert f.evidence["other"]["path"] == str(prior_path) and f.evidence["other"]["text"]
    assert "改进措施与上年相同" in f.message


def test_part_five_rewritten_is_not_a_copy(tmp_path):
    src = require(SEED_000).read_text(encoding="utf-8").splitlines()
    i = src.index("五、存在的主要问题及改进情况")
    new = ("本年度依申请公开答复文书格式不统一，个别答复未告知救济途径；主动公开目录更新滞后两个月。"
           "下一步将制定答复文书范本并开展专项培训，每季度核查公开目录，责任落实到科室。")
    out = tmp_path / "prior.txt"
    out.write_text("\n".join(src[:i + 1] + [new] + src[i + 3:]) + "\n", encoding="utf-8")
    prior = load_report(str(out))
    report = load_report(str(require(SEED_000)))
    assert [f for f in check(report, prior) if f.rule in ("C-PROBLEMS",)] == []


def test_paragraph_of_another_agency(tmp_path):
    seed = require(SEED_000).read_text(encoding="utf-8").splitlines()
    para = seed[seed.index("五、存在的主要问题及改进情况") + 2]
    copied = variant(tmp_path, SH_OFFICE, ("（二）2025 年工作中存在的主要问题", para + "\n\n（二）2025 年工作中存在的主要问题"))
    reports = [load_report(str(require(SEED_000))), load_report(str(copied)), load_report(str(require(HONGZE_24)))]
    index = SeasonIndex(reports)
    dups = index.duplicates()
    assert [(d.a[0], d.b[0]) for d in dups] == [(0, 1)] or [(d.b[0], d.a[0]) for d in dups] == [(0, 1)]
    found = index.findings_for(1)
    assert [f.rule for f in found] == ["C-OTHER"]
    assert found[0].evidence["other"]["agency"] == "台儿庄区人力资源和社会保障局"
    assert index.findings_for(2) == []


def test_an_agencys_own_last_report_is_not_another_agency():
    """Hongze's 2023 report calls it 洪泽区人民政府, its 2024 report
    淮安市洪泽区人民政府: one agency (the library pairs them as last year's
    report).  Its paragraphs kept from 2023 had been C-OTHER, "与洪泽区人民政府
    2023年报告中的一段相同", as if another agency's."""
    reports = [load_report(str(require(HONGZE_24))), load_report(str(require(HONGZE_23)))]
    assert reports[0].agency != reports[1].agency
    index = SeasonIndex(reports)
    assert index.duplicates() == []
    assert index.findings_for(0) == []


# ---------------------------------------------------------------------------
# JSON: evidence, sections, anchors
# ---------------------------------------------------------------------------

def test_json_sections_and_evidence():
    from gxaudit.core.export.json import report_document
    report, findings = check_file(str(require(STCSM)))
    doc = report_document(report, findings)
    assert [s["number"] for s in doc["sections"]] == ["一", "二", "三", "四", "六"]
    assert doc["sections"][0] == {"number": "一", "title": "一、总体情况", "page": None, "line": 13,
                                  "chars": doc["sections"][0]["chars"]}
    f = next(f for f in doc["findings"] if f["rule"] == "N-ALL")
    assert f["evidence"]["line"] == 42 and f["evidence"]["section"] == "一"
    assert all("evidence" not in f for f in doc["findings"] if f["rule"].startswith("T"))


@pytest.mark.parametrize("name, anchor", [
    ("fx2021.docx", "table 1 / row 3 / cell 2"),
    ("fx2021.html", "table[1]/tr[3]/td[2]"),
])
def test_cell_anchors(name, anchor):
    from gxaudit.core.export.json import report_document
    from tests.conftest import FIXTURES
    report, findings = check_file(str(require(FIXTURES / name)))
    cells = report_document(report, findings)["cells"]
    assert cells["t2.regulations.issued"]["anchor"] == anchor
    assert all(c["anchor"] for c in cells.values() if c["status"] != "blank" or c["raw"])
    assert report.narrative.places[anchor] >= 1


@pytest.mark.parametrize("name", ["fx2021_tw.docx", "fx2021_tw.html", "fx2021_tw.pdf", "fx2021.docx",
                                  "fx2019.html", "fx2021_split.pdf"])
def test_fixtures_have_six_parts_and_no_text_finding(name):
    """繁體 text is read as 简体 by the rules (no S-PROBLEMS on a specific 五)."""
    from tests.conftest import FIXTURES
    report, findings = check_file(str(require(FIXTURES / name)))
    assert [s.number for s in report.narrative.sections] == list("一二三四五六")
    assert text_findings(findings) == []


def test_pdf_cells_have_no_anchor():
    report = load_report(str(require(HONGZE_24)))
    assert all(c.anchor is None for c in report.cells.values())


# ---------------------------------------------------------------------------
# Where it shows: the workbook's 正文核对 and 问题清单, the summary PDF
# ---------------------------------------------------------------------------

def test_workbook_narrative_sheet(tmp_path):
    import openpyxl

    from gxaudit.core.export.xlsx import export_workbook
    from gxaudit.core.review import Review
    report = load_report(str(require(STCSM)))
    review = Review(report)
    out = export_workbook(review, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["正文核对"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_col=12)]
    n_all = next(r for r in rows if r[1] == "N-ALL")
    assert n_all[0] == "一" and "所有申请均已按要求办理完成" in n_all[4] and n_all[8] == "第 42 行"
    assert "结转下年度" in n_all[6]
    assert {r[1] for r in rows if r[1]} >= {"N-ALL", "S-PARTS", "S-ORDER"}
    findings_rules = {r[1].value for r in wb["问题清单"].iter_rows(min_row=2)}
    assert {"N-ALL", "S-PARTS", "S-ORDER"} <= findings_rules
    parts = [r[0].value for r in ws.iter_rows() if r[0].value in ("一", "二", "三", "四", "六")
             and r[1].value and str(r[1].value).endswith(("情况", "事项"))]
    assert parts[-5:] == ["一", "二", "三", "四", "六"]


def test_summary_pdf_lists_the_sentence(tmp_path):
    from gxaudit.core.export.summary import summary_pdf_bytes
    from gxaudit.core.review import Review
    report = load_report(str(require(STCSM)))
    review = Review(report)
    data = summary_pdf_bytes(review)
    import io

    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "").replace("\n", "")
    assert "N-ALL" in text and "所有申请均已按要求办理完成" in text


def test_workbook_read_back_keeps_the_text_findings(tmp_path):
    from gxaudit.core import open_report
    from gxaudit.core.export.xlsx import export_workbook
    from gxaudit.core.review import Review
    report = load_report(str(require(STCSM)))
    before = summary(check(report))
    out = export_workbook(Review(report), tmp_path / "out.xlsx")
    back, review = open_report(str(out))
    assert review is not None and back.narrative is not None
    assert summary(check(back)) == before
