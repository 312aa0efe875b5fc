"""gxaudit.core must import and work with Qt unavailable."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, SEED_000, require

SCRIPT = r"""
import importlib, pkgutil, sys
sys.modules["PySide6"] = None      # any import of PySide6 now raises ImportError
sys.modules["shiboken6"] = None
import gxaudit.core
for m in pkgutil.walk_packages(gxaudit.core.__path__, "gxaudit.core."):
    importlib.import_module(m.name)
from gxaudit.core import check_file
report, findings = check_file(sys.argv[1])
assert any(f.rule == "T3-ROW" for f in findings)
loaded = [m for m in sys.modules if m.startswith(("PySide6", "shiboken6")) and sys.modules[m] is not None]
assert not loaded, loaded
print("ok")
"""


def test_core_imports_without_qt():
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(require(SEED_000))],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
