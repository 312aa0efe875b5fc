"""The log file: a one-report command appends to gxaudit.log without loading
logging.handlers; a full log is still rotated; the window's log rotates."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gxaudit.logs import BACKUPS, MAX_BYTES
from tests.conftest import ROOT, SEED_000, require

_RUN = ("import sys\n"
        "from gxaudit.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "sys.stderr.write('handlers=%s\\n' % ('logging.handlers' in sys.modules))\n"
        "sys.exit(code)\n")


def _check() -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _RUN, "check", str(require(SEED_000)), "--json", "--no-library"],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120)


def test_check_appends_to_the_log_without_rotating_machinery():
    logs = Path(os.environ["GXAUDIT_LOG_DIR"])
    logs.mkdir(parents=True)
    (logs / "gxaudit.log").write_text("earlier run\n", encoding="utf-8")
    proc = _check()
    assert proc.returncode in (0, 1), proc.stderr
    assert "handlers=False" in proc.stderr
    text = (logs / "gxaudit.log").read_text(encoding="utf-8")
    assert text.startswith("earlier run\n")
    assert "gxaudit." in text[len("earlier run\n"):]          # this run's records follow
    assert not (logs / "gxaudit.log.1").exists()


def test_a_full_log_is_rotated_by_a_check_too():
    logs = Path(os.environ["GXAUDIT_LOG_DIR"])
    logs.mkdir(parents=True)
    (logs / "gxaudit.log").write_bytes(b"x" * MAX_BYTES + b"\n")
    proc = _check()
    assert proc.returncode in (0, 1), proc.stderr
    assert (logs / "gxaudit.log.1").stat().st_size > MAX_BYTES      # the full file, kept
    assert 0 < (logs / "gxaudit.log").stat().st_size < 100_000        # this run, in a new file


def test_the_window_and_batch_log_through_a_rotating_file(monkeypatch):
    import logging
    from logging.handlers import RotatingFileHandler

    from gxaudit import logs
    monkeypatch.setattr(logs, "_DONE", False)
    root = logging.getLogger("gxaudit")
    monkeypatch.setattr(root, "propagate", root.propagate)     # put back after the test
    monkeypatch.setattr(root, "level", root.level)
    before = list(root.handlers)
    try:
        path = logs.setup_logging()
        added = [h for h in root.handlers if h not in before]
        assert isinstance(added[0], RotatingFileHandler)
        assert added[0].maxBytes == MAX_BYTES and added[0].backupCount == BACKUPS
        assert path == os.path.join(os.environ["GXAUDIT_LOG_DIR"], "gxaudit.log")
    finally:
        for h in root.handlers:
            if h not in before:
                root.removeHandler(h)
                h.close()


def test_check_collects_cycles_less_often_and_puts_the_threshold_back(monkeypatch, capsys):
    """A one-report command raises the collector's first threshold while it
    runs; run in a process that goes on (a test, the window's self-test),
    it leaves the threshold as it found it (the window's gc_guard reads it)."""
    import gc

    from gxaudit import cli
    seen = []
    monkeypatch.setattr(cli, "cmd_check", lambda args: seen.append(gc.get_threshold()) or 0)
    before = gc.get_threshold()
    assert cli.main(["check", str(require(SEED_000)), "--json", "--no-library"]) == 0
    assert seen and seen[0][0] == cli.GC_GEN0 and seen[0][1:] == before[1:]
    assert gc.get_threshold() == before
