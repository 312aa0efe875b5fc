"""Shared test setup: paths to ../shared, isolated settings and logs."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before pytest-qt creates its (session-wide) QApplication.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GXAUDIT_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "real"
SEED_000 = SEEDS / "000_49be06292ffbce6d.txt"
SEED_003 = SEEDS / "003_33343ac73761361d.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Every test gets its own data, config and log directories."""
    monkeypatch.setenv("GXAUDIT_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("GXAUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdgdata"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


def require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"test material missing: {path} (is ../shared beside the checkout?)")
    return path
