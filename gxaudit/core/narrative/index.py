"""Near-duplicate paragraphs across a season of reports, without comparing
every pair: character n-gram shingles → MinHash → LSH buckets (datasketch)
give the candidates, then an exact comparison (rapidfuzz) decides.

One report against the library (``gxaudit check``, opening a review) is not a
pairs problem: rapidfuzz's one-against-many search over the library's
paragraphs finds every match directly, without datasketch, whose import
(scipy) alone costs more than reading a PDF."""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..history import normalize_agency, same_agency
from ..model import WARNING, Finding, Report
from .rules_c import MIN_PARAGRAPH, masked, paragraphs

SHINGLE = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.7        # Jaccard of shingles for a candidate
SIMILAR = 0.9              # exact similarity of masked text for a near-duplicate


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    return {text[i:i + k] for i in range(max(len(text) - k + 1, 1))}


def _minhash(text: str):
    from datasketch import MinHash
    m = MinHash(num_perm=NUM_PERM, seed=1)
    for s in shingles(text):
        m.update(s.encode("utf-8"))
    return m


@dataclass
class Duplicate:
    a: tuple[int, str]          # (report index, paragraph text)
    b: tuple[int, str]
    similarity: float


class SeasonIndex:
    """Paragraphs of many reports; ``duplicates()`` lists the near-identical
    ones between reports of different agencies."""

    def __init__(self, reports: list[Report]):
        from datasketch import MinHashLSH
        self.reports = reports
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.items: dict[str, tuple[int, str, str]] = {}
        for ri, rep in enumerate(reports):
            nar = getattr(rep, "narrative", None)
            if nar is None:
                continue
            for pi, (key, (text, _)) in enumerate(paragraphs(nar).items()):
                name = f"{ri}:{pi}"
                self.items[name] = (ri, key, text)
                self.lsh.insert(name, _minhash(key))

    def candidates(self, key: str) -> list[str]:
        return self.lsh.query(_minhash(key))

    def duplicates(self, min_similarity: float = SIMILAR) -> list[Duplicate]:
        out, seen = [], set()
        for name, (ri, key, text) in self.items.items():
            for other in self.candidates(key):
                rj, okey, otext = self.items[other]
                pair = tuple(sorted((name, other)))
                if rj == ri or pair in seen or _same_agency(self.reports, ri, rj):
                    continue
                seen.add(pair)
                sim = fuzz.ratio(key, okey) / 100.0
                if sim >= min_similarity:
                    out.append(Duplicate((ri, text), (rj, otext), sim))
        return out

    def findings_for(self, ri: int, min_similarity: float = SIMILAR) -> list[Finding]:
        """C-OTHER findings of report ``ri``: its paragraphs near-identical to
        another agency's."""
        return _paragraph_findings(self.reports, ri, lambda key: (self.items[n] for n in self.candidates(key)),
                                   min_similarity)


def _same_agency(reports: list[Report], i: int, j: int) -> bool:
    """One agency's reports: its own text again is C-PRIOR's matter, not
    another agency's (淮安市洪泽区人民政府 and 洪泽区人民政府 are one)."""
    return same_agency(normalize_agency(reports[i].agency), normalize_agency(reports[j].agency))


def _paragraph_findings(reports: list[Report], ri: int, candidates, min_similarity: float) -> list[Finding]:
    """C-OTHER of ``reports[ri]``; ``candidates(key)`` yields (report index,
    masked text, text) of the paragraphs that may match ``key``."""
    rep = reports[ri]
    mine = paragraphs(rep.narrative) if getattr(rep, "narrative", None) else {}
    out = []
    for key, (text, sent) in mine.items():
        if len(key) < MIN_PARAGRAPH:
            continue
        best = None
        for rj, okey, otext in candidates(key):
            if rj == ri or _same_agency(reports, ri, rj):
                continue
            sim = fuzz.ratio(key, okey) / 100.0
            if sim >= min_similarity and (best is None or sim > best[0]):
                best = (sim, rj, otext)
        if best is None:
            continue
        sim, rj, otext = best
        o = reports[rj]
        ev = sent.evidence() | {"text": text, "similarity": round(sim, 4),
                                "other": {"path": o.source.path, "sha256": o.source.sha256,
                                          "agency": o.agency, "year": o.year, "text": otext}}
        out.append(Finding("C-OTHER", WARNING, [], f"有一段文字与{o.agency or '另一机关'}"
                           f" {o.year or ''}年报告中的一段{'相同' if sim >= 0.999 else f'几乎相同（{sim:.0%}）'}",
                           actual=round(sim, 4), evidence=ev))
    return out


def library_findings(report: Report, library) -> list[Finding]:
    """C-OTHER for one report against every other agency's report in the
    library (reports stored with their text)."""
    import sqlite3
    others = []
    try:
        for e in library.entries():
            if e.sha256 == report.source.sha256:
                continue
            rep = library.load(e)
            if rep.narrative is not None:
                others.append(rep)
    except sqlite3.Error:
        return []          # the check works without the library
    if not others:
        return []
    reports = [report] + others
    keys: list[str] = []
    owners: list[tuple[int, str, str]] = []
    for rj, rep in enumerate(others, start=1):
        for key, (text, _) in paragraphs(rep.narrative).items():
            keys.append(key)
            owners.append((rj, key, text))

    def candidates(key: str):
        for _, _, i in process.extract_iter(key, keys, scorer=fuzz.ratio, score_cutoff=SIMILAR * 100):
            yield owners[i]
    return _paragraph_findings(reports, 0, candidates, SIMILAR)


__all__ = ["SeasonIndex", "Duplicate", "library_findings", "shingles", "masked"]
