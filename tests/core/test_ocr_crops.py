"""OCR crops of a table read without its lines, each made by hand as ink
in a mask: figures a faded line ran together shared out by their ink, a
lone dash, the figures of two crops never one number, and the rest of a
table carried over to the next page."""
from __future__ import annotations

import numpy as np
import pytest

from gxaudit.core.ingest.ocr import FULL_DPI, _opens_with_figures
from gxaudit.core.ingest.ocr_crops import _crop_chars
from gxaudit.core.ingest.ocr_crops import figure_pieces, is_dash_crop
from gxaudit.core.ingest.ocr_engine import OcrLine
from gxaudit.core.ingest.ocr_grid import _Frame
from gxaudit.core.ingest.pdfgrid import Char
from gxaudit.core.ingest.pdfloose import rows_of

pytest.importorskip("cv2")

H, W = 80, 400


def _ink(*glyphs: tuple[int, int], remnant: tuple[int, int] | None = None, top: int = 20, tall: int = 18):
    """A mask with a digit-sized blot (hollow, as a 0) at each (x0, x1); and
    a one-pixel line of a faded row line from remnant[0] to remnant[1] at
    the glyphs' top (touching them, as what is left of a line does)."""
    ink = np.zeros((H, W), dtype=bool)
    for x0, x1 in glyphs:
        ink[top:top + tall, x0:x1] = True
        ink[top + 3:top + tall - 3, x0 + 3:x1 - 3] = False
    if remnant:
        ink[top, remnant[0]:remnant[1]] = True
    return ink


def _crop(text: str, x0: int, x1: int, score: float = 0.99) -> OcrLine:
    return OcrLine(text, x0, 10, x1, 50, score)


def test_two_figures_a_faded_line_ran_together_are_one_each_where_their_ink_is():
    ink = _ink((110, 121), (190, 201), remnant=(100, 300))
    assert figure_pieces(_crop("0 0", 100, 300), ink) == [("0", 110.0, 121.0), ("0", 190.0, 201.0)]


def test_the_spaces_lost_each_digit_goes_to_the_figure_its_ink_makes():
    ink = _ink((110, 121), (190, 201), (270, 281), remnant=(100, 300))
    assert figure_pieces(_crop("008", 100, 300), ink) == [("0", 110.0, 121.0), ("0", 190.0, 201.0),
                                                         ("8", 270.0, 281.0)]


def test_one_number_keeps_its_digits_together_and_its_box_shrinks_to_its_ink():
    ink = _ink((110, 121), (123, 134), remnant=(100, 300))          # "45": 2 px apart
    assert figure_pieces(_crop("45", 100, 300), ink) == [("45", 110.0, 134.0)]


def test_figures_the_ink_does_not_bear_out_are_no_figures():
    ink = _ink((110, 121), (123, 134))                              # one number's ink ...
    assert figure_pieces(_crop("4 5", 100, 300), ink) == []          # ... read as two figures
    ink = _ink((110, 121), (190, 201))                              # two figures' ink ...
    assert figure_pieces(_crop("4 5 6", 100, 300), ink) == []        # ... read as three


def test_a_label_is_not_shared_out():
    assert figure_pieces(_crop("5.属于三类内部事务", 100, 300), _ink((110, 121))) is None


def _frame() -> _Frame:
    return _Frame(0.0, W, H, FULL_DPI)


def test_two_figures_that_cannot_be_shared_out_are_flagged_never_one_number():
    """"5 0" with the ink of one blot: never the figure 50."""
    chars = _crop_chars(_crop("5 0", 100, 300), _frame(), None, _ink((110, 121)))
    assert [(c.ch, c.score) for c in chars] == [("5 0", 0.0)]


def test_split_figures_keep_the_crops_score_and_their_own_places():
    chars = _crop_chars(_crop("0 0", 100, 300), _frame(), None, _ink((110, 121), (190, 201), remnant=(100, 300)))
    assert [c.ch for c in chars] == ["0", "0"] and all(c.score == 0.99 for c in chars)
    assert chars[0].x1 < chars[1].x0


def test_a_lone_dash_glyph_on_a_rows_line_is_the_placeholder_and_a_line_remnant_is_not():
    ink = np.zeros((H, W), dtype=bool)
    ink[30:32, 110:135] = True                                      # "—": 25 px by 2
    dash = _crop("一", 105, 140)
    assert is_dash_crop(dash, ink, FULL_DPI)
    assert [c.ch for c in _crop_chars(dash, _frame(), None, ink)] == ["—"]
    thin = OcrLine("一", 105, 27, 140, 35, 0.9)                      # a band as thin as the stroke
    assert not is_dash_crop(thin, ink, FULL_DPI)
    assert not is_dash_crop(_crop("二", 105, 140), ink, FULL_DPI)


def _row_of(figures: list[tuple[str, float]], top: float, label: str | None = None) -> list[Char]:
    out = [] if label is None else [Char(label, 80, top + 8, 40, 120, top, top + 16)]
    for text, x in figures:
        out.append(Char(text, x + 4, top + 8, x, x + 8, top, top + 16))
    return out


