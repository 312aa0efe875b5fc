"""Issue 11.3: a report library that is only locked by another process is waited
for and reported, never set aside; only a file that fails the integrity check
(or is no database) is.  A real SQLite file locked by a second connection."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from gxaudit.core import load_report
from gxaudit.core.history import Library, LibraryBusy, library_path
from tests.conftest import ROOT, SEED_000, require


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def library():
    """The user's library (the test's data dir) holding one report; its path."""
    lib = Library()
    lib.add(load_report(str(require(SEED_000))))
    lib.close()
    return library_path()


class Holder:
    """Another gxaudit holding the library's lock (a second connection, BEGIN EXCLUSIVE).
    ``readers_too``: the library in rollback-journal mode, where the lock blocks reading."""

    def __init__(self, path, readers_too=False):
        self.path = path
        if readers_too:
            with sqlite3.connect(path) as c:
                c.execute("PRAGMA journal_mode = DELETE")
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("BEGIN EXCLUSIVE")
        if readers_too:
            self.conn.execute("UPDATE reports SET path = path")   # the lock becomes exclusive

    def release(self):
        if self.conn is not None:
            self.conn.execute("ROLLBACK")
            self.conn.close()
            self.conn = None


@pytest.fixture
def locked(library):
    h = Holder(library)
    yield h
    h.release()


@pytest.fixture
def locked_hard(library):
    h = Holder(library, readers_too=True)
    yield h
    h.release()


def untouched(holder) -> None:
    holder.release()
    path = holder.path
    assert sorted(p.name for p in path.parent.glob("*.damaged-*")) == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 1


def run(*args, wait="0.5"):
    env = dict(os.environ, GXAUDIT_LIBRARY_WAIT=wait)
    return subprocess.run([sys.executable, "-m", "gxaudit", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=180, env=env)


def test_a_locked_library_is_waited_for_then_refused_not_replaced(locked_hard):
    Library._checked.clear()                    # as a fresh process would
    heard = []
    with pytest.raises(LibraryBusy) as exc:
        Library(busy=lambda waited: heard.append(waited) or True, wait=0.6)
    assert "另一个 gxaudit" in str(exc.value) and heard
    untouched(locked_hard)


def test_cancel_gives_up_at_once(locked_hard):
    heard = []
    with pytest.raises(LibraryBusy):
        Library(busy=lambda waited: heard.append(waited) or False, wait=600)
    assert len(heard) == 1
    untouched(locked_hard)


def test_a_locked_library_can_still_be_read_and_a_write_is_refused(locked):
    lib = Library(wait=0.5)                     # WAL: reading needs no lock
    assert len(lib.entries()) == 1
    with pytest.raises(LibraryBusy):            # writing does: refused, nothing replaced
        lib.add(load_report(str(SEED_000)))
    lib.close()
    untouched(locked)


@pytest.mark.parametrize("command", [("library", "list"), ("library", "add", str(SEED_000))])
def test_library_command_while_locked_is_one_line_exit_2(locked_hard, command):
    out = run(*command)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "另一个 gxaudit" in lines[0] and "Traceback" not in out.stderr
    untouched(locked_hard)


def test_library_add_while_write_locked_is_one_line_exit_2(locked):
    out = run("library", "add", require(SEED_000))
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "另一个 gxaudit" in lines[0] and "Traceback" not in out.stderr
    untouched(locked)


@pytest.mark.parametrize("how", ["locked", "locked_hard"])
def test_check_while_locked_runs_without_the_library_and_says_so(how, request):
    locked = request.getfixturevalue(how)
    out = run("check", require(SEED_000), "--json")
    assert out.returncode == 1, out.stderr      # the seed's error: checked all the same
    doc = json.loads(out.stdout)
    assert doc["findings"]
    assert "报告库" in out.stderr and "Traceback" not in out.stderr
    untouched(locked)


def test_a_file_that_is_no_database_is_set_aside(tmp_path):
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"this is not an sqlite file at all" * 100)
    lib = Library(path)
    assert lib.notice and "损坏" in lib.notice
    aside = list(tmp_path.glob("lib.damaged-*.sqlite3"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    assert lib.entries() == []
