"""Charts and a Chinese font for the exports (matplotlib, Agg, imported lazily).

Both the workbook (a PNG on its 概要 sheet) and the printed summary (vector
drawings in the PDF) draw their charts here, from the same figures.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from .. import formats
from ..model import ReportError, Report

log = logging.getLogger("gxaudit.export")

# Fonts with Chinese glyphs, best first.  Any other font that has the glyphs
# will do when none of these is installed.
CJK_FONT_NAMES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "Noto Serif CJK SC", "SimSun", "AR PL UMing CN",
)
_CJK_PROBE = "审核政府信息公开年度报告"

NO_FONT_MESSAGE = ("未找到可显示中文的字体，无法生成审核摘要。请安装中文字体后重试"
                   "（Debian/Ubuntu：sudo apt install fonts-wqy-microhei；"
                   "Windows、macOS 自带的微软雅黑、苹方均可）。")

# The result groups of table 三 (domain.md §3), in the printed order.
RESULT_GROUPS = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
_NUMBERING = re.compile(r"^（[一二三四五六七八九十]+）")


def mpl():
    """matplotlib, imported on first use.  The exports draw on Figures with
    Agg canvases (never pyplot), so the process-wide backend is left alone."""
    import matplotlib
    # CJK fonts often have no bold face; matplotlib's "using 400 instead" is noise.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return matplotlib


def _has_glyphs(path: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font
        cmap = FT2Font(path).get_charmap()
    except Exception:  # noqa: BLE001 - unreadable font files are skipped
        return False
    return all(ord(ch) in cmap for ch in _CJK_PROBE)


def bundled_fonts() -> list[str]:
    """The open-licensed CJK font(s) shipped in ``resources/fonts/``."""
    try:
        from ...resources import resource
        folder = resource("fonts")
    except FileNotFoundError:
        return []
    if not folder.is_dir():
        return []
    return sorted(str(p) for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc", ".otf"))


def _register_bundled(font_manager) -> None:
    known = {e.fname for e in font_manager.fontManager.ttflist}
    for path in bundled_fonts():
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # noqa: BLE001 - a damaged file must not stop the export
                log.warning("bundled font %s unusable", path, exc_info=True)


def _pick(entries) -> str | None:
    by_name: dict[str, list] = {}
    for e in entries:
        by_name.setdefault(e.name, []).append(e)
    for name in CJK_FONT_NAMES:
        for e in by_name.get(name, ()):
            if _has_glyphs(e.fname):
                return name
    hints = ("CJK", "Hei", "Song", "Kai", "Ming", "Han", "WenQuanYi", "YaHei", "Fang", "Gothic")
    for e in entries:
        if any(h.lower() in e.name.lower() for h in hints) and _has_glyphs(e.fname):
            return e.name
    return None


def rescan_fonts(font_manager) -> None:
    """Forget matplotlib's font list (its cache may predate the CJK font's
    installation), scan the system again and save the fresh list."""
    import matplotlib
    fm = font_manager.fontManager
    fm.__init__()                      # in place: findfont stays bound to this manager
    if hasattr(fm, "_findfont_cached"):
        fm._findfont_cached.cache_clear()
    try:
        from pathlib import Path
        cache = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
        font_manager.json_dump(fm, cache)
    except Exception:  # noqa: BLE001 - an unwritable cache only costs the next start a scan
        log.info("could not save matplotlib's font list", exc_info=True)


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The family name of a font with Chinese glyphs, or None: an installed
    one, else the bundled one; when matplotlib's (cached) font list has none,
    the system's fonts are scanned once more before giving up."""
    mpl()
    from matplotlib import font_manager
    _register_bundled(font_manager)
    name = _pick(font_manager.fontManager.ttflist)
    if name is None:
        log.info("no CJK font in matplotlib's font list; rescanning the system fonts")
        rescan_fonts(font_manager)
        _register_bundled(font_manager)
        name = _pick(font_manager.fontManager.ttflist)
    return name


def require_cjk_font() -> str:
    name = find_cjk_font()
    if name is None:
        raise ReportError(NO_FONT_MESSAGE)
    return name


