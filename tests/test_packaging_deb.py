"""The .deb (issue 17), slow: build it from the bundle, lintian, AppStream,
install it with apt-get on this machine, use it as an auditor would (desktop
entry, 打开方式, the CLI, the self-test without Python), remove and purge it.

Needs root, apt-get, dpkg-deb, lintian and appstreamcli (scripts/setup.sh --with-tools).
Runs after test_packaging.py's bundle build and reuses dist/gxaudit (and a
.deb newer than it); otherwise builds them.
"""
from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, SEED_000, require

pytestmark = pytest.mark.slow

DIST = ROOT / "dist"
APP_ID = "org.gxaudit.GxAudit"
HONGZE = "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"
MIMES = ("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "text/html")


def _need(*tools):
    for t in tools:
        if shutil.which(t) is None:
            pytest.skip(f"{t} not installed (scripts/setup.sh --with-tools)")


def _version() -> str:
    from importlib.metadata import version
    return version("gxaudit")


@pytest.fixture(scope="module")
def deb() -> Path:
    _need("dpkg-deb", "readelf")
    pytest.importorskip("PyInstaller", reason='needs the package extra: pip install -e ".[package]"')
    binary = DIST / "gxaudit" / "gxaudit"
    if not binary.is_file():
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--skip-smoke", "--no-deb"],
                       cwd=ROOT, check=True, timeout=1500)
    path = DIST / f"gxaudit_{_version()}_amd64.deb"
    if not path.is_file() or path.stat().st_mtime < binary.stat().st_mtime:
        out = subprocess.run([sys.executable, str(ROOT / "packaging" / "linux" / "make_deb.py")], cwd=ROOT,
                             capture_output=True, text=True, timeout=1500)
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
        print(out.stdout)
    return path


