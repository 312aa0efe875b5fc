"""pdfloose.rows_of on characters placed by hand: the rules that read a
table without ruling lines, each on the smallest page that shows it."""
from __future__ import annotations

from gxaudit.core.ingest.pdfgrid import Char
from gxaudit.core.ingest.pdfloose import rows_of


def _text(s: str, x: float, top: float, size: float = 10.0, gap: float = 0.0) -> list[Char]:
    """One Char per character from (x, top); ``gap``: letter spacing."""
    out = []
    for ch in s:
        w = size if ord(ch) > 0x7F else size / 2
        out.append(Char(ch, x + w / 2, top + size / 2, x, x + w, top, top + size))
        x += w + gap
    return out


def _cells(rows) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in rows]


def test_a_row_name_with_nothing_beside_it_is_a_blank_row():
    """表二's 行政强制 printed with nothing beside it (no ruling lines) is that
    row left blank in the column of the figure above it."""
    chars = (_text("信息内容", 60, 100) + _text("本年处理决定数量", 250, 100)
             + _text("行政处罚", 60, 130) + _text("87", 180, 130)
             + _text("行政强制", 60, 160) + _text("第二十条第（八）项", 40, 190) + _text("3", 180, 220))
    rows = rows_of(chars, 1)
    coercion = next(r for r in rows if r.cells[0].text == "行政强制")
    assert coercion.grid and [c.text for c in coercion.cells] == ["行政强制", ""]
    x0, top, x1, bottom = coercion.cells[1].bbox
    assert (x0, x1) == (180, 190) and (top, bottom) == (160, 170)


def test_a_row_name_is_not_blank_when_figures_without_a_label_stand_near():
    """The same name with a row of figures just below it that has no label:
    those figures may be its own, so the name stays a text line (the row is
    flagged, never made blank)."""
    chars = (_text("行政处罚", 60, 130) + _text("87", 180, 130)
             + _text("行政强制", 60, 160) + _text("5", 180, 185) + _text("6", 230, 185))
    rows = rows_of(chars, 1)
    coercion = next(r for r in rows if r.cells[0].text == "行政强制")
    assert not coercion.grid and len(coercion.cells) == 1


def test_a_note_split_by_letter_spacing_stays_with_its_number():
    """"22（其中修订16" and "件）" with a wider gap between them: one figure,
    as are "12.5" and its unit; a year in a sentence is not one."""
    chars = (_text("行政规范性文件", 60, 100) + _text("3", 180, 100) + _text("1", 300, 100)
             + _text("22（其中修订16", 420, 100, size=7) + _text("件）", 473, 100, size=7)
             + _text("行政事业性收费", 60, 130) + _text("12.5", 180, 130) + _text("万元", 204, 130))
    assert _cells(rows_of(chars, 1)) == [["行政规范性文件", "3", "1", "22（其中修订16件）"],
                                         ["行政事业性收费", "12.5万元"]]


def test_a_negative_figure_is_a_figure():
    """2019 format 本年增/减: "-5" stands in its column like any figure."""
    chars = (_text("行政许可", 60, 100) + _text("120", 180, 100) + _text("-5", 300, 100) + _text("1523", 420, 100)
             + _text("行政强制", 60, 130) + _text("4", 180, 130) + _text("1", 300, 130) + _text("6", 420, 130))
    assert _cells(rows_of(chars, 1)) == [["行政许可", "120", "-5", "1523"], ["行政强制", "4", "1", "6"]]


def test_a_block_label_column_is_kept_out_of_the_row_labels():
    """（六）其他处理 printed down its own column beside the labels of its
    rows: each row's label is read from its own column (the block label's
    pieces are lines of their own), though the lines share their height."""
    figs = lambda top: sum((_text("0", 300 + 35 * c, top) for c in range(7)), [])  # noqa: E731
    chars = (_text("（六", 95, 100) + _text("1.申请人无正当理由", 141, 100) + figs(100)
             + _text("）其", 95, 130) + _text("2.申请人逾期未按收", 141, 130)
             + _text("他处", 95, 160) + _text("费通知", 141, 160) + figs(160)
             + _text("理", 95, 190) + _text("3.其他", 141, 190) + figs(190))
    labels = [r.cells[0].text for r in rows_of(chars, 1) if len(r.cells) == 8]
    assert labels == ["1.申请人无正当理由", "2.申请人逾期未按收费通知", "3.其他"]
