"""A named season kept in the report library, and the rows the app shows for
it (Qt-free: the GUI's table model only adapts these rows).

Review status of a file: 未审核 (no review saved, or only opened), 审核中 (the
auditor edited or decided something, findings still open), 已完成 (every
finding decided or corrected), 已签字 (set by the auditor; kept until the
file's contents change).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .batch import CHECKED, DUPLICATE, UNREADABLE, Season, discover, run_batch

NOT_STARTED, IN_PROGRESS, DONE, SIGNED = "未审核", "审核中", "已完成", "已签字"
REVIEW_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, SIGNED)
# Files that are no report to review: what they are, in the review-status column.
UNREVIEWABLE, DUPLICATE_FILE = "无法审核", "重复件"
OTHER_STATUSES = (UNREVIEWABLE, DUPLICATE_FILE)
DEFAULT_SEASON = "本季审核"
STATUS_NAMES = {CHECKED: "已检查", UNREADABLE: "无法读取", DUPLICATE: "重复"}


@dataclass
class Row:
    path: str
    status: str                      # checked · unreadable · duplicate
    sha256: str = ""
    agency: str = ""
    year: int | None = None
    verdict: str = ""
    errors: int | None = None
    warnings: int | None = None
    score: float | None = None
    review_status: str = NOT_STARTED
    reviewer: str = ""
    note: str = ""                   # unreadable: the reason; duplicate: what it repeats


def review_status(review) -> str:
    """The status a saved review gives its file."""
    acted = any(e.action not in ("open", "prior") for e in review.log)
    if not acted:
        return NOT_STARTED
    return DONE if review.open_count() == 0 else IN_PROGRESS


def saved_review(sha256: str):
    from .review import Review, ReviewStore
    path = ReviewStore().path_for(sha256)
    if not path.exists():
        return None
    try:
        return Review.load(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def season_rows(season: Season, rubric, stored: dict[str, tuple[str, str | None]]) -> list[Row]:
    """One row per file; ``stored`` maps a path to its (status, reviewer) kept in the library."""
    from .export.season_xlsx import SeasonSheet
    sheet = SeasonSheet(season, rubric)
    rows = []
    for e in season.entries:
        st, who = stored.get(os.path.abspath(e.path), (NOT_STARTED, None))
        if e.status != CHECKED:
            note = e.reason if e.status == UNREADABLE else f"与 {e.same_as} 相同"
            what = UNREVIEWABLE if e.status == UNREADABLE else DUPLICATE_FILE
            rows.append(Row(e.path, e.status, e.sha256, note=note or "", review_status=what, reviewer=""))
            continue
        if st != SIGNED:
            rv = saved_review(e.sha256)
            if rv is not None:
                st, who = review_status(rv), rv.reviewer
        rows.append(Row(e.path, CHECKED, e.sha256, e.agency or "未识别机关", e.year, sheet.verdicts[e.path],
                        e.count("error"), e.count("warning"), round(sheet.scores[e.path].total, 2),
                        st, who or ""))
    return rows


def open_season(name: str = DEFAULT_SEASON, add: list[str] = (), *, library=None, jobs: int | None = None,
                rubric=None, progress=None, cancel=None):
    """The season ``name`` (created if new), extended by the files under
    ``add``, read and checked (cached results reused).  Returns
    ``(season, rows, rubric)``; the library connection is this call's own."""
    from .history import Library
    from .score import find_rubric, load_rubric
    own = library is None
    lib = Library() if own else library
    try:
        sid = lib.season_id(name)
        if add:
            lib.season_add(sid, [(p, None) for p in discover(list(add))])
        stored = {p: (st, who) for p, _sha, st, who in lib.season_files(sid)}
        files = sorted(stored)
        if rubric is None:
            rubric = load_rubric(find_rubric(list(add) or [os.path.dirname(f) for f in files[:1]]))
        season = run_batch([], jobs=jobs, library=lib, progress=progress, cancel=cancel, files=files)
        lib.season_add(sid, [(e.path, e.sha256 or None) for e in season.entries])
        return season, season_rows(season, rubric, stored), rubric
    finally:
        if own:
            lib.close()


def set_review_status(name: str, path: str, status: str, reviewer: str | None, library=None) -> None:
    from .history import Library
    lib = library or Library()
    try:
        lib.season_set_status(lib.season_id(name), path, status, reviewer)
    finally:
        if library is None:
            lib.close()
