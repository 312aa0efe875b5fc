"""The reviewer's season: every report under some folders, read on a process
pool, checked with its prior year found within the season or the library,
results cached in the report library by sha256.

Data flow: the parent discovers files and hashes them (or takes the hash
recorded for an unchanged path); files whose result is not cached go to the
workers, which read and check them (``_check_one``) and return plain data;
the parent alone writes the library (one transaction per result, so an
interrupted run keeps everything finished and nothing half-written), then
finds duplicates and priors and re-applies the rules with each prior (the
rules are cheap; the reading is what costs).

``_check_one`` is the one place a file is opened and checked: through
``session.check_path``, the same path ``gxaudit check`` takes.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field

from .model import Finding, Report

log = logging.getLogger("gxaudit.batch")

SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".xlsx")
OVERVIEW_NAME = "汇总.xlsx"
CHECKED, UNREADABLE, DUPLICATE = "checked", "unreadable", "duplicate"
SCHEMA = 1


def cache_key() -> str:
    """What a cached result depends on besides the file: the rules and the readers."""
    from .. import __version__
    from .rules import RULESET_VERSION
    return f"{RULESET_VERSION}/{__version__}"


@dataclass
class CheckedReport:
    """One file of the season: plain data, picklable (workers return it)."""
    path: str
    status: str = CHECKED
    sha256: str = ""
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    reason: str | None = None            # unreadable: the one line `check` prints
    same_as: str | None = None           # duplicate: the file it repeats
    prior: Report | None = None
    prior_path: str | None = None
    cached: bool = False
    is_workbook: bool = False            # a workbook gxaudit exported (not added to the library)
    checked_with: str = ""               # sha256 of the prior the findings were computed with

    @property
    def agency(self) -> str | None:
        return self.report.agency if self.report else None

    @property
    def year(self) -> int | None:
        return self.report.year if self.report else None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def rules(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.rule] = out.get(f.rule, 0) + 1
        return out

    def to_json(self) -> dict:
        if self.status == UNREADABLE:
            return {"path": self.path, "status": UNREADABLE, "reason": self.reason}
        if self.status == DUPLICATE:
            return {"path": self.path, "status": DUPLICATE, "same_as": self.same_as}
        r = self.report
        prior = None if self.prior is None else {"path": self.prior_path or self.prior.source.path,
                                                 "year": self.prior.year}
        return {"path": self.path, "sha256": self.sha256, "status": CHECKED,
                "format": r.source.format, "agency": r.agency, "year": r.year, "template": r.template,
                "errors": self.count("error"), "warnings": self.count("warning"),
                "rules": self.rules(), "prior": prior, "cached": self.cached}


@dataclass
class Season:
    entries: list[CheckedReport]
    interrupted: bool = False

    def checked(self) -> list[CheckedReport]:
        return [e for e in self.entries if e.status == CHECKED]

    def totals(self) -> dict:
        n = {s: sum(1 for e in self.entries if e.status == s) for s in (CHECKED, UNREADABLE, DUPLICATE)}
        return {"files": len(self.entries), **n,
                "with_errors": sum(1 for e in self.checked() if e.count("error"))}

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "reports": [e.to_json() for e in self.entries], "totals": self.totals()}

    def exit_code(self) -> int:
        t = self.totals()
        if not t["checked"]:
            return 2
        return 1 if t["unreadable"] or t["with_errors"] else 0


# -- discovery --------------------------------------------------------------------

def discover(paths: list[str], exclude: list[str] = ()) -> list[str]:
    """Every supported file under ``paths`` (recursive), sorted; hidden files,
    Office lock files and the ``exclude`` folders (the output) left out."""
    skip = {os.path.realpath(p) for p in exclude}
    found: set[str] = set()
    for p in paths:
        if os.path.isfile(p):
            found.add(os.path.normpath(p))
            continue
        for root, dirs, names in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and os.path.realpath(os.path.join(root, d)) not in skip)
            for n in names:
                if n.startswith((".", "~$")) or not n.lower().endswith(SUFFIXES) or n == OVERVIEW_NAME:
                    continue
                found.add(os.path.normpath(os.path.join(root, n)))
    return sorted(found)


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# -- the one function that opens and checks a file ---------------------------------

def _check_one(path: str, prior: Report | None = None) -> CheckedReport:
    """Read and check one file through :func:`gxaudit.core.session.check_path`,
    the path ``gxaudit check`` takes (same one line for a file that cannot be
    read).  No library here: workers never touch it."""
    from .model import ReportError
    from .session import check_path
    try:
        checked = check_path(path, prior)
    except ReportError as exc:
        return CheckedReport(path, UNREADABLE, reason=f"gxaudit：无法读取报告：{exc}")
    except MemoryError:
        return CheckedReport(path, UNREADABLE, reason="gxaudit：无法读取报告：文件过大，内存不足。")
    except Exception as exc:  # noqa: BLE001 - one row with its reason, never the end of the batch
        log.exception("unexpected failure reading %s", path)
        return CheckedReport(path, UNREADABLE,
                             reason=f"gxaudit：无法读取报告：读取时出现意外错误（{type(exc).__name__}），详情见日志。")
    return CheckedReport(path, CHECKED, checked.report.source.sha256, checked.report, checked.findings,
                         prior=prior, is_workbook=checked.is_workbook)


def _recheck(entry: CheckedReport, prior: Report | None) -> list[Finding]:
    """The rules again with last year's report (reading is not repeated)."""
    from .rules import check
    return check(entry.report, prior)


