"""The local report library: every report gxaudit has read or reviewed, in an
SQLite database under the user data directory, for finding last year's report.

Concurrency: WAL journal, a busy timeout, and every write in one
``BEGIN IMMEDIATE`` transaction, so two windows and a batch run can write at
once.  A damaged database is moved aside (never silently emptied) and the
caller is told through ``Library.notice``.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import json
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .formats import Layouts
from .model import Cell, Report, SourceInfo
from .paths import library_path  # noqa: F401 - the UI shows it
from .text import to_simplified

log = logging.getLogger("gxaudit.history")

SCHEMA_VERSION = 2     # 2: check_cache, file_hashes, seasons, season_files, narratives
FUZZY_THRESHOLD = 0.9

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    agency TEXT,
    agency_norm TEXT,
    year INTEGER,
    template TEXT,
    format TEXT,
    layouts TEXT NOT NULL,
    published TEXT,
    added TEXT NOT NULL,
    reviewed TEXT
);
CREATE INDEX IF NOT EXISTS reports_agency_year ON reports(agency_norm, year);
CREATE TABLE IF NOT EXISTS cells (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value REAL,
    is_int INTEGER NOT NULL DEFAULT 1,
    raw TEXT,
    status TEXT NOT NULL,
    PRIMARY KEY (report_id, key)
);
CREATE TABLE IF NOT EXISTS check_cache (
    sha256 TEXT NOT NULL,
    ruleset TEXT NOT NULL,
    path TEXT NOT NULL,
    report TEXT NOT NULL,
    prior_sha256 TEXT NOT NULL DEFAULT '',
    findings TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (sha256, ruleset)
);
CREATE TABLE IF NOT EXISTS file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seasons (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS season_files (
    season_id INTEGER NOT NULL REFERENCES seasons(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT,
    review_status TEXT NOT NULL DEFAULT '未审核',
    reviewer TEXT,
    PRIMARY KEY (season_id, path)
);
CREATE TABLE IF NOT EXISTS narratives (
    report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    data TEXT NOT NULL
);
"""

_YEAR_IN_NAME = re.compile(r"(?:19|20)\d{2}年度?")
_DROP = re.compile(r"[\s()（）\[\]【】〔〕<>《》「」『』“”\"'·・,，.。、:：;；-]")
_REPORT_WORDS = re.compile(r"政府信息公开(?:工作)?年度?报告$")


def normalize_agency(name: str | None) -> str:
    """An agency name for matching: 简体, no spaces, brackets or punctuation,
    no year inside it, no trailing 'annual report' words."""
    if not name:
        return ""
    text = to_simplified(name)
    text = _YEAR_IN_NAME.sub("", text)
    text = _DROP.sub("", text)
    text = _REPORT_WORDS.sub("", text)
    return text


_REGION_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:省|自治区|自治州|市|州|地区|盟)")
_PLACE_UNIT = re.compile(r"[区县市旗镇乡]|街道")


def same_agency(a: str, b: str) -> bool:
    """Two normalised names of one agency: equal, or equal but for the parent
    region written in front of a place name (淮安市洪泽区人民政府 = 洪泽区人民政府)."""
    if not a or not b:
        return False
    if a == b:
        return True
    long, short = (a, b) if len(a) > len(b) else (b, a)
    if not long.endswith(short) or not _PLACE_UNIT.search(short[:-2] or short):
        return False
    prefix = long[: len(long) - len(short)]
    m = _REGION_PREFIX.fullmatch(prefix) or _REGION_PREFIX.match(prefix)
    return bool(m) and m.end() == len(prefix)


def by_agency(items, name_of) -> dict[str, list]:
    """``items`` grouped by agency (``same_agency``: 淮安市洪泽区人民政府 and
    洪泽区人民政府 are one), each group under the longest name it was printed
    with; items without a name under 未识别机关."""
    groups: list[tuple[str, str, list]] = []          # (normalised, shown, items)
    for item in items:
        name = name_of(item) or ""
        norm = normalize_agency(name)
        i = next((i for i, g in enumerate(groups) if norm and same_agency(g[0], norm)), None) \
            if norm else next((i for i, g in enumerate(groups) if not g[0]), None)
        if i is None:
            groups.append((norm, name or "未识别机关", [item]))
            continue
        g_norm, shown, members = groups[i]
        members.append(item)
        if len(name) > len(shown):
            groups[i] = (norm if len(norm) > len(g_norm) else g_norm, name, members)
    return {shown: members for _, shown, members in groups}


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


@dataclass
class Entry:
    id: int
    sha256: str
    path: str
    agency: str | None
    agency_norm: str
    year: int | None
    template: str
    format: str
    added: str
    reviewed: str | None

    def label(self) -> str:
        return f"{self.agency or '未识别机关'} {self.year or '?'}年度（{os.path.basename(self.path)}）"