def test_two_ocr_crops_are_never_joined_into_one_number():
    """In a PDF, digits spaced out ("1 5 2 3") are one number; two OCR
    crops were cut apart where their ink stood apart: "0" and "0" in
    neighbouring columns are never "00"."""
    chars = []
    for k, label in enumerate(("1.甲", "2.乙", "3.丙")):
        chars += _row_of([("1", 200), ("2", 240), ("3", 280)], 100 + 30 * k, label)
    chars += _row_of([("0", 200), ("0", 240), ("0", 252)], 190, "4.丁")     # 4 pt apart
    rows = rows_of(chars, 1, crops=True)
    last = next(r for r in rows if r.cells[0].text == "4.丁")
    assert "00" not in [c.text for c in last.cells]
    joined = rows_of(chars, 1)                                       # a PDF's glyphs: one number
    assert "00" in [c.text for r in joined for c in r.cells]


def test_a_line_of_figures_at_the_top_of_a_page_opens_the_rest_of_a_table():
    height = 1000
    header = [OcrLine(ch, 100 + 40 * k, 50, 130 + 40 * k, 80, 0.99) for k, ch in enumerate("维持纠正")]
    figures = [OcrLine(d, 100 + 40 * k, 150, 110 + 40 * k, 170, 0.99) for k, d in enumerate("1001200000")]
    assert _opens_with_figures(header + figures, height)
    low = [OcrLine(d, 100 + 40 * k, 600, 110 + 40 * k, 620, 0.99) for k, d in enumerate("1001200000")]
    assert not _opens_with_figures(header + low, height)              # figures further down: prose
    date = [OcrLine("2024年1月25日", 100, 150, 300, 170, 0.99)]
    assert not _opens_with_figures(header + date, height)


def test_a_heading_in_large_type_is_a_line_and_stacked_figures_are_not():
    """A crop taller than a table's lines is several lines read as one
    ("011": three rows' figures), unless its words are as wide as one line
    of glyphs that tall: a heading in larger type (四、政府信息公开行政复议、
    行政诉讼情况 on Huai'an 2024 scanned with faint lines had been dropped,
    and 表四's rows read as 表三's)."""
    from gxaudit.core.ingest.ocr_crops import _large_type
    assert _large_type(Char("四、", 128, 1163, 100, 156, 1141, 1185))        # as measured on that page
    assert _large_type(Char("政府信息公开", 238, 1163, 130, 346, 1141, 1185))
    assert not _large_type(Char("011", 100, 1160, 95, 105, 1141, 1185))          # figures stacked
    assert not _large_type(Char("信息", 100, 1160, 95, 110, 1100, 1185))        # two lines of one column


def test_a_column_line_taken_out_is_a_wall_between_a_label_and_its_figure():
    """A label written up to its cell's wall and the figure just past the
    wall are two crops once the wall's line is taken out; without the line
    the small gap would have made them one ("确认0")."""
    from gxaudit.core.ingest.ocr_cells import page_crops
    dark = np.zeros((200, 600), dtype=bool)
    dark[80:104, 100:300] = True                       # the label's ink, up to x 300
    dark[80:104, 312:322] = True                       # the figure, 12 px past it
    rules = np.zeros_like(dark)
    rules[20:180, 305:307] = True                      # the column line that stood between
    crops, _ = page_crops(dark, FULL_DPI, 1.0, rules)
    assert len(crops) == 2
    crops, _ = page_crops(dark, FULL_DPI, 1.0)
    assert len(crops) == 1
    short = np.zeros_like(dark)
    short[20:85, 305:307] = True                       # a line ending just inside the text's band
    crops, _ = page_crops(dark, FULL_DPI, 1.0, short)
    assert len(crops) == 1


def test_a_crop_cut_tall_by_ink_beside_it_is_judged_by_its_own_ink():
    """Huai'an 2024 scanned with faint lines: the line of 5.属于三类内部事务信息
    was cut as high as the label 予公开 set lower in the column beside it, so
    each of its crops (the label and its seven figures) was taller than a
    line and dropped as several lines run together.  A crop is tall by the
    height of its own ink."""
    from gxaudit.core.ingest.ocr_crops import unruled_rows
    frame = _Frame(0.0, 1000, 1000, 72.0)                         # one pixel a point
    ink = np.zeros((1000, 1000), dtype=bool)
    lines = []
    for k, top in enumerate((100, 140, 180, 220)):
        tall = 30 if k == 2 else 14                               # the third row's line cut 30 high
        label = f"{k + 1}.属于第{k + 1}类信息"
        ink[top + 2:top + 14, 20:120] = True
        lines.append(OcrLine(label, 18, top, 122, top + tall, 0.99))
        for j, d in enumerate("7100"):
            x = 200 + 60 * j
            ink[top + 2:top + 14, x:x + 8] = True
            lines.append(OcrLine(d, x - 2, top, x + 10, top + tall, 0.99))
    rows = unruled_rows(lines, frame, 4, ink, ink)
    third = [r for r in rows if r.cells[0].text.startswith("3.")]
    assert third and [c.text for c in third[0].cells[1:]] == ["7", "1", "0", "0"]
