"""Find files under ``resources/`` from a source tree, an installed package or
a frozen (PyInstaller) bundle — one helper for all three."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")   # source tree
    candidates.append(Path(sys.prefix) / "share" / "gxaudit" / "resources")   # pip install .
    env = os.environ.get("GXAUDIT_RESOURCES")
    if env:
        candidates.insert(0, Path(env))
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError("gxaudit resources not found; looked in: " + ", ".join(map(str, candidates)))


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_report() -> Path:
    return resource("samples", "taierzhuang-hrss-2021.txt")