def _worker_init() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl+C is the parent's business
    from ..logs import setup_logging
    setup_logging()


def _work(path: str) -> CheckedReport:
    return _check_one(path, None)


# -- cache (de)serialisation ---------------------------------------------------------

def findings_json(findings: list[Finding]) -> str:
    return json.dumps([dataclasses.asdict(f) for f in findings], ensure_ascii=False, default=str)


def findings_from_json(text: str) -> list[Finding]:
    names = {f.name for f in dataclasses.fields(Finding)}
    return [Finding(**{k: v for k, v in d.items() if k in names}) for d in json.loads(text)]


def report_json(report: Report) -> str:
    from .review import _report_json
    src = report.source
    return json.dumps({"source": {"path": src.path, "format": src.format, "pages": src.pages,
                                  "sha256": src.sha256}, "report": _report_json(report)},
                      ensure_ascii=False)


def report_from_json(text: str, path: str) -> Report:
    from .review import _report_from_json
    d = json.loads(text)
    rep = _report_from_json(d["report"], d["source"])
    rep.source.path = path
    return rep


# -- the run ---------------------------------------------------------------------------

class Progress:
    """Counts, rate and time left; ``callback(done, total, progress)`` after each file."""

    def __init__(self, total: int, callback=None):
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.callback = callback

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.callback:
            self.callback(self)

    @property
    def rate(self) -> float:
        took = time.monotonic() - self.start
        return self.done / took if took > 0 else 0.0

    @property
    def eta(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate else None


def _pool(jobs: int):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["gxaudit.core.batch"])
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)