def rc(font: str) -> dict:
    """matplotlib settings for the exports: the Chinese font, TrueType (type
    42) embedding so that the PDF's text can be searched and extracted."""
    return {
        # The family itself, not "sans-serif": text keeps the font it was made
        # with, so a figure drawn outside this context (GUI printing) stays Chinese.
        "font.family": [font, "DejaVu Sans"],
        "font.sans-serif": [font, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
    }


def result_groups(report: Report) -> dict[str, int | float | None]:
    """How this year's requests were handled: table 三's result groups summed
    over the 总计 column.  A group is None when none of its cells is known."""
    lay = report.table_layout("t3")
    out: dict[str, int | float | None] = {g: None for g in RESULT_GROUPS}
    for row in lay.rows:
        if row.role != "leaf":
            continue
        name = row.short if row.group == formats.G_RESULT else row.group
        name = _NUMBERING.sub("", name or "")
        if name not in out:
            continue
        v = report.value(f"t3.{row.key}.total")
        if v is not None:
            out[name] = (out[name] or 0) + v
    return out


def _year_label(report: Report, fallback: str) -> str:
    return f"{report.year}年" if report.year else fallback


def _paired_bars(ax, xs, names: list[str], before: dict, prior_label: str, now: dict,
                 this_label: str) -> None:
    """Last year's bars beside this year's, with their values and a legend."""
    w = 0.38
    b1 = ax.bar([x - w / 2 for x in xs], [before[g] or 0 for g in names], w,
                label=prior_label, color="#b8c4d6", edgecolor="#5b6b82", linewidth=0.6)
    b2 = ax.bar([x + w / 2 for x in xs], [now[g] or 0 for g in names], w,
                label=this_label, color="#3b6ea5", edgecolor="#24476d", linewidth=0.6)
    _bar_labels(ax, b1, [before[g] for g in names])
    _bar_labels(ax, b2, [now[g] for g in names])
    ax.legend(fontsize=8, frameon=False)


def draw_results(ax, report: Report, prior: Report | None = None, title: str | None = None) -> None:
    """Bars of table 三's result groups; this year beside last year when a
    prior-year report is given."""
    groups = list(RESULT_GROUPS)
    now = result_groups(report)
    before = result_groups(prior) if prior is not None else None
    xs = range(len(groups))
    this_label = _year_label(report, "本年")
    if before is not None:
        _paired_bars(ax, xs, groups, before, _year_label(prior, "上年"), now, this_label)
    else:
        bars = ax.bar(list(xs), [now[g] or 0 for g in groups], 0.6, color="#3b6ea5",
                      edgecolor="#24476d", linewidth=0.6, label=this_label)
        _bar_labels(ax, bars, [now[g] for g in groups])
    ax.set_xticks(list(xs))
    ax.set_xticklabels(groups, fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_ylabel("件数", fontsize=8)
    top = max([v or 0 for v in now.values()] + [v or 0 for v in (before or {}).values()])
    ax.set_ylim(0, max(1, top) * 1.25)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or "本年度申请办理结果（表三，总计栏）", fontsize=10)


def _bar_labels(ax, bars, values) -> None:
    from ..text import fmt_number
    for bar, v in zip(bars, values):
        ax.annotate("未填" if v is None else fmt_number(v),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize=7)


def draw_statuses(ax, counts: dict[str, int], title: str = "问题处理情况") -> None:
    """Horizontal bars: findings by review status."""
    names = list(counts)
    colours = {"待处理": "#e0584a", "已确认": "#c98a1b", "已豁免": "#8a8a8a", "已更正": "#4a9a5c"}
    ys = list(range(len(names)))[::-1]
    bars = ax.barh(ys, [counts[n] for n in names], 0.6,
                   color=[colours.get(n, "#3b6ea5") for n in names])
    ax.set_yticks(ys)
    ax.set_yticklabels(names, fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlim(0, max(1, max(counts.values() or [0])) * 1.25)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for bar, n in zip(bars, names):
        ax.annotate(str(counts[n]), (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=10)


def overview_png(report: Report, status_counts: dict[str, int], prior: Report | None = None,
                 dpi: int = 110) -> bytes | None:
    """The 概要 sheet's chart as PNG bytes, or None without a Chinese font."""
    font = find_cjk_font()
    if font is None:
        log.warning("no CJK font: the workbook gets no chart")
        return None
    mpl()
    import io

    import matplotlib
    from matplotlib.figure import Figure
    with matplotlib.rc_context(rc(font)):
        fig = Figure(figsize=(8.6, 3.0), dpi=dpi)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        FigureCanvasAgg(fig)
        gs = fig.add_gridspec(1, 2, width_ratios=(1.8, 1), wspace=0.35)
        draw_results(fig.add_subplot(gs[0]), report, prior)
        draw_statuses(fig.add_subplot(gs[1]), status_counts)
        fig.subplots_adjust(left=0.07, right=0.97, top=0.88, bottom=0.12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


# The main figures of a year, for comparing it with the year before.
KEY_FIGURES = (
    ("新收申请", ("t3.new_received.total",)),
    ("上年结转", ("t3.carried_over.total",)),
    ("办理总计", ("t3.total_processed.total",)),
    ("结转下年度", ("t3.carried_forward.total",)),
    ("行政复议", ("t4.review.total",)),
    ("行政诉讼", ("t4.suit_direct.total", "t4.suit_after_review.total")),
)


def key_figures(report: Report) -> dict[str, int | float | None]:
    """The main figures of one report; None where a cell is not known."""
    out: dict[str, int | float | None] = {}
    for name, keys in KEY_FIGURES:
        vals = [report.value(k) for k in keys]
        out[name] = None if any(v is None for v in vals) else sum(vals)
    return out


def draw_key_figures(ax, report: Report, prior: Report | None = None) -> None:
    """Bars of the main figures, this year beside last year when known."""
    names = [n for n, _ in KEY_FIGURES]
    now = key_figures(report)
    xs = list(range(len(names)))
    w = 0.38 if prior is not None else 0.6
    if prior is not None:
        before = key_figures(prior)
        b1 = ax.bar([x - w / 2 for x in xs], [before[n] or 0 for n in names], w,
                    label=f"{prior.year}年" if prior.year else "上年", color="#b8c4d6",
                    edgecolor="#5b6b82", linewidth=0.6)
        _bar_labels(ax, b1, [before[n] for n in names])
    b2 = ax.bar([x + (w / 2 if prior is not None else 0) for x in xs], [now[n] or 0 for n in names], w,
                label=f"{report.year}年" if report.year else "本年", color="#3b6ea5",
                edgecolor="#24476d", linewidth=0.6)
    _bar_labels(ax, b2, [now[n] for n in names])
    ax.set_xticks(xs)
    ax.set_xticklabels(names, fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    top = max([v or 0 for v in now.values()] +
              ([v or 0 for v in key_figures(prior).values()] if prior is not None else []))
    ax.set_ylim(0, max(1, top) * 1.25)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title("主要数字：本年与上年", fontsize=10)
