"""Choosing last year's report: given by the user, or found in the library."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .model import Report

log = logging.getLogger("gxaudit.prior")

GIVEN, LIBRARY, NONE = "given", "library", "none"


@dataclass
class PriorChoice:
    report: Report | None
    how: str                                   # given · library · none
    candidates: list = field(default_factory=list)   # history.PriorMatch, best first
    note: str | None = None                    # what to tell the user

    def describe(self) -> str:
        if self.report is None:
            return self.note or "未找到上年报告"
        r = self.report
        how = "用户指定" if self.how == GIVEN else "报告库中自动匹配"
        return f"{r.agency or '未识别机关'} {r.year or '?'}年度（{how}：{r.source.path}）"

    def to_json(self) -> dict | None:
        if self.report is None:
            return None
        r = self.report
        return {"path": r.source.path, "sha256": r.source.sha256, "agency": r.agency, "year": r.year,
                "template": r.template, "chosen": self.how}


def resolve_prior(report: Report, prior: Report | None = None, library=None) -> PriorChoice:
    """Last year's report: ``prior`` when given (already read, see
    :func:`gxaudit.core.session.load_prior_file`), else the library's match."""
    if prior is not None:
        note = None
        if report.year and prior.year and prior.year != report.year - 1:
            note = f"指定的上年报告是 {prior.year} 年度，本报告是 {report.year} 年度。"
        return PriorChoice(prior, GIVEN, note=note)
    if library is None:
        return PriorChoice(None, NONE, note="未使用报告库")
    matches = library.find_prior(report)
    exact = [m for m in matches if m.exact]
    if exact:
        return PriorChoice(library.load(exact[0].entry), LIBRARY, candidates=matches)
    if matches:
        names = "、".join(m.entry.label() for m in matches[:3])
        return PriorChoice(None, NONE, candidates=matches,
                           note=f"报告库中有名称相近的上年报告：{names}；名称不完全一致，未自动采用，可手动指定。")
    return PriorChoice(None, NONE, note="报告库中没有该机关上一年度的报告")