def _field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_deb_layout_and_control(deb, tmp_path):
    assert _field(deb, "Package") == "gxaudit" and _field(deb, "Architecture") == "amd64"
    depends = _field(deb, "Depends")
    for lib in ("libc6 (>=", "libxcb1", "libxcb-cursor0", "libfontconfig1", "libegl1"):
        assert lib in depends, depends
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/gxaudit/gxaudit", "./opt/gxaudit/gxaudit-cli",
                 "./usr/bin/gxaudit -> /opt/gxaudit/gxaudit", "./usr/bin/gxaudit-cli -> /opt/gxaudit/gxaudit-cli",
                 f"./usr/share/applications/{APP_ID}.desktop", f"./usr/share/metainfo/{APP_ID}.metainfo.xml",
                 f"./usr/share/icons/hicolor/48x48/apps/{APP_ID}.png",
                 f"./usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
                 "./usr/share/doc/gxaudit/copyright", "qtbase_zh_CN.qm", "resources/fonts/wqy-microhei.ttc"):
        assert path in listing, path
    # dpkg of UOS/麒麟 (1.19/1.20) reads gzip and xz members, not zstd
    members = subprocess.run(["ar", "t", str(deb)], capture_output=True, text=True, check=True).stdout.split()
    assert members[0] == "debian-binary" and all(not m.endswith(".zst") for m in members)
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True)
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read(tmp_path / "usr" / "share" / "applications" / f"{APP_ID}.desktop", encoding="utf-8")
    entry = cp["Desktop Entry"]
    assert entry["Exec"] == "gxaudit %F" and "Office" in entry["Categories"].split(";")
    if shutil.which("appstreamcli"):
        out = subprocess.run(["appstreamcli", "validate", "--no-net", "--pedantic",
                              str(tmp_path / "usr" / "share" / "metainfo" / f"{APP_ID}.metainfo.xml")],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(os.environ.get("GXAUDIT_LINTIAN") != "1",
                    reason="lintian over the 600 MB package takes about 3 min: run with GXAUDIT_LINTIAN=1 "
                           "(packaging/README.md); kept out of CI's 15-minute budget")
def test_lintian_shows_no_errors(deb):
    _need("lintian")
    out = subprocess.run(["lintian", "--tag-display-limit", "0", str(deb)], capture_output=True, text=True,
                         timeout=1500)
    errors = [ln for ln in out.stdout.splitlines() if ln.startswith("E:")]
    assert errors == [], "\n".join(errors[:40])


@pytest.fixture(scope="module")
def installed(deb):
    _need("apt-get", "dpkg")
    if os.geteuid() != 0:
        pytest.skip("installing the .deb needs root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    out = subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", str(deb)],
                         capture_output=True, text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    yield Path("/opt/gxaudit")
    subprocess.run(["apt-get", "purge", "-y", "-q", "gxaudit"], capture_output=True, env=env, timeout=600)


def _clean_env(tmp_path: Path) -> dict:
    """PATH holds gxaudit's two links and nothing else: no python3."""
    bin_ = tmp_path / "bin"
    bin_.mkdir(exist_ok=True)
    for name in ("gxaudit", "gxaudit-cli"):
        if not (bin_ / name).exists():
            os.symlink(f"/usr/bin/{name}", bin_ / name)
    assert shutil.which("python3", path=str(bin_)) is None and shutil.which("python", path=str(bin_)) is None
    return {"PATH": str(bin_), "HOME": str(tmp_path), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
            "GXAUDIT_DATA_DIR": str(tmp_path / "data"), "GXAUDIT_LOG_DIR": str(tmp_path / "logs"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}


def _normalised(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    doc.get("source", {}).pop("path", None)
    return doc


def test_installed_cli_gives_the_source_trees_json(installed, tmp_path):
    report = str(require(CORPUS / HONGZE))
    env = _clean_env(tmp_path)
    inst = subprocess.run(["gxaudit-cli", "check", report, "--json", "--no-library"], env=env,
                          capture_output=True, text=True, timeout=300)
    src = subprocess.run([sys.executable, "-m", "gxaudit", "check", report, "--json", "--no-library"],
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert inst.returncode == src.returncode, inst.stderr
    assert _normalised(json.loads(inst.stdout)) == _normalised(json.loads(src.stdout))


def test_installed_self_test_runs_without_python(installed, tmp_path):
    env = _clean_env(tmp_path)
    out = subprocess.run(["gxaudit", "--self-test", str(require(CORPUS / HONGZE)), str(tmp_path / "out")],
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    for name in ("self-test.xlsx", "self-test.pdf", "self-test.json"):
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_installed_desktop_entry_and_open_with(installed, tmp_path):
    cache = Path("/usr/share/applications/mimeinfo.cache").read_text(encoding="utf-8")
    for mime in MIMES:
        line = next(ln for ln in cache.splitlines() if ln.startswith(mime + "="))
        assert f"{APP_ID}.desktop" in line
    # The menu's Exec line, run as the desktop runs it, opens the file; a second
    # file goes to the running window.
    env = _clean_env(tmp_path)
    a = tmp_path / "报告 2023.pdf"
    shutil.copy(require(CORPUS / HONGZE), a)
    b = tmp_path / "b.txt"
    shutil.copy(require(SEED_000), b)
    recent = tmp_path / "config" / "gxaudit" / "recent.json"

    def top():
        try:
            return json.loads(recent.read_text("utf-8"))[:1]
        except (OSError, ValueError):
            return []

    def wait(expect, proc):
        end = time.monotonic() + 180
        while time.monotonic() < end and top() != expect:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.3)
        assert top() == expect
    first = subprocess.Popen(["gxaudit", str(a)], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        wait([str(a)], first)
        second = subprocess.run(["gxaudit", str(b)], env=env, cwd=tmp_path, capture_output=True, text=True,
                                timeout=120)
        assert second.returncode == 0, second.stderr
        wait([str(b)], first)
    finally:
        first.terminate()
        first.wait(30)


def test_remove_and_purge_leave_nothing(installed):
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "remove", "-y", "-q", "gxaudit"], check=True, capture_output=True, env=env,
                   timeout=600)
    assert not Path("/opt/gxaudit").exists()
    assert not Path("/usr/bin/gxaudit").exists() and not Path("/usr/bin/gxaudit-cli").exists()
    assert not Path(f"/usr/share/applications/{APP_ID}.desktop").exists()
    cache = Path("/usr/share/applications/mimeinfo.cache")
    assert not cache.exists() or APP_ID not in cache.read_text(encoding="utf-8")
    subprocess.run(["apt-get", "purge", "-y", "-q", "gxaudit"], check=True, capture_output=True, env=env,
                   timeout=600)
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "gxaudit"], capture_output=True, text=True)
    assert "installed" not in status.stdout or "not-installed" in status.stdout
    assert not list(Path("/usr/share/icons/hicolor").rglob(f"{APP_ID}.*"))
