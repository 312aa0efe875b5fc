"""Packaging: the desktop entry, the icons, resources from source and bundle,
and (slow) the bundle build with its smoke test."""
from __future__ import annotations

import configparser
import shutil
import subprocess
import sys

import pytest

from gxaudit import resources
from tests.conftest import ROOT

DESKTOP = ROOT / "packaging" / "linux" / "org.gxaudit.GxAudit.desktop"


def test_desktop_file_validates():
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate not installed (scripts/setup.sh --with-tools installs it)")
    out = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_desktop_file_offers_open_with_for_reports():
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read(DESKTOP, encoding="utf-8")
    entry = cp["Desktop Entry"]
    mimes = set(filter(None, entry["MimeType"].split(";")))
    assert {"application/pdf", "text/html",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} <= mimes
    assert entry["Exec"] == "gxaudit %F" and entry["Icon"] == "org.gxaudit.GxAudit"


def test_icons_render_from_the_one_svg(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "packaging" / "make_icons.py"), str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    from PIL import Image
    for size in (16, 32, 48, 64, 128, 256, 512):
        png = tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "org.gxaudit.GxAudit.png"
        assert Image.open(png).size == (size, size)
    assert (tmp_path / "hicolor" / "scalable" / "apps" / "org.gxaudit.GxAudit.svg").exists()
    assert Image.open(tmp_path / "gxaudit.ico").format == "ICO"


def test_resources_from_source_tree():
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.sample_report().is_file()
    assert resources.resource("icons", "gxaudit.svg").is_file()


def test_resources_from_a_frozen_bundle(tmp_path, monkeypatch):
    bundle = tmp_path / "bundle"
    shutil.copytree(ROOT / "resources", bundle / "resources")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources.resources_dir() == bundle / "resources"
    assert resources.sample_report() == bundle / "resources" / "samples" / "taierzhuang-hrss-2021.txt"


@pytest.mark.slow
def test_bundle_builds_and_passes_its_smoke_test():
    pytest.importorskip("PyInstaller", reason='needs the package extra: pip install -e ".[package]"')
    out = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], cwd=ROOT,
                         capture_output=True, text=True, timeout=1500)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "smoke test passed" in out.stdout
