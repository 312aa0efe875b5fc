"""S- rules: the six parts present, in order, numbered once; part 五 says
something specific; part 六 states the 信息处理费 and agrees with table 三."""
from __future__ import annotations

import re

from .. import formats
from ..model import WARNING, Finding, Report
from ..text import fmt_number, to_simplified
from .sections import NUMERALS, TITLES, Narrative, Section, compact

MIN_PARTS = 3          # fewer parts found: not a narrative we can judge (an excerpt, a table dump)
_PLACEHOLDER = re.compile(r"^[（(][^）)]*[）)]$")
_NOTHING = re.compile(r"^(?:无|暂无|没有|本年度无|无其他需要报告的事项)[。.]?$")
_SPECIFIC = re.compile(
    r"\d|依申请|解读|网站|新媒体|栏目|目录|平台|答复|培训|指南|基层|标准|数据|专栏|队伍|人员|机制|审核|"
    r"时效|规范|制度|考核|监测|公报|整改|信箱|热线")
_NOTICES = re.compile(r"(?:发出|发送|送达|出具|开具)(?:了)?(?:信息处理费)?收费通知(?:书)?(?:的)?(?:件数|数量)?"
                      r"(?:为|共|共计)?(?P<n>\d+)\s*(?:件|份|次)|收费通知(?:书)?(?P<n2>\d+)\s*(?:件|份)")
_COLLECTED = re.compile(r"(?:实际)?收取[^\d，,。；;]{0,20}?(?:共计|共|为)?(?P<v>\d+(?:\.\d+)?)\s*(?P<u>万元|元)")
_NOTIFIED = re.compile(r"(?:通知|收费通知)(?:的)?总?金额(?:为|共计|共)?(?P<v>\d+(?:\.\d+)?)\s*(?P<u>万元|元)")
_NONE = re.compile(r"未(?:收取|发生|发出|产生)|无收取|没有收取|不收取|无(?:信息处理费)?收费")


def heading_evidence(sec: Section) -> dict:
    return {"section": sec.number, "text": sec.title, "stated": None, "page": sec.page,
            "bbox": None, "line": sec.line}


def _missing(nar: Narrative) -> list[Finding]:
    out = []
    present = {s.number for s in nar.sections}
    for num in NUMERALS:
        if num in present:
            continue
        name = f"{num}、{TITLES[num]}"
        hint = ""
        words = {"五": ("存在的主要问题", "存在问题", "改进情况"), "六": ("信息处理费",)}.get(num, ())
        where = next((s for s in nar.sentences
                      if s.section is not None and s.section != num and any(w in s.plain for w in words)), None)
        if where is not None and where.section:
            hint = f"；相关内容见于“{where.section}”部分之中，可能是标题缺失或编号有误"
        out.append(Finding("S-PARTS", WARNING, [], f"报告中未找到“{name}”部分{hint}",
                           evidence={"section": num, "text": name, "stated": None, "page": None,
                                     "bbox": None, "line": None}))
    return out


def _order(nar: Narrative) -> list[Finding]:
    parts = [s.number for s in nar.sections]
    written = [s.written for s in nar.sections]
    if parts == sorted(parts, key=NUMERALS.index) and written == parts and len(set(written)) == len(written):
        return []
    first = next((s for s in nar.sections if s.written != s.number), nar.sections[0])
    return [Finding("S-ORDER", WARNING, [],
                    f"各部分的编号依次为“{'、'.join(written)}”，按其内容应依次为“{'、'.join(parts)}”"
                    f"（“{first.title}”应为第{first.number}部分）", evidence=heading_evidence(first))]


def _problems(nar: Narrative) -> list[Finding]:
    sec = nar.section("五")
    if sec is None:
        return []
    text = compact(to_simplified(nar.text_of("五"))).replace(" ", "")
    if len(re.sub(r"[\W_]", "", text)) < 4 or _PLACEHOLDER.match(text):
        why = "没有内容"
    elif _NOTHING.match(text):
        why = f"只写了“{text}”"
    elif len(text) < 40 and not _SPECIFIC.search(text):
        why = "内容笼统，没有具体的问题和改进措施"
    else:
        return []
    return [Finding("S-PROBLEMS", WARNING, [], f"“五、存在的主要问题及改进情况”{why}",
                    evidence=heading_evidence(sec) | {"text": text or sec.title})]


def _yuan(v: str, unit: str) -> float:
    return float(v) * (10000 if unit == "万元" else 1)


def _fee_statement(sents: list) -> tuple:
    """(notices sent, amount collected, amount notified, the sentence) as 六 states them."""
    notices, collected, notified, fee_sent, mention = None, None, None, None, None
    for s in sents:
        p = s.plain.replace(" ", "")
        if (m := _NOTICES.search(p)):
            notices, fee_sent = int(m["n"] or m["n2"]), s
        if (m := _NOTIFIED.search(p)):
            notified, fee_sent = _yuan(m["v"], m["u"]), s
        if (m := _COLLECTED.search(p)):
            collected, fee_sent = _yuan(m["v"], m["u"]), fee_sent or s
        if mention is None and ("处理费" in p or "收费" in p):
            mention = s
    return notices, collected, notified, fee_sent or mention


def _fee(report: Report, nar: Narrative) -> list[Finding]:
    fmt = formats.by_id(report.template)
    if fmt is None or not fmt.fee_statement or "t3.other_unpaid_fee.total" not in report.cells:
        return []
    sents = nar.in_section("六") or [s for s in nar.sentences if "收费" in s.plain or "处理费" in s.plain]
    unpaid = report.value("t3.other_unpaid_fee.total")
    notices, collected, notified, fee_sent = _fee_statement(sents)
    ev = (lambda stated: fee_sent.evidence(stated)) if fee_sent else (lambda stated: None)
    out = []
    if unpaid and (notices is None or notices < unpaid):
        said = f"只报告发出收费通知 {notices} 件" if notices is not None else "未报告发出收费通知的件数"
        out.append(Finding("S-FEE", WARNING, ["t3.other_unpaid_fee.total"],
                           f"表三“逾期未按收费通知要求缴纳费用”为 {fmt_number(unpaid)} 件，"
                           f"“六、其他需要报告的事项”{said}", expected=unpaid, actual=notices,
                           evidence=ev(notices)))
    if collected is not None and notified is not None and collected > notified:
        out.append(Finding("S-FEE", WARNING, [], f"实际收取信息处理费 {collected:g} 元，多于收费通知金额 {notified:g} 元",
                           expected=notified, actual=collected, evidence=ev(collected)))
    elif collected and notices == 0:
        out.append(Finding("S-FEE", WARNING, [], f"收取信息处理费 {collected:g} 元，却称发出收费通知 0 件",
                           expected=None, actual=collected, evidence=ev(collected)))
    return out


def structure_findings(report: Report) -> list[Finding]:
    """S- findings of one report (nothing when fewer than three parts are found)."""
    nar = getattr(report, "narrative", None)
    if nar is None or len(nar.sections) < MIN_PARTS:
        return []
    partial = bool(nar.info.get("unread_pages")) and report.source.format == "pdf-scan"
    whole = [] if partial else _missing(nar) + _order(nar)     # parts on unread pages are not missing
    return whole + _problems(nar) + _fee(report, nar)