def _stop_pool(pool) -> None:
    """Shut the pool down now: nothing queued starts, running readers are ended."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        try:
            proc.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
    for proc in procs:
        proc.join(5)
    # Wait for the pool's manager thread to close its wake-up pipe: left
    # running, it races Python's exit hook, which then writes to the pipe
    # as it closes ("Bad file descriptor" printed after the interrupt line).
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(5)


def _from_cache(library, path: str, sha: str, key: str) -> CheckedReport | None:
    hit = library.cached_result(sha, key) if library is not None else None
    if hit is None:
        return None
    report_text, prior_sha, findings_text = hit
    entry = CheckedReport(path, CHECKED, sha, report_from_json(report_text, path),
                          findings_from_json(findings_text), cached=True)
    entry.is_workbook = entry.report.source.format == "xlsx"
    entry.checked_with = prior_sha
    return entry


def _store(library, entry: CheckedReport, key: str) -> None:
    if library is None or entry.status != CHECKED:
        return
    try:
        st = os.stat(entry.path)
        stat = (st.st_size, st.st_mtime_ns)
    except OSError:
        stat = None
    library.store_result(entry.sha256, key, entry.path, report_json(entry.report), "",
                         findings_json(entry.findings), stat,
                         None if entry.is_workbook else entry.report)


def _plan(files: list[str], library, rerun: bool, key: str):
    """Hash every file (or take the recorded hash of an unchanged one); split
    into cached results, duplicates by content, and files to read."""
    entries: dict[str, CheckedReport] = {}
    first_of: dict[str, str] = {}
    todo: list[str] = []
    for path in files:
        try:
            st = os.stat(path)
            sha = library.cached_sha(path, st.st_size, st.st_mtime_ns) if library is not None else None
            sha = sha or file_sha256(path)
        except OSError:
            todo.append(path)                 # the reader says why, in the one line of `check`
            continue
        if sha in first_of:
            entries[path] = CheckedReport(path, DUPLICATE, sha, same_as=first_of[sha])
            continue
        first_of[sha] = path
        hit = None if rerun else _from_cache(library, path, sha, key)
        if hit is not None:
            entries[path] = hit
        else:
            todo.append(path)
    return entries, todo


def _read_all(todo: list[str], jobs: int, library, key: str, progress: Progress, cancel) -> tuple[dict, bool]:
    """Read ``todo`` on the pool; results stored as they come.  Returns the
    results and whether the run was interrupted (Ctrl+C or ``cancel`` set)."""
    from concurrent.futures import FIRST_COMPLETED, wait
    out: dict[str, CheckedReport] = {}
    if not todo:
        return out, False
    pool = _pool(max(1, min(jobs, len(todo))))
    futures = {pool.submit(_work, p): p for p in todo}
    pending = set(futures)
    try:
        while pending:
            if cancel is not None and cancel.is_set():
                raise KeyboardInterrupt
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for fut in done:
                entry = fut.result()
                out[futures[fut]] = entry
                _store(library, entry, key)
                progress.step()
    except KeyboardInterrupt:
        _stop_pool(pool)
        return out, True
    pool.shutdown(wait=True)
    return out, False


def _mark_duplicates(entries: list[CheckedReport]) -> None:
    """Same agency and year twice: the later file (path order) is a duplicate."""
    from .history import normalize_agency, same_agency
    kept: dict[int, list[CheckedReport]] = {}
    for e in entries:
        if e.status != CHECKED or e.year is None or not normalize_agency(e.agency):
            continue
        name = normalize_agency(e.agency)
        twin = next((k for k in kept.get(e.year, []) if same_agency(normalize_agency(k.agency), name)), None)
        if twin is not None:
            e.status, e.same_as = DUPLICATE, twin.path
        else:
            kept.setdefault(e.year, []).append(e)


def _find_priors(entries: list[CheckedReport], library) -> None:
    """Each checked report's prior: same agency, year − 1, in the season first,
    then in the library (as ``gxaudit check`` would find it)."""
    from .history import normalize_agency, same_agency
    from .prior import resolve_prior
    checked = [e for e in entries if e.status == CHECKED]
    by_sha = {e.sha256: e for e in checked}
    for e in checked:
        e.prior, e.prior_path = None, None
        if e.year is None or not normalize_agency(e.agency):
            continue
        name = normalize_agency(e.agency)
        twin = next((o for o in checked if o.year == e.year - 1 and o is not e
                     and same_agency(normalize_agency(o.agency), name)), None)
        if twin is not None:
            e.prior, e.prior_path = twin.report, twin.path
        elif library is not None:
            choice = resolve_prior(e.report, None, library)
            if choice.report is not None:
                own = by_sha.get(choice.report.source.sha256)
                e.prior = own.report if own is not None else choice.report
                e.prior_path = own.path if own is not None else choice.report.source.path


def _apply_priors(entries: list[CheckedReport], library, key: str) -> None:
    """Findings with each report's prior; cached per prior so that an
    unchanged season is not even re-checked."""
    for e in entries:
        if e.status != CHECKED:
            continue
        want = e.prior.source.sha256 if e.prior is not None else ""
        if want == e.checked_with:
            continue
        e.findings = _recheck(e, e.prior)
        e.checked_with = want
        if library is not None:
            library.update_findings(e.sha256, key, want, findings_json(e.findings))


def run_batch(paths: list[str], *, jobs: int | None = None, library=None, rerun: bool = False,
              exclude: list[str] = (), progress=None, cancel=None, files: list[str] | None = None) -> Season:
    """Read and check every report under ``paths`` (or exactly ``files``).
    ``progress(Progress)`` is called after each file read; ``cancel`` (a
    threading.Event) stops the run as Ctrl+C does, keeping what is done."""
    files = discover(paths, exclude) if files is None else files
    key = cache_key()
    entries, todo = _plan(files, library, rerun, key)
    prog = Progress(len(files), progress)
    prog.step(len(entries))
    read, interrupted = _read_all(todo, jobs or os.cpu_count() or 1, library, key, prog, cancel)
    entries.update(read)
    ordered = [entries[p] for p in files if p in entries]
    if interrupted:
        return Season(ordered, interrupted=True)
    _mark_duplicates(ordered)
    _find_priors(ordered, library)
    _apply_priors(ordered, library, key)
    return Season(ordered)
