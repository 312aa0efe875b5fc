"""The summary's Chinese font: a stale matplotlib font list is rescanned once,
and the bundled WenQuanYi Micro Hei makes exports independent of the machine."""
from __future__ import annotations

import pytest

from gxaudit.core.export import charts


@pytest.fixture
def fresh_lookup():
    charts.mpl()
    from matplotlib import font_manager
    saved = list(font_manager.fontManager.ttflist)
    charts.find_cjk_font.cache_clear()
    yield
    font_manager.fontManager.ttflist = saved
    charts.find_cjk_font.cache_clear()


def _stale(font_manager):
    """What a cache built before any CJK font was installed holds."""
    fm = font_manager.fontManager
    fm.ttflist = [e for e in fm.ttflist if not charts._has_glyphs(e.fname)]


def test_stale_font_list_is_rescanned_before_giving_up(fresh_lookup, monkeypatch):
    from matplotlib import font_manager
    monkeypatch.setattr(charts, "bundled_fonts", lambda: [])      # only the system's fonts
    _stale(font_manager)
    assert charts._pick(font_manager.fontManager.ttflist) is None
    name = charts.find_cjk_font()
    assert name is not None                 # found by the rescan (fonts-wqy-microhei on this machine)
    assert any(e.name == name for e in font_manager.fontManager.ttflist)


def test_bundled_font_is_used_when_the_system_has_none(fresh_lookup, monkeypatch):
    from matplotlib import font_manager
    assert [p.rsplit("/", 1)[-1] for p in charts.bundled_fonts()] == ["wqy-microhei.ttc"]
    monkeypatch.setattr(charts, "rescan_fonts", lambda fm: _stale(fm))   # a machine without CJK fonts
    _stale(font_manager)
    assert charts.find_cjk_font() == "WenQuanYi Micro Hei"
    assert any(e.fname in charts.bundled_fonts() for e in font_manager.fontManager.ttflist)


def test_no_font_at_all_is_one_clear_error(fresh_lookup, monkeypatch):
    from matplotlib import font_manager
    monkeypatch.setattr(charts, "bundled_fonts", lambda: [])
    monkeypatch.setattr(charts, "rescan_fonts", lambda fm: _stale(fm))
    _stale(font_manager)
    with pytest.raises(charts.ReportError, match="未找到可显示中文的字体"):
        charts.require_cjk_font()
