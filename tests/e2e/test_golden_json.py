"""``gxaudit check --json`` is byte-identical to the golden outputs.

The goldens were written by ``scripts/golden_json.py`` from the code before
the architecture refactor (issue 12).  A change of output on purpose: rerun
the script and review the diff of ``tests/golden/``.
"""
from __future__ import annotations

import importlib.util
import json

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("golden_json", ROOT / "scripts" / "golden_json.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

INDEX = json.loads((golden.GOLDEN / "index.json").read_text(encoding="utf-8"))
CASES = golden.cases()


def test_every_case_has_a_golden():
    assert sorted(name for name, _ in CASES) == sorted(INDEX)
    assert len(CASES) >= 25       # corpus, seeds, fixtures, an exported workbook, two priors


@pytest.mark.parametrize("name,args", CASES, ids=[n for n, _ in CASES])
def test_check_json_matches_golden(name, args):
    code, out, err = golden.run_case(args)
    want = (golden.GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    assert out == want
    assert golden._index_entry(args, code, err) == INDEX[name]
