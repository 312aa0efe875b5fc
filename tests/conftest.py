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
    from gxaudit.core.files import forget_protected
    forget_protected()           # sources read by an earlier test are not this test's


def require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"test material missing: {path} (is ../shared beside the checkout?)")
    return path


def assert_matches_expected(report, findings, exp: dict) -> None:
    """A fixture read cell-exact against its NAME.expected.json: metadata, every
    cell's value and status, nothing missing or doubled, the deliberate break."""
    assert (report.template, report.year, report.agency, report.published) == \
        (exp["template"], exp["year"], exp["agency"], exp["published"])
    assert set(report.cells) == set(exp["cells"])
    wrong = {k: ((c.value, c.status), (exp["cells"][k]["value"], exp["cells"][k]["status"]))
             for k, c in report.cells.items()
             if (c.value, c.status) != (exp["cells"][k]["value"], exp["cells"][k]["status"])}
    assert wrong == {}
    assert report.missing_rows == [] and report.duplicates == [] and report.reading_notes == []
    # The deliberate break: exactly the expected identities fail, all naming
    # the same suspect with the corrected value.
    errors = [f for f in findings if f.severity == "error"]
    for s in exp["suspects"]:
        assert sorted({f.rule for f in errors}) == s["rules"]
        assert {(f.suspect, f.suggested) for f in errors} == {(s["suspect"], s["suggested"])}
