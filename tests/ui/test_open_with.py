"""『打开方式』: the exact command lines of the desktop entry and the Windows
installer, run for real (subprocess, offscreen), the hand-off to a running
window, a stale socket, macOS's QFileOpenEvent, open_paths."""
from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, SEED_000, require

DESKTOP = ROOT / "packaging" / "linux" / "org.gxaudit.GxAudit.desktop"
ISS = ROOT / "packaging" / "windows" / "gxaudit.iss"
PROGRAM = [sys.executable, "-m", "gxaudit"]     # what `gxaudit` is in the source tree
HONGZE = "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"


def desktop_command(files: list[str]) -> list[str]:
    """The desktop entry's Exec line expanded as a file manager does (%F: all files)."""
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read(DESKTOP, encoding="utf-8")
    args = shlex.split(cp["Desktop Entry"]["Exec"])
    assert args[0] == "gxaudit"
    out = []
    for a in args[1:]:
        out += files if a == "%F" else [files[0]] if a == "%f" else [a]
    return PROGRAM + out


def installer_command(file: str) -> list[str]:
    """The installer's open command (`"{app}\\gxaudit.exe" "%1"`) with %1 filled in."""
    lines = [ln for ln in ISS.read_text(encoding="utf-8").splitlines() if "shell\\open\\command" in ln]
    assert lines
    value = re.search(r'ValueData: "(.*)"\s*$', lines[0]).group(1).replace('""', '"')
    args = shlex.split(value.replace("\\", "/"))
    assert args[0].endswith("/{#AppExe}") and args[1:] == ["%1"]
    return PROGRAM + [file]


@pytest.fixture
def env(tmp_path):
    e = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
         "XDG_CONFIG_HOME": str(tmp_path / "config"), "GXAUDIT_DATA_DIR": str(tmp_path / "data"),
         "GXAUDIT_LOG_DIR": str(tmp_path / "logs"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    e.pop("GXAUDIT_CONFIG_DIR", None)
    return e


def recent(env) -> list[str]:
    try:
        return json.loads((Path(env["XDG_CONFIG_HOME"]) / "gxaudit" / "recent.json").read_text("utf-8"))
    except (OSError, ValueError):
        return []


def wait_for(pred, proc=None, timeout=120.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"gxaudit exited early ({proc.returncode}): {err[-2000:]}")
        time.sleep(0.2)
    pytest.fail("timed out")


def start(cmd, env, cwd) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def reports(tmp_path) -> tuple[str, str]:
    a = tmp_path / "docs" / "报告 2023.pdf"          # a space and Chinese, as real files have
    a.parent.mkdir()
    shutil.copy(require(CORPUS / HONGZE), a)
    b = tmp_path / "docs" / "b.txt"
    shutil.copy(require(SEED_000), b)
    return str(a), str(b)


def test_desktop_exec_opens_the_files_and_a_second_start_hands_over(tmp_path, env):
    a, b = reports(tmp_path)
    first = start(desktop_command([a, b]), env, tmp_path)
    try:
        wait_for(lambda: recent(env)[:1] == [a], first)
        assert b in recent(env)                       # the second file is offered under 最近打开
        # A second "open with" while the window runs: handed to it, no second copy.
        second = subprocess.run(desktop_command([b]), env=env, cwd=tmp_path, capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        wait_for(lambda: recent(env)[:1] == [b], first)
        assert first.poll() is None
    finally:
        stop(first)


def test_windows_installer_command_line_opens_the_file(tmp_path, env):
    a, _ = reports(tmp_path)
    proc = start(installer_command(a), env, tmp_path)
    try:
        wait_for(lambda: recent(env)[:1] == [a], proc)
    finally:
        stop(proc)


def test_stale_socket_of_a_dead_app_is_taken_over(tmp_path, env):
    """An app that crashed leaves its socket file; the next start must still listen."""
    a, b = reports(tmp_path)
    code = ("from gxaudit.ui.single_instance import server_name;"
            "from PySide6.QtCore import QDir; print(QDir.tempPath() + '/' + server_name())")
    path = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(path)                                   # bound, never listening: refuses connections
    dead.close()
    assert os.path.exists(path)
    first = start(PROGRAM + [a], env, tmp_path)
    try:
        wait_for(lambda: recent(env)[:1] == [a], first)
        second = subprocess.run(PROGRAM + [b], env=env, cwd=tmp_path, capture_output=True, text=True,
                                timeout=60)
        assert second.returncode == 0, second.stderr
        wait_for(lambda: recent(env)[:1] == [b], first)
    finally:
        stop(first)
        if os.path.exists(path):
            os.unlink(path)


def test_subcommands_still_work_and_a_typo_is_no_file(tmp_path, env):
    out = subprocess.run(PROGRAM + ["check", str(require(SEED_000)), "--json", "--no-library"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode in (0, 1) and json.loads(out.stdout)["source"]
    typo = subprocess.run(PROGRAM + ["chek"], env=env, capture_output=True, text=True, timeout=60)
    assert typo.returncode == 2 and "无效的选择" in typo.stderr and len(typo.stderr.splitlines()) == 1


def test_cli_routes_files_to_the_window():
    from gxaudit.cli import files_for_gui
    assert files_for_gui(["报告.pdf"]) == ["报告.pdf"]
    assert files_for_gui(["a.pdf", "b.docx"]) == ["a.pdf", "b.docx"]
    assert files_for_gui(["file:///tmp/a.pdf"]) == ["file:///tmp/a.pdf"]
    assert files_for_gui(["check", "a.pdf"]) is None
    assert files_for_gui(["--version"]) is None
    assert files_for_gui([]) is None


def test_file_open_event_reaches_the_window(qtbot, qapp, tmp_path, monkeypatch):
    from PySide6.QtGui import QFileOpenEvent

    from gxaudit.ui.app import file_open_filter
    flt = file_open_filter(qapp)
    target = str(tmp_path / "报告.pdf")
    with qtbot.waitSignal(flt.fileOpened, timeout=2000) as sig:
        qapp.sendEvent(qapp, QFileOpenEvent(target))
    assert sig.args == [target] and target in flt.pending


def test_open_paths_opens_the_first_and_lists_the_rest(qtbot, tmp_path):
    from gxaudit.ui import settings
    from gxaudit.ui.main_window import MainWindow
    win = MainWindow(store_root=str(tmp_path / "store"))
    qtbot.addWidget(win)
    a, b = reports(tmp_path)
    with qtbot.waitSignal(win.reviewLoaded, timeout=120000):
        win.open_paths([b, a])
    assert win.review.report.source.path == b
    assert settings.recent_files()[:2] == [b, a]


def test_instance_server_hands_paths_over(qtbot, tmp_path):
    from gxaudit.ui.single_instance import InstanceServer, send_to_running
    name = f"gxaudit-test-{os.getpid()}"
    server = InstanceServer(name)
    assert server.listen()
    got = []
    server.filesReceived.connect(got.append)
    # The client blocks waiting for the answer: run it in its own process.
    code = ("import sys; from gxaudit.ui.single_instance import send_to_running;"
            f"sys.exit(0 if send_to_running(['/x/报告.pdf'], {name!r}) else 1)")
    client = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)})
    qtbot.waitUntil(lambda: client.poll() is not None, timeout=30000)
    assert client.returncode == 0 and got == [["/x/报告.pdf"]]
    server.close()
    assert send_to_running(["/x"], name) is False
