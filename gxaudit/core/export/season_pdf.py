"""The season's printed summary (A4, matplotlib like ``summary.py``):
reports by verdict, the most frequent rules, the agencies with most errors,
the year-over-year breaks, and the ranking by score.

``season_pages(sheet)`` gives the Figures (the GUI prints them);
``export_season_pdf`` writes them, text embedded as TrueType.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

from ... import __version__
from ..files import atomic_path
from ..model import ReportError
from ..rules import RULES, RULESET_VERSION
from .charts import mpl, rc, require_cjk_font
from .summary import BODY, MARGIN_X, PAGE_H, PAGE_W, SMALL, _line_h, _Pages, wrap

VERDICT_ORDER = ("不通过", "通过（有说明）", "通过（有警告）", "通过")
TOP = 10


def _title(p: _Pages, sheet) -> None:
    from ..review import now_iso
    t = sheet.season.totals()
    p.text(PAGE_W / 2, p.y, "政府信息公开工作年度报告批量审核汇总", size=16, weight="bold", ha="center")
    p.y += 0.4
    p.text(PAGE_W / 2, p.y, f"共 {t['files']} 个文件：已检查 {t['checked']} 份，无法读取 {t['unreadable']} 个，"
                            f"重复 {t['duplicate']} 个；有错误的报告 {t['with_errors']} 份", size=10, ha="center")
    p.y += 0.3
    p.text(PAGE_W / 2, p.y, f"出具时间 {now_iso()[:19].replace('T', ' ')}　评分细则：{sheet.rubric.name}",
           size=SMALL, ha="center", color="#555555")
    p.y += 0.3
    p.hline(MARGIN_X, PAGE_W - MARGIN_X, p.y, linewidth=1.0, color="#333333")
    p.y += 0.15


def _bars(ax, labels: list[str], values: list[int], title: str, colour: str) -> None:
    ys = list(range(len(labels)))[::-1]
    bars = ax.barh(ys, values, color=colour)
    ax.set_yticks(ys, labels, fontsize=SMALL)
    ax.set_title(title, fontsize=BODY + 1)
    ax.tick_params(axis="x", labelsize=SMALL)
    for b, v in zip(bars, values):
        ax.text(b.get_width(), b.get_y() + b.get_height() / 2, f" {v}", va="center", fontsize=SMALL)
    ax.spines[["top", "right"]].set_visible(False)


def _charts(p: _Pages, sheet) -> None:
    verdicts = [sum(1 for v in sheet.verdicts.values() if v == k) for k in VERDICT_ORDER]
    rules: dict[str, int] = {}
    for e in sheet.checked:
        for r, n in e.rules().items():
            rules[r] = rules.get(r, 0) + n
    top_rules = sorted(rules.items(), key=lambda kv: -kv[1])[:TOP]
    h = 2.6
    p.ensure(h + 0.3)
    w = (PAGE_W - 2 * MARGIN_X - 1.6) / 2
    _bars(p.axes(MARGIN_X + 1.1, p.y, w - 0.6, h), list(VERDICT_ORDER), verdicts, "报告审核结论", "#5b7fa6")
    labels = [f"{r} {RULES[r].name}" if r in RULES else r for r, _ in top_rules]
    _bars(p.axes(MARGIN_X + w + 2.1, p.y, w - 0.5, h), labels, [n for _, n in top_rules],
          "最常见的问题（按规则）", "#b3261e")
    p.y += h + 0.45


def _table(p: _Pages, heading: str, cols: list[tuple[str, float]], rows: list[list[str]]) -> None:
    p.heading(heading)
    lh = _line_h(SMALL)
    if not rows:
        p.text(MARGIN_X, p.y, "（无）")
        p.y += lh + 0.1
        return

    def header():
        x = MARGIN_X
        for name, w in cols:
            p.text(x, p.y, name, size=SMALL, weight="bold")
            x += w
        p.y += lh + 0.02
        p.hline(MARGIN_X, PAGE_W - MARGIN_X, p.y - 0.02)
    header()
    for row in rows:
        cells = [wrap(str(v), w - 0.08, SMALL) for v, (_, w) in zip(row, cols)]
        height = lh * max(len(c) for c in cells) + 0.04
        if p.ensure(height):
            header()
        x = MARGIN_X
        for lines, (_, w) in zip(cells, cols):
            p.text(x, p.y, "\n".join(lines), size=SMALL, linespacing=1.3)
            x += w
        p.y += height
    p.y += 0.1


def _agencies(sheet) -> list[list[str]]:
    from ..history import by_agency
    per = {name: [len(es), sum(e.count("error") for e in es), sum(e.count("warning") for e in es)]
           for name, es in by_agency(sheet.checked, lambda e: e.agency).items()}
    top = sorted(per.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[0]))[:TOP]
    return [[name, n, err, warn] for name, (n, err, warn) in top if err or warn]


def _breaks(sheet) -> list[list[str]]:
    rows = []
    for e in sheet.checked:
        for f in e.findings:
            if f.rule.startswith("Y-"):
                prior = e.prior.year if e.prior is not None else "?"
                rows.append([e.agency or "未识别机关", f"{prior}→{e.year}", f.rule, f.message])
    return rows


def _ranking(sheet) -> list[list[str]]:
    order = sorted(sheet.checked, key=lambda e: (sheet.rank[e.path], e.path))
    return [[sheet.rank[e.path], e.agency or "未识别机关", e.year or "?", f"{sheet.scores[e.path].total:g}",
             sheet.verdicts[e.path], os.path.basename(e.path)] for e in order]


def _footers(p: _Pages) -> None:
    n = len(p.figs)
    for i, fig in enumerate(p.figs, start=1):
        fig.text(MARGIN_X / PAGE_W, 0.35 / PAGE_H, f"gxaudit {__version__} · 规则集 {RULESET_VERSION}",
                 fontsize=6.5, color="#666666", va="bottom")
        fig.text(1 - MARGIN_X / PAGE_W, 0.35 / PAGE_H, f"第 {i} 页，共 {n} 页", fontsize=7.5,
                 color="#444444", ha="right", va="bottom")


def season_pages(sheet) -> list:
    """The season summary as A4 Figures; ``sheet`` is a season_xlsx.SeasonSheet."""
    font = require_cjk_font()
    mpl()
    import matplotlib
    with matplotlib.rc_context(rc(font)):
        p = _Pages()
        _title(p, sheet)
        _charts(p, sheet)
        _table(p, "错误最多的机关", [("机关", 3.6), ("报告数", 0.9), ("错误", 0.9), ("警告", 0.9)], _agencies(sheet))
        _table(p, "跨年度衔接问题（与上年报告比对）", [("机关", 2.2), ("年度", 0.9), ("规则", 0.8), ("问题", 3.17)],
               _breaks(sheet))
        _table(p, "评分排名", [("排名", 0.5), ("机关", 2.6), ("年度", 0.6), ("得分", 0.6), ("结论", 1.1),
                            ("文件", 1.67)], _ranking(sheet))
        _footers(p)
    return p.figs


def _write(figs: list, target) -> None:
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    meta = {"Title": "政府信息公开工作年度报告批量审核汇总", "Creator": f"gxaudit {__version__}"}
    with matplotlib.rc_context(rc(require_cjk_font())):
        with PdfPages(target, metadata=meta) as pdf:
            for fig in figs:
                pdf.savefig(fig)


def season_pdf_bytes(sheet) -> bytes:
    buf = io.BytesIO()
    _write(season_pages(sheet), buf)
    return buf.getvalue()


def export_season_pdf(sheet, path: str | os.PathLike) -> Path:
    path = Path(path)
    figs = season_pages(sheet)
    try:
        with atomic_path(path) as tmp:
            _write(figs, tmp)
    except OSError as exc:
        raise ReportError(f"无法写入批量审核摘要 {path}：{exc.strerror or exc}") from exc
    return path
