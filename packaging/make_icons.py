"""Render resources/icons/gxaudit.svg into every icon the bundles need:
the freedesktop hicolor sizes (PNG), a Windows .ico and a macOS .icns.

    .venv/bin/python packaging/make_icons.py [OUTDIR]

Uses QtSvg (PySide6-Essentials) to render and Pillow (which matplotlib
brings) to pack .ico/.icns.  The generated files go to OUTDIR (default
build/icons); the SVG stays the only source kept in git.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "gxaudit.svg"
APP_ID = "org.gxaudit.GxAudit"
# Sizes the Icon Theme Specification's hicolor theme expects for applications.
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"invalid SVG: {SVG}")
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    renderer.render(p)
    p.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not img.save(str(out)):
        raise SystemExit(f"could not write {out}")


def main(outdir: str | None = None) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(outdir) if outdir else ROOT / "build" / "icons"
    pngs = {}
    for s in HICOLOR_SIZES:
        path = out / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ID}.png"
        render(s, path)
        pngs[s] = path
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SVG.read_bytes())
    from PIL import Image
    big = Image.open(pngs[256])
    big.save(out / "gxaudit.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    Image.open(pngs[512]).save(out / "gxaudit.icns")
    return out


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
