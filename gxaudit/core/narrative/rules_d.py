"""D- rules: the years of the title, the period sentence, the body and the
落款 agree; stray years that betray last year's text; timeliness against
deadlines kept as data (``resources/deadlines.json``, overridden by the
user's ``deadlines.json`` in the configuration folder); a PDF modified after
its deadline ("发布后有变动")."""
from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import re
from pathlib import Path

from ..model import WARNING, Finding, Report
from .sections import Narrative, Sentence

log = logging.getLogger("gxaudit.narrative.dates")

_STRAY = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)])?(?:截至|截止)?(?P<y>(?:19|20)\d{2})年(?:度)?(?:以来)?[,，]?"
                    r"(?P<rest>.{0,12})")
_SUBJECT = re.compile(r"^(?:我|本|全|共|累计|全年|市|区|县|镇|街道|局|委|办)")
_LOOKBACK = re.compile(r"上年|去年|上一年|同比|环比|较|相比|比上|存在|问题|整改|改进|以来|至今|自|起")
_PUBLISHED = re.compile(r"发布(?:日期|时间)\s*[:：]?\s*(?P<y>(?:19|20)\d{2})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]"
                        r"\s*(?P<d>\d{1,2})")
_PDF_DATE = re.compile(r"D?:?(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")


def _config_dir() -> Path:
    from platformdirs import user_config_dir
    return Path(os.environ.get("GXAUDIT_CONFIG_DIR") or user_config_dir("gxaudit", appauthor=False))


def load_deadlines() -> dict:
    """The deadline table: the user's file when there is one and it reads,
    else the one shipped in ``resources/``."""
    from ...resources import resource
    for path in (_config_dir() / "deadlines.json", resource("deadlines.json")):
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if isinstance(data.get("default"), dict):
                return data
        except FileNotFoundError:
            continue
        except (OSError, ValueError, AttributeError):
            log.warning("deadline table %s unreadable; ignored", path)
    return {"default": {"department": "01-31", "government": "03-31"}, "rules": []}


def deadline_for(report: Report, table: dict | None = None) -> tuple[_dt.date, str] | None:
    """The report's deadline and why (which rule of the table)."""
    if report.year is None:
        return None
    table = table or load_deadlines()
    agency = report.agency or ""
    for rule in table.get("rules", []):
        try:
            if re.search(rule.get("agency", "$^"), agency):
                return _date(report.year + 1, rule["deadline"]), rule.get("note") or rule["agency"]
        except (re.error, KeyError, ValueError):
            continue
    kind = "government" if agency.endswith("人民政府") else "department"
    try:
        md = table["default"][kind]
        return _date(report.year + 1, md), "本级人民政府" if kind == "government" else "政府部门"
    except (KeyError, ValueError):
        return None


def _date(year: int, md: str) -> _dt.date:
    m, d = md.split("-")
    return _dt.date(year, int(m), int(d))


def _pdf_date(value: str | None) -> _dt.date | None:
    m = _PDF_DATE.match(value or "")
    try:
        return _dt.date(int(m["y"]), int(m["m"]), int(m["d"])) if m else None
    except ValueError:
        return None


def _ev(sent: Sentence | None, stated=None) -> dict | None:
    return sent.evidence(stated) if sent else None


def _stray(report: Report, nar: Narrative) -> list[Finding]:
    out = []
    for s in nar.sentences:
        if s.section in (None, "五"):
            continue
        m = _STRAY.match(s.plain.replace(" ", ""))
        if not m or int(m["y"]) >= report.year or not _SUBJECT.match(m["rest"]):
            continue
        if _LOOKBACK.search(s.plain):
            continue
        y = int(m["y"])
        out.append(Finding("D-STRAY", WARNING, [], f"{report.year} 年度的报告中有一句以“{y}年”开头，"
                           "叙述的像是往年的工作，可能沿用了上年的文字", expected=report.year, actual=y,
                           evidence=s.evidence(y)))
    return out


def _sign(report: Report, nar: Narrative) -> list[Finding]:
    if not report.published:
        return []
    y = int(report.published[:4])
    if y == report.year + 1:
        return []
    sent = next((s for s in reversed(nar.sentences) if report.published[:4] in s.plain.replace(" ", "")), None)
    when = "早于统计年度结束" if y <= report.year else "比统计年度晚了不止一年"
    return [Finding("D-SIGN", WARNING, [], f"落款日期 {report.published} {when}，"
                    f"与报告年度 {report.year} 年不符", expected=report.year + 1, actual=y,
                    evidence=_ev(sent, y))]


def _published(nar: Narrative) -> _dt.date | None:
    for line in nar.head[:12]:
        m = _PUBLISHED.search(line)
        if m:
            try:
                return _dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                return None
    return None


def _timeliness(report: Report, nar: Narrative) -> list[Finding]:
    dl = deadline_for(report)
    if dl is None:
        return []
    deadline, why = dl
    out = []
    # The later of the 落款 and the page's 发布日期 (a page put up late is late
    # whatever its 落款 says); the PDF's creation date only without either.
    dates = [(d, lbl) for lbl, d in (("落款日期", _iso(report.published)), ("网页发布日期", _published(nar)))
             if d is not None]
    if not dates and (created := _pdf_date(nar.info.get("CreationDate"))):
        dates = [(created, "PDF 生成日期")]
    when, label = max(dates) if dates else (None, None)
    if when is not None and when > deadline:
        out.append(Finding("D-DEADLINE", WARNING, [], f"{label} {when.isoformat()} 晚于{why}的发布时限 "
                           f"{deadline.isoformat()}", expected=None, actual=None))
    modified = _pdf_date(nar.info.get("ModDate"))
    if modified is not None and modified > deadline and (when is None or modified > when):
        out.append(Finding("D-MODIFIED", WARNING, [], f"发布后有变动：PDF 最后修改于 {modified.isoformat()}，"
                           f"晚于发布时限 {deadline.isoformat()}" + (f"和{label} {when.isoformat()}" if when else "")))
    return out


def _iso(text: str | None) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def date_findings(report: Report) -> list[Finding]:
    """D- findings that read the text and the file's dates."""
    nar = getattr(report, "narrative", None)
    if nar is None or report.year is None:
        return []
    return _stray(report, nar) + _sign(report, nar) + _timeliness(report, nar)
