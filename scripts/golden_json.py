"""Golden ``gxaudit check --json`` outputs: write them (default) or compare them.

Runs the CLI in-process (``gxaudit.cli.main``, the very code path of the
command) with ``--no-library`` and every user directory pointed into a
temporary folder, on every corpus file, both seeds, every report fixture under
``tests/fixtures/`` and the inputs under ``tests/golden/inputs/`` (an exported
workbook carrying a review).  A few cases check with ``--prior``.

Machine-specific fields (absolute paths) are normalised to ``<corpus>/NAME``,
``<seeds>/NAME``, ``<fixtures>/NAME`` and ``<inputs>/NAME``.  Each case gives
``tests/golden/CASE.json`` (stdout, byte for byte after normalisation);
``tests/golden/index.json`` holds every case's arguments, exit code and stderr.

    python scripts/golden_json.py            # regenerate (review the git diff!)
    python scripts/golden_json.py --check    # compare, list the cases that differ
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GXAUDIT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "real"
SEEDS = SHARED / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
INPUTS = GOLDEN / "inputs"
REPORT_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".xlsx")

# Cross-year cases: (case name, report, prior).
PRIOR_CASES = [
    ("prior__hongze_2024_vs_2023",
     CORPUS / "jiangsu_huaian_hongze-district-gov_2024_annual-report.pdf",
     CORPUS / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"),
    ("prior__fx2021_vs_fx2019", FIXTURES / "fx2021.html", FIXTURES / "fx2019.html"),
]


def _roots() -> list[tuple[str, Path]]:
    return [("<corpus>", CORPUS), ("<seeds>", SEEDS), ("<fixtures>", FIXTURES), ("<inputs>", INPUTS)]


def _inputs(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                  and not p.name.endswith(".expected.json"))


def cases() -> list[tuple[str, list[str]]]:
    """(case name, CLI arguments after ``check``) for every golden case."""
    out = []
    for prefix, folder in (("corpus", CORPUS), ("seeds", SEEDS), ("fixtures", FIXTURES),
                           ("inputs", INPUTS)):
        for p in _inputs(folder):
            out.append((f"{prefix}__{p.name}", [str(p)]))
    for name, report, prior in PRIOR_CASES:
        out.append((name, [str(report), "--prior", str(prior)]))
    return out


def normalise(text: str) -> str:
    """Absolute paths of the inputs become ``<root>/NAME`` (JSON-escaped too)."""
    for label, folder in _roots():
        for spelling in (str(folder.resolve()), str(folder)):
            text = text.replace(json.dumps(spelling)[1:-1] + json.dumps(os.sep)[1:-1], label + "/")
            text = text.replace(spelling + os.sep, label + "/")
    return text


@contextlib.contextmanager
def _isolated_env():
    keys = ("GXAUDIT_DATA_DIR", "GXAUDIT_CONFIG_DIR", "GXAUDIT_LOG_DIR", "XDG_CACHE_HOME",
            "XDG_CONFIG_HOME", "XDG_DATA_HOME")
    saved = {k: os.environ.get(k) for k in keys}
    with tempfile.TemporaryDirectory(prefix="gxaudit-golden-") as tmp:
        for k in keys:
            os.environ[k] = os.path.join(tmp, k.lower())
        try:
            yield
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def run_case(args: list[str]) -> tuple[int, str, str]:
    """``gxaudit check ARGS --json --no-library`` in-process: (exit, stdout, stderr)."""
    from gxaudit.cli import main
    out, err = io.StringIO(), io.StringIO()
    with _isolated_env(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *args, "--json", "--no-library"])
    return code, normalise(out.getvalue()), normalise(err.getvalue())


def _index_entry(args: list[str], code: int, err: str) -> dict:
    return {"args": [normalise(a + os.sep)[:-1] if os.path.isabs(a) else a for a in args],
            "exit": code, "stderr": err}


def write_all() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    index = {}
    for name, args in cases():
        code, out, err = run_case(args)
        (GOLDEN / f"{name}.json").write_text(out, encoding="utf-8")
        index[name] = _index_entry(args, code, err)
        print(f"{name}: exit {code}", file=sys.stderr)
    (GOLDEN / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return 0


def check_all() -> int:
    index = json.loads((GOLDEN / "index.json").read_text(encoding="utf-8"))
    bad = []
    for name, args in cases():
        code, out, err = run_case(args)
        want = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
        if out != want or index.get(name) != _index_entry(args, code, err):
            bad.append(name)
    print("\n".join(bad) or "all golden outputs match", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(check_all() if "--check" in sys.argv[1:] else write_all())
