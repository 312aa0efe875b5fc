"""N- rules: figures stated in the narrative against the cells they describe
(domain.md §5.5).  A finding only where the sentence's scope is this table's
figure and every cell it is compared with is known."""
from __future__ import annotations

import hashlib
import re

from .. import formats
from ..model import WARNING, Finding, Report
from ..text import fmt_number
from .figures import SCOPE_OTHER, Mention, mentions
from .sections import Sentence

_T3 = "t3.{}.total"
_WITHHELD = ("withheld_state_secret", "withheld_law_prohibited", "withheld_three_safety",
             "withheld_third_party", "withheld_internal_affairs", "withheld_process_info",
             "withheld_enforcement_file", "withheld_inquiry_matter")
_UNAVAILABLE = ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")
_DECLINED = ("declined_complaint", "declined_duplicate", "declined_publication",
             "declined_excessive", "declined_reconfirm")
_OTHER = ("other_no_correction", "other_unpaid_fee", "other_misc", "other")

# what → (rule, label, the alternatives: each a list of cells whose sum is the figure)
TARGETS = {
    "received": ("N-RECEIVED", "收到申请", [["new_received"], ["new_received", "carried_over"]]),
    "carried_over": ("N-CARRIED", "上年结转", [["carried_over"]]),
    "processed": ("N-PROCESSED", "办结", [["total_processed"]]),
    "carried_forward": ("N-CARRIED", "结转下年度", [["carried_forward"]]),
    "granted_partly": ("N-GRANTED", "予以公开及部分公开", [["granted", "partly_granted"]]),
    "granted": ("N-GRANTED", "予以公开", [["granted"]]),
    "partly": ("N-GRANTED", "部分公开", [["partly_granted"]]),
    "withheld": ("N-WITHHELD", "不予公开", [list(_WITHHELD)]),
    "unavailable": ("N-UNAVAILABLE", "无法提供", [list(_UNAVAILABLE)]),
    "declined": ("N-DECLINED", "不予处理", [list(_DECLINED)]),
    "other": ("N-OTHER", "其他处理", [list(_OTHER)]),
}
_T4 = {"review": ("N-REVIEW", "行政复议", ["t4.review.total"]),
       "suit": ("N-SUIT", "行政诉讼", ["t4.suit_direct.total", "t4.suit_after_review.total"])}
_T2 = {"in_force_docs": ("N-INFORCE", "现行有效行政规范性文件", ["t2.normative_documents.in_force"]),
       "in_force_regs": ("N-INFORCE", "现行有效规章", ["t2.regulations.in_force"])}

def _format_has(report: Report, keys: list[str]) -> bool:
    """Whether the report's own format's 表二 has these cells (现行有效件数: 2021 on)."""
    fmt = formats.by_id(report.template)
    return fmt is not None and set(keys) <= set(fmt.layouts["t2"].cell_keys())


_ALL_UPHELD = re.compile(r"均(?:获|被|予|已)?维持|全部(?:被|获)?维持|均未被(?:复议机关|法院|复议审查机关)?(?:纠错|纠正|撤销)")
_ALL_DONE = re.compile(r"(?:均已|全部|均)(?:按(?:要求|时)?)?(?:办结|办理完成|办理完毕|答复完毕|审结)|所有申请均已")
_ALL_CONCLUDED = re.compile(r"均已(?:审结|结案)|全部(?:审结|结案)")


def finding_id_suffix(sent: Sentence) -> str:
    return hashlib.sha1(sent.text.encode("utf-8")).hexdigest()[:8]


def _sum(report: Report, keys: list[str]) -> int | float | None:
    present = [k for k in keys if k in report.cells]
    if not present:
        return None
    vals = [report.value(k) for k in present]
    if any(v is None for v in vals):
        return None
    return sum(vals)


def _t3_keys(report: Report, rows: list[str]) -> list[str]:
    return [_T3.format(r) for r in rows if _T3.format(r) in report.cells]


