"""C- rules: text copied from last year's report or from another agency's.

Similarity is rapidfuzz's normalised Indel similarity of the parts' text with
digits masked (last year's text with this year's numbers is still last
year's text).  A sentence is *copied* when it stands, digits masked, in last
year's same part.  High similarity to last year is the finding.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..model import WARNING, Finding, Report
from ..text import to_simplified
from .sections import NUMERALS, Narrative, Sentence, compact

SECTION_SIMILAR = 0.80     # a part this close to last year's is reported
PROBLEMS_SAME = 0.90       # 五 this close, or this share of its sentences copied: 改进措施与上年相同
MIN_CHARS = 60             # parts shorter than this are not compared (headings, "无")
MIN_SENTENCE = 12
MIN_PARAGRAPH = 40         # identical paragraphs across agencies: at least this long
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def masked(text: str) -> str:
    """Text for comparison: no whitespace, digits masked."""
    return _DIGITS.sub("#", compact(to_simplified(text)).replace(" ", ""))


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(masked(a), masked(b)) / 100.0


def _other(prior: Report, text: str) -> dict:
    return {"path": prior.source.path, "sha256": prior.source.sha256, "agency": prior.agency,
            "year": prior.year, "text": text}


def _copied(mine: list[Sentence], theirs: list[Sentence]) -> list[tuple[Sentence, Sentence]]:
    index = {masked(s.text): s for s in theirs if len(masked(s.text)) >= MIN_SENTENCE}
    return [(s, index[masked(s.text)]) for s in mine if masked(s.text) in index]


def _section_finding(report: Report, prior: Report, num: str, sim: float,
                     pairs: list[tuple[Sentence, Sentence]], mine: list[Sentence]) -> Finding | None:
    share = len(pairs) / len(mine) if mine else 0.0
    first_mine, first_theirs = pairs[0] if pairs else (mine[0], None)
    ev = first_mine.evidence() | {"other": _other(prior, first_theirs.text if first_theirs else ""),
                                  "similarity": round(sim, 4)}
    if num == "五" and (sim >= PROBLEMS_SAME or share >= PROBLEMS_SAME):
        return Finding("C-PROBLEMS", WARNING, [], f"改进措施与上年相同：“五、存在的主要问题及改进情况”与 "
                       f"{prior.year or '上年'} 年报告的同一部分相似度 {sim:.0%}，{len(pairs)}/{len(mine)} 句相同",
                       expected=None, actual=round(sim, 4), evidence=ev,
                       detail={"copied": [p[0].text for p in pairs]})
    if sim >= SECTION_SIMILAR:
        return Finding("C-PRIOR", WARNING, [], f"“{num}”部分与 {prior.year or '上年'} 年报告的同一部分相似度 "
                       f"{sim:.0%}（{len(pairs)}/{len(mine)} 句相同，数字除外）", actual=round(sim, 4),
                       evidence=ev, detail={"copied": [p[0].text for p in pairs]})
    return None


def prior_findings(report: Report, prior: Report | None) -> list[Finding]:
    """Each part against last year's same part."""
    nar: Narrative | None = getattr(report, "narrative", None)
    old: Narrative | None = getattr(prior, "narrative", None) if prior is not None else None
    if nar is None or old is None:
        return []
    out = []
    for num in NUMERALS:
        a, b = nar.text_of(num), old.text_of(num)
        if len(masked(a)) < MIN_CHARS or len(masked(b)) < MIN_CHARS:
            continue
        mine = [s for s in nar.in_section(num) if len(masked(s.text)) >= MIN_SENTENCE]
        if not mine:
            continue
        pairs = _copied(mine, old.in_section(num))
        f = _section_finding(report, prior, num, similarity(a, b), pairs, mine)
        if f is not None:
            out.append(f)
    return out


def paragraphs(nar: Narrative) -> dict[str, tuple[str, Sentence]]:
    """Paragraphs long enough to compare across agencies: masked text → (text, first sentence)."""
    out: dict[str, tuple[str, Sentence]] = {}
    by_para: dict[int, list[Sentence]] = {}
    for s in nar.sentences:
        if s.section is not None:
            by_para.setdefault(s.paragraph, []).append(s)
    for sents in by_para.values():
        text = "".join(s.text for s in sents)
        key = masked(text)
        if len(key) >= MIN_PARAGRAPH:
            out.setdefault(key, (text, sents[0]))
    return out


