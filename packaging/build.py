"""Build the double-click bundle with PyInstaller, then smoke-test the built
binary: start it offscreen, open a report, run the checks, export a workbook
and a summary PDF, quit — through the app's --self-test flag, with no Python
on the PATH.

    .venv/bin/python packaging/build.py [--report FILE] [--skip-smoke]

Output: dist/gxaudit/ (the folder to ship), dist/gxaudit/gxaudit (the app),
dist/gxaudit/gxaudit-cli (the console tool); on Linux then
dist/gxaudit_<version>_amd64.deb (packaging/linux/make_deb.py; --no-deb skips it).  Prints the build time, the
bundle size and the smoke-test result.  Needs the `package` extra
(`pip install -e ".[package]"`).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
DEFAULT_REPORT = ROOT.parent / "shared" / "corpus" / "real" / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build() -> float:
    t0 = time.monotonic()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, str(ROOT / "packaging" / "make_icons.py"), str(ROOT / "build" / "icons")],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
                    str(ROOT / "packaging" / "gxaudit.spec")], check=True, cwd=ROOT)
    return time.monotonic() - t0


def binary(name: str) -> Path:
    exe = ".exe" if sys.platform == "win32" else ""
    return DIST / "gxaudit" / f"{name}{exe}"


def smoke(report: Path) -> int:
    """Run the built app's self-test in a clean environment without Python."""
    out = Path(tempfile.mkdtemp(prefix="gxaudit-smoke-"))
    home = out / "home"
    home.mkdir()
    nobin = out / "empty-bin"          # PATH holds nothing: no python, no system tools
    nobin.mkdir()
    env = {"PATH": str(nobin), "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8", "GXAUDIT_DATA_DIR": str(home / "data"), "GXAUDIT_LOG_DIR": str(home / "log")}
    if sys.platform == "win32":
        env = {**os.environ, **{k: v for k, v in env.items() if k != "PATH"}}
    t0 = time.monotonic()
    proc = subprocess.run([str(binary("gxaudit")), "--self-test", str(report), str(out)], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    dt = time.monotonic() - t0
    print(proc.stdout.strip())
    if proc.returncode != 0:
        print(proc.stderr.strip()[-2000:], file=sys.stderr)
        print(f"smoke test FAILED (exit {proc.returncode})")
        return proc.returncode or 1
    for name in ("self-test.xlsx", "self-test.pdf", "self-test.json"):
        if not (out / name).is_file() or (out / name).stat().st_size == 0:
            print(f"smoke test FAILED: {name} missing")
            return 1
    print(f"smoke test passed in {dt:.1f} s; outputs in {out}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--skip-smoke", action="store_true")
    ap.add_argument("--no-deb", action="store_true", help="Linux: do not make the .deb after the bundle")
    ap.add_argument("--deb-compression", choices=("xz", "gzip"), default="gzip")
    args = ap.parse_args(argv)
    if not args.skip_build:
        secs = build()
        print(f"built {DIST / 'gxaudit'} in {secs:.0f} s; size {folder_size(DIST / 'gxaudit') / 1e6:.0f} MB")
    if not args.skip_smoke:
        rc = smoke(args.report)
        if rc:
            return rc
    if sys.platform.startswith("linux") and not args.no_deb:
        if shutil.which("dpkg-deb") is None:
            print("dpkg-deb not found: no .deb made (apt-get install dpkg-dev)")
            return 0
        return subprocess.run([sys.executable, str(ROOT / "packaging" / "linux" / "make_deb.py"),
                               "--compression", args.deb_compression]).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
