"""Figures stated in the narrative: which table figure a number in a sentence
claims to be, and whether the sentence speaks about this table's scope.

A *mention* is a keyword of domain.md §5.5 ("受理…申请", "办结", "予以公开及
部分公开", "行政复议", …) with the number it states ("258件").  The scope
filter drops what is not this table's figure: a whole district or city, another
body speaking for the agency, last year, a change between years, a sub-count
("其中…"); a number the filter is unsure of is dropped too — the rules say
nothing rather than something wrong.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# (what, keyword pattern).  Order matters: the longer phrase first.
_KEYWORDS = (
    ("granted_partly", r"(?:予以公开|同意公开|全部公开)(?:及|和|与|或)部分公开|公开(?:及|和)部分公开"),
    ("carried_over", r"上一?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?"),
    ("carried_forward", r"(?:结转|转入|转至|顺延至?|转)(?:到|至)?下一?年度?(?:继续)?(?:办理|答复)?(?:答复)?(?:的有)?"),
    ("granted", r"(?:予以公开|同意公开|全部公开)(?:答复)?(?:的)?"),
    ("partly", r"部分公开(?:答复)?(?:的)?"),
    ("withheld", r"不予公开(?:答复)?(?:的)?"),
    ("unavailable", r"无法提供(?:的)?"),
    ("declined", r"不予处理(?:的)?"),
    ("other", r"其他处理(?:的)?"),
    ("received", r"(?:新收|收到|受理|接收|接到)[^\d，,；;。]{0,16}?申请(?:数|数量)?(?:共计|共|为|达)?|"
                 r"(?:处理|办理)依申请公开(?:申请)?(?:共计|共)?"),
    ("processed", r"(?:办结|答复|办理完毕|办理完成|共办理)(?:政府信息公开)?(?:申请)?(?:共计|共)?"),
    ("review", r"(?:被申请)?行政复议(?:案件)?(?:数)?(?:共计|共|为)?"),
    ("suit", r"(?:被提起)?行政诉讼(?:案件)?(?:数)?(?:共计|共|为)?"),
    ("in_force_docs", r"现行有效(?:的)?(?:行政)?规范性文件(?:共计|共|为)?"),
    ("in_force_regs", r"现行有效(?:的)?规章(?:共计|共|为)?"),
)
_UNIT = r"(?:件|起|宗|个)"
_NUM = r"(?P<num>\d[\d,]*)\s*" + _UNIT
_FORWARD = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _KEYWORDS))
# "另有 103 件顺延到下年度", "有 1 件涉及政府信息公开工作的行政复议"
_BACKWARD = (
    ("carried_forward", re.compile(r"(?P<num>\d[\d,]*)\s*件(?:申请)?(?:顺延|结转|转入|转至|转)(?:到|至)?下一?年")),
    ("review", re.compile(r"有\s*(?P<num>\d[\d,]*)\s*(?:件|起)[^，,；;。\d]{0,14}?行政复议")),
    ("suit", re.compile(r"有\s*(?P<num>\d[\d,]*)\s*(?:件|起)[^，,；;。\d]{0,14}?行政诉讼")),
)
_PCT = re.compile(r"^\s*[（(]?\s*(?:占[^\d，,；;。]{0,10}?|比例为|比重为)?(?P<pct>\d+(?:\.\d+)?)\s*[%％]")
_CLAUSE_END = "，,；;。！？!?"

# Another scope than this table's.
SCOPE_OTHER = re.compile(
    r"全区|全市|全县|全省|全镇|全乡|全州|全旗|全街道|全系统|各部门|各单位|各级|各乡镇|各街道|各区|各县|"
    r"区直|市直|县直|下属|所属|系统内|代表|指导|督促|备案|审理|作为复议机关|复议机关|应诉|乡镇|街道办")
_COMPARE = re.compile(r"上年|去年|上一年|同比|环比|较|比上|增长|下降|增加|减少|上升|提高|降低|持平|翻")
_SUBCOUNT = re.compile(r"其中|包括|含")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_JOINED = re.compile(r"(?:复议|诉讼)(?:和|及|、|与|或)$")


@dataclass
class Mention:
    what: str            # a key of _KEYWORDS
    stated: int
    start: int           # where the keyword starts in the sentence text
    pct: float | None = None
    pct_decimals: int = 0


def _int(s: str) -> int | None:
    try:
        return int(s.replace(",", ""))
    except ValueError:
        return None


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in _CLAUSE_END:
        i -= 1
    return i


def _scoped_out(text: str, what: str, kw_start: int, kw_end: int, year: int | None) -> bool:
    """True when the figure at ``kw_start`` is about another scope."""
    before_clause = text[_clause_start(text, kw_start):kw_start]
    sentence_before = text[:kw_start]
    if SCOPE_OTHER.search(sentence_before):
        return True
    if _COMPARE.search(before_clause.replace("上年度结转", "").replace("上年结转", "")):
        return True
    years = [int(y) for y in _YEAR.findall(before_clause)]
    if year is not None and any(y != year for y in years):
        return True
    if what in ("received", "processed", "review", "suit") and _SUBCOUNT.search(before_clause):
        return True
    if what in ("review", "suit") and (_JOINED.search(text[:kw_start]) or
                                      re.match(r"(?:和|及|、|与)(?:行政)?(?:复议|诉讼)", text[kw_end:])):
        return True          # "行政复议、行政诉讼案件 74 件": one number for both
    return False


def _pct_after(text: str, end: int) -> tuple[float | None, int]:
    m = _PCT.match(text[end:end + 16])
    if not m:
        return None, 0
    p = m["pct"]
    return float(p), len(p.split(".")[1]) if "." in p else 0


def mentions(text: str, year: int | None = None, prior_context: str = "") -> list[Mention]:
    """The table figures a sentence states, in this table's scope only.
    ``prior_context``: the paragraph's sentences before this one (a subject
    named there, "全县…；共办理 718 件", still holds)."""
    if SCOPE_OTHER.search(prior_context):
        return []
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _FORWARD.finditer(text):
        what = m.lastgroup
        n = re.match(r"\s*" + _NUM, text[m.end():])
        if n is None or _scoped_out(text, what, m.start(), m.end(), year):
            continue
        value = _int(n["num"])
        if value is None:
            continue
        end = m.end() + n.end()
        pct, dec = _pct_after(text, end)
        out.append(Mention(what, value, m.start(), pct, dec))
        taken.append((m.start(), end))
    for what, rx in _BACKWARD:
        for m in rx.finditer(text):
            if any(a <= m.start("num") < b for a, b in taken):
                continue
            if _scoped_out(text, what, m.start(), m.end(), year):
                continue
            value = _int(m["num"])
            if value is not None:
                out.append(Mention(what, value, m.start()))
    return sorted(out, key=lambda x: x.start)
