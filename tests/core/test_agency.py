"""One agency under its names: a report that writes its city in front
(淮安市洪泽区人民政府) is the same agency as one that does not (洪泽区人民政府),
in the season's per-agency counts as in last-year matching."""
from __future__ import annotations

from gxaudit.core.export.season_pdf import _agencies
from gxaudit.core.history import by_agency, normalize_agency, same_agency


class _Entry:
    def __init__(self, agency, errors=0, warnings=0):
        self.agency, self._n = agency, {"error": errors, "warning": warnings}

    def count(self, severity):
        return self._n[severity]


def test_city_prefix_and_traditional_script_are_one_agency():
    names = ["洪泽区人民政府", "淮安市洪泽区人民政府", "淮安市人民政府", "洪澤區人民政府", None, "",
             "淮安市洪泽区人民政府办公室"]
    groups = by_agency(names, lambda n: n)
    assert groups == {
        "淮安市洪泽区人民政府": ["洪泽区人民政府", "淮安市洪泽区人民政府", "洪澤區人民政府"],
        "淮安市人民政府": ["淮安市人民政府"],
        "未识别机关": [None, ""],
        "淮安市洪泽区人民政府办公室": ["淮安市洪泽区人民政府办公室"],
    }


def test_a_city_is_not_its_district():
    assert not same_agency(normalize_agency("淮安市人民政府"), normalize_agency("洪泽区人民政府"))
    assert not same_agency(normalize_agency("淮安市人民政府"), normalize_agency("淮安市洪泽区人民政府"))


def test_season_summary_counts_an_agency_once():
    sheet = type("Sheet", (), {})()
    sheet.checked = [_Entry("洪泽区人民政府", 2, 1), _Entry("淮安市洪泽区人民政府", 1, 0),
                     _Entry("淮安市人民政府", 0, 3)]
    assert _agencies(sheet) == [["淮安市洪泽区人民政府", 2, 3, 1], ["淮安市人民政府", 1, 0, 3]]
