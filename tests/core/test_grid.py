"""The printed grids come from the format data and cover every cell once."""
from __future__ import annotations

import pytest

from gxaudit.core import formats
from gxaudit.core.grid import VALUE, grid_for


@pytest.mark.parametrize("table", formats.TABLES)
@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_grid_covers_every_cell_once(table, fmt):
    lay = formats.layout(table, fmt)
    g = grid_for(lay)
    keys = [it.key for it in g.items if it.kind == VALUE]
    assert sorted(keys) == sorted(lay.cell_keys())
    covered = {}
    for it in g.items:
        assert 0 <= it.row and it.row + it.rowspan <= g.rows
        assert 0 <= it.col and it.col + it.colspan <= g.cols
        for r in range(it.row, it.row + it.rowspan):
            for c in range(it.col, it.col + it.colspan):
                assert (r, c) not in covered, (it, covered.get((r, c)))
                covered[(r, c)] = it
    assert len(covered) == g.rows * g.cols       # no holes


def test_table3_group_spans_follow_the_format():
    g = grid_for(formats.T3_2021)
    result = next(it for it in g.items if it.text == formats.G_RESULT)
    assert result.rowspan == 22                 # domain.md §2: rowspan 22 in 2021
    assert next(it for it in g.items if it.text == formats.G_WITHHELD).rowspan == 8
    assert grid_for(formats.T3_2019).items and next(
        it for it in grid_for(formats.T3_2019).items if it.text == formats.G_RESULT).rowspan == 20
