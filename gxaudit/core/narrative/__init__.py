"""The report's text: its six parts, sentences, and the rules that read them
(N- narrative against tables, S- structure, D- dates, C- copied text)."""
from __future__ import annotations

from .sections import Narrative, Section, Sentence, build

__all__ = ["Narrative", "Section", "Sentence", "build", "check"]


def check(report, prior=None) -> list:
    """Every narrative finding of one report (and, given last year's report,
    the copied-text findings).  Findings are unique by id."""
    from .rules_c import prior_findings
    from .rules_d import date_findings
    from .rules_n import narrative_findings
    from .rules_s import structure_findings
    found = narrative_findings(report) + structure_findings(report) + date_findings(report) \
        + prior_findings(report, prior)
    out, seen = [], set()
    for f in found:
        if f.id not in seen:
            seen.add(f.id)
            out.append(f)
    return out