def _compare(report: Report, sent: Sentence, m: Mention) -> Finding | None:
    if m.what in TARGETS:
        rule, label, alts = TARGETS[m.what]
        options = [_t3_keys(report, rows) for rows in alts]
    elif m.what in _T4:
        rule, label, keys = _T4[m.what]
        options = [keys]
    elif m.what in _T2 and _format_has(report, _T2[m.what][2]):
        rule, label, keys = _T2[m.what]
        options = [keys]
    else:
        return None
    sums = [(keys, _sum(report, keys)) for keys in options if keys]
    if not sums or any(v is None for _, v in sums):
        return None                              # a cell we cannot read: say nothing
    if any(v == m.stated for _, v in sums):
        return None
    keys, value = sums[0]
    alt = f"（或新收加上年结转 {fmt_number(sums[1][1])} 件）" if len(sums) > 1 else ""
    return Finding(rule, WARNING, keys,
                   f"正文称{label} {m.stated} 件，表格为 {fmt_number(value)} 件{alt}",
                   expected=value, actual=m.stated, evidence=sent.evidence(m.stated))


def _percent(report: Report, sent: Sentence, m: Mention) -> Finding | None:
    if m.pct is None or m.what not in TARGETS:
        return None
    rows = TARGETS[m.what][2][0]
    num_keys = _t3_keys(report, rows)
    den_key = _T3.format("total_processed")
    num, den = _sum(report, num_keys), report.value(den_key)
    if num is None or not den or num != m.stated:
        return None
    calc = 100.0 * num / den
    if abs(round(calc, m.pct_decimals) - m.pct) <= 10 ** -m.pct_decimals + 1e-9:
        return None
    label = TARGETS[m.what][1]
    return Finding("N-PERCENT", WARNING, num_keys + [den_key],
                   f"正文称{label}占 {m.pct:g}%，按表三 {fmt_number(num)}/{fmt_number(den)} 应为 {calc:.2f}%",
                   expected=round(calc, m.pct_decimals), actual=m.pct, evidence=sent.evidence(m.pct))


def _positive(report: Report, keys: list[str]) -> list[str]:
    return [k for k in keys if (report.value(k) or 0) > 0]


def _all_claims(report: Report, sent: Sentence, plain: str) -> list[Finding]:
    out = []
    if SCOPE_OTHER.search(plain):
        return out
    groups = ("review", "suit_direct", "suit_after_review")
    if _ALL_UPHELD.search(plain) and re.search(r"复议|诉讼", plain):
        bad = _positive(report, [f"t4.{g}.{c}" for g in groups for c in ("corrected", "pending")])
        if bad:
            out.append(Finding("N-ALL", WARNING, bad, "正文称复议、诉讼结果均获维持，但表四有结果纠正或尚未审结的案件",
                               evidence=sent.evidence()))
    elif _ALL_CONCLUDED.search(plain) and re.search(r"复议|诉讼|案件", plain):
        bad = _positive(report, [f"t4.{g}.pending" for g in groups])
        if bad:
            out.append(Finding("N-ALL", WARNING, bad, "正文称复议、诉讼案件均已审结，但表四有尚未审结的案件",
                               evidence=sent.evidence()))
    if _ALL_DONE.search(plain) and "期限内" not in plain and not re.search(r"复议|诉讼", plain):
        keys = [k for k in report.cells if k.startswith("t3.carried_forward.")]
        bad = _positive(report, keys)
        if bad:
            out.append(Finding("N-ALL", WARNING, bad, "正文称申请均已办结，但表三有结转下年度继续办理的申请",
                               evidence=sent.evidence()))
    return out


def narrative_findings(report: Report) -> list[Finding]:
    """N- findings of one report (nothing without a narrative)."""
    nar = getattr(report, "narrative", None)
    if nar is None:
        return []
    out: list[Finding] = []
    context: dict[int, str] = {}
    for sent in nar.sentences:
        if sent.section is None:
            continue
        plain = sent.plain
        prior = context.get(sent.paragraph, "")
        for m in mentions(plain, report.year, prior):
            for f in (_compare(report, sent, m), _percent(report, sent, m)):
                if f is not None:
                    out.append(f)
        if not SCOPE_OTHER.search(prior):
            out += _all_claims(report, sent, plain)
        context[sent.paragraph] = prior + plain
    return out
