"""Cell values and label normalisation."""
from __future__ import annotations

import pytest

from gxaudit.core import formats
from gxaudit.core.reconstruct import match_row, section_of
from gxaudit.core.text import normalize_label, parse_value, split_trailing_values


@pytest.mark.parametrize("raw, value, status, unit, note", [
    ("0", 0, "ok", None, None),
    ("3,119", 3119, "ok", None, None),
    ("１２", 12, "ok", None, None),                      # full-width digits
    ("29.313万元", 29.313, "ok", "万元", None),
    ("251000元", 251000, "ok", "元", None),
    ("22（其中修订16件）", 22, "ok", None, "其中修订16件"),
    ("55（含自然失效 29 件）", 55, "ok", None, "含自然失效29件"),
    ("-18", -18, "ok", None, None),
    ("24252.311082", 24252.311082, "ok", None, None),
    ("", None, "blank", None, None),
    ("   ", None, "blank", None, None),
    ("/", None, "placeholder", None, None),
    ("—", None, "placeholder", None, None),
    ("无", None, "placeholder", None, None),
    ("_", None, "placeholder", None, None),           # a dash the OCR reads low in its cell
    ("O", None, "unreadable", None, None),             # OCR letter O is not zero
    ("1O", None, "unreadable", None, None),
    ("三", None, "unreadable", None, None),
])
def test_parse_value(raw, value, status, unit, note):
    pv = parse_value(raw)
    assert (pv.value, pv.status, pv.unit, pv.note) == (value, status, unit, note)
    if isinstance(value, int):
        assert isinstance(pv.value, int)


def test_blank_is_not_zero():
    assert parse_value("").value is None and parse_value("0").value == 0


@pytest.mark.parametrize("text, norm", [
    ("結轉下年度繼續辦理", "结转下年度继续办理"),              # 繁体
    ("3.危及“三安全一稳定”", "3.危及三安全一稳定"),            # quotes
    ("（七）总计", "(七)总计"),                                  # brackets
    ("本年増/減", "本年增/减"),                                  # OCR glyph variants
    ("⻓期 ⽬标", "长期目标"),                                   # Kangxi and radical block
    ("法 律 服 务\n机构", "法律服务机构"),
])
def test_normalize_label(text, norm):
    assert normalize_label(text) == norm


@pytest.mark.parametrize("label, key", [
    ("(三)不予公开1.属于国家秘密", "withheld_state_secret"),
    ("三、本4年度(一)予以公开", "granted"),
    ("(二)部分公开不计其他情形)", "partly_granted"),
    ("本年新收政府信,", "new_received"),
    ("5.要求行政机关确认或重新出具已获取信息", "declined_reconfirm"),
    ("(六)其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
    ("3.其他", "other_misc"),
    ("(七)总计", "total_processed"),
    ("四、結轉下年度繼續辦理", "carried_forward"),
    ("2.其他法律行政止公开", "withheld_law_prohibited"),   # Hongze's clipped text layer
])
def test_match_t3_rows(label, key):
    row = match_row(normalize_label(label), formats.T3_2021.rows)
    assert row is not None and row.key == key


def test_unknown_label_matches_nothing():
    assert match_row(normalize_label("法人或其他组织"), formats.T3_2021.rows) is None
    assert match_row(normalize_label("申请人情况"), formats.T3_2021.rows) is None


def test_a_label_naming_several_rows_in_separate_places_matches_none():
    """Three rows' labels in one cell (a scan's lines between them lost,
    with the block label 「（四）无法提供」 read into them): the figures beside
    them belong to one of those rows, and no label says which.  The longest
    phrase had taken them for 2.没有现成信息需要另行制作, a row early."""
    merged = "1.本机关不掌握相关政府信息(四2.没有现成信息需要)无另行制作法提供3.补正后申请内容仍不明确"
    assert match_row(normalize_label(merged), formats.T3_2021.rows) is None
    # one row's label with a block label beside it still names that row
    row = match_row(normalize_label("（四）无法提供1.本机关不掌握相关政府信息"), formats.T3_2021.rows)
    assert row is not None and row.key == "unavailable_not_held"


@pytest.mark.parametrize("line, section", [
    ("二、主动公开政府信息情况", "t2"),
    ("## 三、收到和处理政府信息公开申请情况", "t3"),
    ("四、政府信息公开行政复议、行政诉讼情况", "t4"),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "t4"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "s5"),
    ("六、其他需要报告的事项", "s6"),
    ("四、结转下年度继续办理", None),
    ("二、上年结转政府信息公开申请数量", None),
    ("三、主动公开工作情况", None),
])
def test_section_headings(line, section):
    assert section_of(normalize_label(line)) == section


def test_split_trailing_values():
    assert split_trailing_values("一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119") == (
        "一、本年新收政府信息公开申请数量", ["3001", "53", "0", "0", "61", "4", "3119"])
    assert split_trailing_values("上年结转 189 件）") == ("上年结转 189 件）", [])


def test_the_gb2312_shortcut_matches_opencc_on_every_gb2312_character():
    """to_simplified leaves OpenCC out for text in GB2312 without the
    characters t2s changes; this holds that list to the installed OpenCC."""
    import opencc

    from gxaudit.core.text import _T2S_IN_GB2312
    t2s = opencc.OpenCC("t2s")
    hanzi = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                hanzi.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(hanzi) == 6763
    assert {ch for ch in hanzi if t2s.convert(ch) != ch} == _T2S_IN_GB2312


@pytest.mark.parametrize("text, simplified", [
    ("政府信息公开申请情况", "政府信息公开申请情况"),        # GB2312 only: no OpenCC
    ("政府信息公開申請情況", "政府信息公开申请情况"),        # 繁体
    ("於2024年", "于2024年"),                           # a GB2312 character t2s changes
    ("依申請公開後", "依申请公开后"),
])
def test_to_simplified_with_and_without_opencc(text, simplified):
    from gxaudit.core.text import to_simplified
    assert to_simplified(text) == simplified