@dataclass
class PriorMatch:
    entry: Entry
    exact: bool            # same normalised agency name; False: a close name, only proposed
    score: float


class LibraryError(Exception):
    """The library cannot be used now; the message is one Chinese sentence."""


class LibraryDamaged(LibraryError):
    """The file fails SQLite's integrity check or is not a database."""


class LibraryBusy(LibraryError):
    """Another process holds the library's lock (not damage: the file is left as it is)."""


BUSY_MESSAGE = "报告库正被另一个 gxaudit 使用…"
BUSY_ERROR = "报告库正被另一个 gxaudit 使用，请稍后再试（报告库文件未作改动）。"
DEFAULT_WAIT = 30.0      # seconds to wait for another process's lock


def _is_lock(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)




def default_wait() -> float:
    try:
        return float(os.environ.get("GXAUDIT_LIBRARY_WAIT", DEFAULT_WAIT))
    except ValueError:
        return DEFAULT_WAIT


class Library:
    """``busy(waited_seconds)`` hears while another process holds the lock;
    returning False gives up at once (:class:`LibraryBusy`), as does waiting
    longer than ``wait`` seconds.  Only a file that fails the integrity check
    (or is not a database) is set aside and replaced by an empty library."""

    def __init__(self, path: Path | str | None = None, busy=None, wait: float | None = None):
        self.path = Path(path) if path else library_path()
        self.notice: str | None = None
        self.wait = default_wait() if wait is None else wait
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = self._connect_waiting(busy)
        except LibraryBusy:
            raise
        except (sqlite3.DatabaseError, LibraryDamaged) as exc:
            if not self._damaged(exc):
                log.warning("report library %s unusable: %s", self.path, exc)
                raise LibraryError(f"无法打开报告库 {self.path}（{exc}），报告库文件未作改动。") from exc
            self._set_aside(exc)
            self._conn = self._connect_waiting(busy)

    def _connect_waiting(self, busy) -> sqlite3.Connection:
        start = time.monotonic()
        while True:
            try:
                return self._connect()
            except (sqlite3.OperationalError, LibraryBusy) as exc:
                if not isinstance(exc, LibraryBusy) and not _is_lock(exc):
                    raise
                waited = time.monotonic() - start
                if waited >= self.wait or (busy is not None and busy(waited) is False):
                    raise LibraryBusy(BUSY_ERROR) from exc

    def _damaged(self, exc: BaseException) -> bool:
        """Whether the file itself is damaged (a lock or a permission is not)."""
        if isinstance(exc, LibraryDamaged):
            return True
        if isinstance(exc, sqlite3.OperationalError):
            return False
        try:
            conn = sqlite3.connect(self.path, timeout=1)
            try:
                row = conn.execute("PRAGMA integrity_check").fetchone()
            finally:
                conn.close()
        except sqlite3.OperationalError:
            return False
        except sqlite3.DatabaseError:          # "file is not a database", malformed
            return True
        return row is None or row[0] != "ok"

    def _set_aside(self, exc: BaseException) -> None:
        aside = self.path.with_name(
            f"{self.path.stem}.damaged-{_dt.datetime.now():%Y%m%d%H%M%S}{self.path.suffix}")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            side = Path(str(self.path) + suffix)
            if side.exists():
                os.replace(side, Path(str(aside) + suffix))
        log.warning("report library %s is damaged (%s); set aside as %s", self.path, exc, aside)
        self.notice = f"报告库文件已损坏，已另存为 {aside}，并新建了报告库。"

    _checked: set[str] = set()       # databases already checked by this process

    def _connect(self) -> sqlite3.Connection:
        # A short busy timeout per attempt, so that the caller hears about a lock.
        conn = sqlite3.connect(self.path, timeout=0.25, isolation_level=None)
        try:
            if str(self.path) not in Library._checked:
                row = conn.execute("PRAGMA quick_check").fetchone()
                if row is None or row[0] != "ok":
                    raise LibraryDamaged(row[0] if row else "quick_check failed")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # Only a new (or older) library needs the write lock to open.
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                with _immediate(conn):
                    for stmt in filter(str.strip, _SCHEMA.split(";")):
                        conn.execute(stmt)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.close()
            raise
        Library._checked.add(str(self.path))
        conn.execute(f"PRAGMA busy_timeout = {int(max(self.wait, 0.25) * 1000)}")
        return conn

    def close(self) -> None:
        self._conn.close()

    # -- writing ------------------------------------------------------------------
    def add(self, report: Report, reviewed: bool = False) -> int:
        """Add or update a report (its cells as given: pass a reviewed report to
        store the auditor's corrected values)."""
        now = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with _immediate(self._conn) as conn:
            return self._add(conn, report, reviewed, now)

    @staticmethod
    def _add(conn, report: Report, reviewed: bool, now: str) -> int:
        src = report.source
        row = conn.execute("SELECT id FROM reports WHERE sha256 = ?", (src.sha256,)).fetchone()
        values = (os.path.abspath(src.path), report.agency, normalize_agency(report.agency),
                  report.year, report.template, src.format, json.dumps(report.layouts.as_dict()),
                  report.published)
        if row:
            rid = row[0]
            conn.execute("UPDATE reports SET path=?, agency=?, agency_norm=?, year=?, template=?, "
                         "format=?, layouts=?, published=?" + (", reviewed=?" if reviewed else "") +
                         " WHERE id=?", values + ((now,) if reviewed else ()) + (rid,))
            conn.execute("DELETE FROM cells WHERE report_id = ?", (rid,))
        else:
            cur = conn.execute("INSERT INTO reports (sha256, path, agency, agency_norm, year, template, "
                               "format, layouts, published, added, reviewed) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                               (src.sha256,) + values + (now, now if reviewed else None))
            rid = cur.lastrowid
        conn.executemany(
            "INSERT INTO cells (report_id, key, value, is_int, raw, status) VALUES (?,?,?,?,?,?)",
            [(rid, k, c.value, int(isinstance(c.value, int)), c.raw, c.status)
             for k, c in report.cells.items()])
        _store_narrative(conn, rid, report)
        return rid

    def remove(self, ident: str) -> int:
        """Remove by id, sha256 (or a prefix of 8+ characters) or path; returns how many."""
        conn = self._conn
        with _immediate(conn):
            if ident.isdigit():
                cur = conn.execute("DELETE FROM reports WHERE id = ?", (int(ident),))
            elif re.fullmatch(r"[0-9a-f]{8,64}", ident):
                cur = conn.execute("DELETE FROM reports WHERE sha256 LIKE ?", (ident + "%",))
            else:
                cur = conn.execute("DELETE FROM reports WHERE path = ?", (os.path.abspath(ident),))
            return cur.rowcount

    # -- reading ------------------------------------------------------------------
    def entries(self) -> list[Entry]:
        rows = self._conn.execute(
            "SELECT id, sha256, path, agency, agency_norm, year, template, format, added, reviewed "
            "FROM reports ORDER BY agency_norm, year, id").fetchall()
        return [Entry(*r) for r in rows]

    def entry(self, sha256: str) -> Entry | None:
        r = self._conn.execute(
            "SELECT id, sha256, path, agency, agency_norm, year, template, format, added, reviewed "
            "FROM reports WHERE sha256 = ?", (sha256,)).fetchone()
        return Entry(*r) if r else None

    def load(self, entry: Entry) -> Report:
        r = self._conn.execute("SELECT layouts, published FROM reports WHERE id = ?", (entry.id,)).fetchone()
        cells = {}
        for key, value, is_int, raw, status in self._conn.execute(
                "SELECT key, value, is_int, raw, status FROM cells WHERE report_id = ?", (entry.id,)):
            if value is not None and is_int:
                value = int(value)
            cells[key] = Cell(key=key, value=value, raw=raw or "", status=status)
        return Report(source=SourceInfo(entry.path, entry.format, None, entry.sha256),
                      agency=entry.agency, year=entry.year, template=entry.template,
                      published=r[1], layouts=Layouts(**json.loads(r[0])), cells=cells,
                      narrative=_load_narrative(self._conn, entry.id))

    def find_prior(self, report: Report) -> list[PriorMatch]:
        """Candidates for last year's report of the same agency, best first:
        exact matches of the normalised name, then close names (proposed only)."""
        if report.year is None:
            return []
        name = normalize_agency(report.agency)
        if not name:
            return []
        out = []
        for e in self.entries():
            if e.year != report.year - 1 or e.sha256 == report.source.sha256:
                continue
            if same_agency(e.agency_norm, name):
                out.append(PriorMatch(e, True, 1.0 if e.agency_norm == name else 0.99))
            else:
                score = similarity(e.agency_norm, name)
                if score >= FUZZY_THRESHOLD:
                    out.append(PriorMatch(e, False, score))
        out.sort(key=lambda m: (not m.exact, -m.score, -(m.entry.reviewed is not None), m.entry.id))
        return out


    # -- cached check results (batch) -------------------------------------------------
    def cached_sha(self, path: str, size: int, mtime_ns: int) -> str | None:
        """The sha256 recorded for this path when it had this size and mtime."""
        r = self._conn.execute("SELECT sha256 FROM file_hashes WHERE path=? AND size=? AND mtime_ns=?",
                               (os.path.abspath(path), size, mtime_ns)).fetchone()
        return r[0] if r else None

    def cached_result(self, sha256: str, ruleset: str) -> tuple[str, str, str] | None:
        """``(report json, prior sha256, findings json)`` of a cached check, or None."""
        r = self._conn.execute("SELECT report, prior_sha256, findings FROM check_cache "
                               "WHERE sha256=? AND ruleset=?", (sha256, ruleset)).fetchone()
        return (r[0], r[1], r[2]) if r else None

    def store_result(self, sha256: str, ruleset: str, path: str, report: str, prior_sha256: str,
                     findings: str, stat: tuple[int, int] | None = None, report_obj=None) -> None:
        """Cache one check result (and the file's stat → sha256, and the report
        itself in the library when given), all in one transaction."""
        now = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with _immediate(self._conn) as conn:
            conn.execute("INSERT OR REPLACE INTO check_cache (sha256, ruleset, path, report, prior_sha256, "
                         "findings, updated) VALUES (?,?,?,?,?,?,?)",
                         (sha256, ruleset, os.path.abspath(path), report, prior_sha256, findings, now))
            if stat is not None:
                conn.execute("INSERT OR REPLACE INTO file_hashes (path, size, mtime_ns, sha256) "
                             "VALUES (?,?,?,?)", (os.path.abspath(path), stat[0], stat[1], sha256))
            if report_obj is not None:
                self._add(conn, report_obj, False, now)

    def update_findings(self, sha256: str, ruleset: str, prior_sha256: str, findings: str) -> None:
        with _immediate(self._conn) as conn:
            conn.execute("UPDATE check_cache SET prior_sha256=?, findings=? WHERE sha256=? AND ruleset=?",
                         (prior_sha256, findings, sha256, ruleset))

    # -- seasons (named batches) ----------------------------------------------------------
    def season_id(self, name: str) -> int:
        now = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with _immediate(self._conn) as conn:
            conn.execute("INSERT OR IGNORE INTO seasons (name, created) VALUES (?, ?)", (name, now))
            return conn.execute("SELECT id FROM seasons WHERE name=?", (name,)).fetchone()[0]

    def seasons(self) -> list[tuple[int, str, str]]:
        return self._conn.execute("SELECT id, name, created FROM seasons ORDER BY id").fetchall()

    def season_add(self, season_id: int, items: list[tuple[str, str | None]]) -> None:
        """Add ``(path, sha256)`` pairs to a season (existing ones keep their status)."""
        with _immediate(self._conn) as conn:
            for path, sha in items:
                conn.execute("INSERT OR IGNORE INTO season_files (season_id, path, sha256) VALUES (?,?,?)",
                             (season_id, os.path.abspath(path), sha))
                conn.execute("UPDATE season_files SET sha256=? WHERE season_id=? AND path=?",
                             (sha, season_id, os.path.abspath(path)))

    def season_files(self, season_id: int) -> list[tuple[str, str | None, str, str | None]]:
        """``(path, sha256, review status, reviewer)`` of a season, in path order."""
        return self._conn.execute("SELECT path, sha256, review_status, reviewer FROM season_files "
                                  "WHERE season_id=? ORDER BY path", (season_id,)).fetchall()

    def season_set_status(self, season_id: int, path: str, status: str, reviewer: str | None) -> None:
        with _immediate(self._conn) as conn:
            conn.execute("UPDATE season_files SET review_status=?, reviewer=? WHERE season_id=? AND path=?",
                         (status, reviewer, season_id, os.path.abspath(path)))


def _store_narrative(conn, rid: int, report: Report) -> None:
    """Keep the report's parts and sentences, for the copied-text rules."""
    if getattr(report, "narrative", None) is not None:
        conn.execute("INSERT OR REPLACE INTO narratives (report_id, data) VALUES (?, ?)",
                     (rid, json.dumps(report.narrative.to_dict(), ensure_ascii=False)))


def _load_narrative(conn, rid: int):
    row = conn.execute("SELECT data FROM narratives WHERE report_id = ?", (rid,)).fetchone()
    if row is None:
        return None
    from .narrative.sections import Narrative
    try:
        return Narrative.from_dict(json.loads(row[0]))
    except (ValueError, TypeError, KeyError):
        log.warning("stored narrative of report %s unreadable; ignored", rid)
        return None


class _immediate:
    """A BEGIN IMMEDIATE … COMMIT block (the write lock is taken up front)."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_lock(exc):
                raise LibraryBusy(BUSY_ERROR) from exc
            raise
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False
