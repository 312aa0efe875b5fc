"""Report metadata from the running text: agency, year, period, 落款 date."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .document import Document
from .text import to_simplified

# Every repetition is bounded, so a search costs at most a constant per start
# position (linear in the line); a real title is well under 60 characters a
# part.  Title candidates are also cut to TITLE_MAX characters.
_TITLE = re.compile(
    r"(?P<pre>[^\d]{0,60}?)(?P<year>(?:19|20)\d{2})年度?(?P<mid>.{0,60}?)政府信息公开(?:工作)?年度?报告")
TITLE_MAX = 200
_PERIOD = re.compile(r"统计(?:期限|周期|时间|区间|范围|时限)?(?:为|是|从|自)?(?P<year>(?:19|20)\d{2})年0?1月0?1日")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_CN_DATE = re.compile(r"(?P<y>[〇○零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
                      r"(?P<d>[一二三四五六七八九十]{1,3})日")
_AGENCY = re.compile(
    r"(?P<name>[\u4e00-\u9fff（）()]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|"
    r"委员会|管理委员会|局|委|厅|办|署|中心|街道办事处|办事处|法院|检察院))")
_JUNK = " \t#*：:，,。.、\"“”（）()【】[]"
_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}


@dataclass
class Metadata:
    agency: str | None = None
    year: int | None = None
    title_year: int | None = None
    period_year: int | None = None
    published: str | None = None


def _cn_number(s: str) -> int:
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def _dates(text: str) -> list[tuple[int, int, int]]:
    out = [(int(m["y"]), int(m["m"]), int(m["d"])) for m in _DATE.finditer(text)]
    for m in _CN_DATE.finditer(text):
        try:
            out.append((_cn_number(m["y"]), _cn_number(m["m"]), _cn_number(m["d"])))
        except (KeyError, ValueError):
            continue
    return [d for d in out if 1 <= d[1] <= 12 and 1 <= d[2] <= 31]


def _clean_agency(name: str) -> str | None:
    name = name.strip(_JUNK)
    name = re.sub(r"\s+", "", name)
    if len(name) < 2 or len(name) > 40:
        return None
    return name


def _title(meta: Metadata, compact: list[str]) -> None:
    """Title: within the first lines, possibly broken over two lines."""
    for i in range(min(len(compact), 20)):
        for cand in (compact[i], compact[i] + (compact[i + 1] if i + 1 < len(compact) else "")):
            m = _TITLE.search(cand.lstrip("#")[:TITLE_MAX])
            if not m:
                continue
            meta.title_year = int(m["year"])
            agency = _clean_agency(m["pre"]) or _clean_agency(m["mid"])
            if agency is None and i > 0:
                agency = _clean_agency(compact[i - 1])
            meta.agency = agency
            return


def _signature(meta: Metadata, compact: list[str]) -> None:
    """落款: the last date near the end; else a date right under the title."""
    tail = compact[-8:]
    for j in range(len(tail) - 1, -1, -1):
        ds = _dates(tail[j])
        if ds and len(tail[j]) <= 20:
            y, mo, d = ds[-1]
            meta.published = f"{y:04d}-{mo:02d}-{d:02d}"
            if meta.agency is None and j > 0:
                meta.agency = _clean_agency(tail[j - 1])
            return
    for ln in compact[:6]:
        ds = _dates(ln)
        if ds and len(ln) <= 20:
            y, mo, d = ds[0]
            meta.published = f"{y:04d}-{mo:02d}-{d:02d}"
            return


def _self_name(sections: dict[str, str]) -> str | None:
    """The name the text uses most often for itself ("区人社局"), twice or more."""
    body = to_simplified("\n".join(sections.values()))
    names = Counter(_clean_agency(mm["name"]) for mm in _AGENCY.finditer(body))
    names.pop(None, None)
    if names:
        name, count = names.most_common(1)[0]
        if count >= 2:
            return name
    return None


def _report_year(meta: Metadata, full: str) -> int | None:
    """The title's year, else the statistical period's, else the commonest
    year named, else the year before the 落款."""
    if meta.title_year or meta.period_year:
        return meta.title_year or meta.period_year
    years = Counter(int(y) for y in re.findall(r"((?:19|20)\d{2})年度?[,，、\s]", full))
    if years:
        return years.most_common(1)[0][0]
    return int(meta.published[:4]) - 1 if meta.published else None


def extract(doc: Document, sections: dict[str, str]) -> Metadata:
    lines = [to_simplified(r.text).strip() for r in doc.rows if r.text.strip()]
    compact = [re.sub(r"\s+", "", ln) for ln in lines]
    meta = Metadata()
    _title(meta, compact)
    full = "\n".join(compact)
    m = _PERIOD.search(full)
    if m:
        meta.period_year = int(m["year"])
    _signature(meta, compact)
    if meta.agency is None:
        meta.agency = _self_name(sections)
    meta.year = _report_year(meta, full)
    return meta
