"""A library made by an earlier gxaudit (schema 1: reports and cells only)
gains the newer tables on open; recording a report with its narrative works."""
from __future__ import annotations

import sqlite3

from gxaudit.core import load_report
from gxaudit.core.history import Library, library_path
from tests.conftest import SEED_000, require


def test_a_version_1_library_gains_the_new_tables(tmp_path):
    path = library_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE reports (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, path TEXT NOT NULL,
            agency TEXT, agency_norm TEXT, year INTEGER, template TEXT, format TEXT,
            layouts TEXT NOT NULL, published TEXT, added TEXT NOT NULL, reviewed TEXT);
        CREATE TABLE cells (report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            key TEXT NOT NULL, value REAL, is_int INTEGER NOT NULL DEFAULT 1, raw TEXT,
            status TEXT NOT NULL, PRIMARY KEY (report_id, key));
        PRAGMA user_version = 1;
    """)
    conn.close()
    lib = Library()
    lib.add(load_report(str(require(SEED_000))))
    lib.close()
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"narratives", "check_cache", "seasons"} <= tables
    assert conn.execute("SELECT COUNT(*) FROM narratives").fetchone()[0] == 1
