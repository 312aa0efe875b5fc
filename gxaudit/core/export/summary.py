"""The printed review summary: the page or two an auditor signs.

``summary_pages(review)`` builds the pages as matplotlib Figures (A4
portrait); ``export_summary_pdf`` writes them with PdfPages (Agg), text
embedded as TrueType (fonttype 42) so that it can be searched and copied.
The GUI prints and previews the same document by rendering that PDF.

Contents: agency, year, format and source; the verdict; charts (how this
year's requests were handled — table 三's result groups — beside last year's
when a prior-year report is known — and the findings by status); the
findings table with each finding's status and reason; the auditor's notes;
a sign-off block (审核人、签字、日期).
"""
from __future__ import annotations

import io
import logging
import os
import unicodedata
from pathlib import Path

from ... import __version__
from ..files import atomic_path
from ..model import SEVERITY_NAMES, Report, ReportError
from ..review import FINDING_STATUS_NAMES, OPEN, Review
from ..review_types import now_iso
from ..rules import RULES, RULESET_VERSION
from ..text import fmt_number, printable
from ..viewmodels import local_time
from . import common
from .charts import draw_results, draw_statuses, mpl, rc, require_cjk_font

log = logging.getLogger("gxaudit.export")

PAGE_W, PAGE_H = 8.27, 11.69          # A4, inches
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 0.6, 0.6, 0.6
BODY = 8.5                              # body font size, points
SMALL = 7.5

SEVERITY_COLOUR = {"error": "#b3261e", "warning": "#8a6100", "info": "#2f5f8f"}
VERDICT_COLOUR = {"不通过": "#fbe3e0", "需更正": "#fdf1d6"}

# The findings table: (header, width in inches).
# The problem is said in the rule's own words ("各类申请人之和为 3，总计栏填 0"),
# not as 应为/实为, which read as an equation once a cell has been edited.
COLUMNS = (("序号", 0.36), ("规则", 0.86), ("级别", 0.42), ("问题与建议", 3.55), ("建议值", 0.56),
           ("处理状态与理由", 1.32))
# The auditor's edits: (header, width in inches).
EDIT_COLUMNS = (("单元格", 2.2), ("原值", 0.6), ("新值", 0.6), ("审核人", 0.8), ("时间", 1.25),
                ("理由", 1.62))
SIGNOFF_H = 1.25


def _w(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width_in: float, size: float) -> list[str]:
    """Break text into lines no wider than ``width_in`` at font ``size``
    (a full-width character is about one em, a half-width one half)."""
    units = max(2, int(width_in / (size * 0.5 / 72) / 1.06))
    out: list[str] = []
    for para in (text or "").split("\n"):
        line, w = "", 0
        for ch in para:
            cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if w + cw > units and line:
                carry = ""
                if ch in _NO_LINE_START and len(line) > 1:
                    # Closing punctuation never starts a line: take a character along.
                    line, carry = line[:-1], line[-1]
                    while carry[0] in _NO_LINE_START and len(line) > 1:
                        line, carry = line[:-1], line[-1] + carry
                elif ch.isascii() and ch.isalnum():
                    # Nor is a number or a rule id cut in two.
                    run = len(line) - len(line.rstrip("0123456789abcdefghijklmnopqrstuvwxyz"
                                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-_"))
                    if 0 < run < len(line) and run < 12:
                        line, carry = line[:-run], line[-run:]
                out.append(line)
                line, w = carry, _w(carry)
            line += ch
            w += cw
        out.append(line)
    return out or [""]


_NO_LINE_START = set("，。、；：？！）》」』”’…—,.;:?!)]")


class _Pages:
    """A4 pages filled top-down; y is measured in inches from the top."""

    def __init__(self):
        from matplotlib.figure import Figure
        self._Figure = Figure
        self.figs: list = []
        self.y = 0.0
        self.new()

    @property
    def fig(self):
        return self.figs[-1]

    def new(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        fig = self._Figure(figsize=(PAGE_W, PAGE_H))
        FigureCanvasAgg(fig)          # Agg, whatever backend pyplot may use elsewhere
        self.figs.append(fig)
        self.y = MARGIN_TOP

    def room(self) -> float:
        return PAGE_H - MARGIN_BOTTOM - self.y

    def ensure(self, height: float) -> bool:
        """Start a new page unless ``height`` inches fit; True when it did."""
        if self.room() < height:
            self.new()
            return True
        return False

    def text(self, x: float, y: float, s: str, size: float = BODY, **kw):
        return self.fig.text(x / PAGE_W, 1 - y / PAGE_H, s, fontsize=size, va="top", **kw)

    def rect(self, x: float, y: float, w: float, h: float, **kw) -> None:
        from matplotlib.patches import Rectangle
        self.fig.patches.append(Rectangle((x / PAGE_W, 1 - (y + h) / PAGE_H), w / PAGE_W, h / PAGE_H,
                                          transform=self.fig.transFigure, figure=self.fig, **kw))

    def hline(self, x0: float, x1: float, y: float, **kw) -> None:
        from matplotlib.lines import Line2D
        kw.setdefault("linewidth", 0.6)
        kw.setdefault("color", "#555555")
        self.fig.lines.append(Line2D([x0 / PAGE_W, x1 / PAGE_W], [1 - y / PAGE_H] * 2,
                                     transform=self.fig.transFigure, figure=self.fig, **kw))

    def axes(self, x: float, y: float, w: float, h: float):
        return self.fig.add_axes((x / PAGE_W, 1 - (y + h) / PAGE_H, w / PAGE_W, h / PAGE_H))

    def heading(self, s: str) -> None:
        self.ensure(0.6)
        self.y += 0.1
        self.text(MARGIN_X, self.y, s, size=11, weight="bold")
        self.y += 0.27


def _line_h(size: float) -> float:
    return size * 1.45 / 72


def _facts(p: _Pages, review: Review, stamp: str) -> None:
    rep = review.report
    src = rep.source
    facts = [
        ("机关名称", rep.agency or "（未识别）"), ("报告年度", f"{rep.year}年度" if rep.year else "（未识别）"),
        ("报告格式", common.format_name(rep.template)), ("落款日期", rep.published or "（未识别）"),
        ("来源文件", f"{os.path.basename(src.path) or src.path}（{src.format}）"),
        ("审核人", review.reviewer), ("审核开始", local_time(review.created)),
        ("出具时间", local_time(stamp)), ("来源 SHA-256", src.sha256 or "—"),
    ]
    facts += [("表式说明", n) for n in common.layout_notes(rep)]
    prior = getattr(review, "prior", None)
    if prior is not None:
        facts.append(("上年报告", f"{prior.agency or '（未识别）'} {prior.year or '?'}年度，"
                                  f"{os.path.basename(prior.source.path)}"))
    rows = [facts[i: i + 2] for i in range(0, 8, 2)] + [[f] for f in facts[8:]]
    col_w = (PAGE_W - 2 * MARGIN_X) / 2
    lh = _line_h(BODY)
    for row in rows:
        row_h = lh
        for j, (label, value) in enumerate(row):
            x = MARGIN_X + j * col_w
            if label == "来源 SHA-256":
                # One line across, small: the full digest is what a second reader compares.
                p.text(x, p.y, label, color="#555555")
                p.text(x + 0.8, p.y + 0.01, value, size=7, family="monospace")
                continue
            lines = wrap(value, col_w - 0.9, BODY)
            p.text(x, p.y, label, color="#555555")
            p.text(x + 0.8, p.y, "\n".join(lines), linespacing=1.3)
            row_h = max(row_h, lh * len(lines))
        p.y += row_h + 0.04


def _verdict(p: _Pages, review: Review) -> None:
    v = common.verdict(review)
    # The verdict on its own line, the explanation under it: no title is too long.
    lines = wrap(v.text, PAGE_W - 2 * MARGIN_X - 0.3, 9.5)
    title_h = _line_h(12) + 0.06
    h = 0.24 + title_h + _line_h(9.5) * len(lines)
    p.y += 0.08
    p.rect(MARGIN_X, p.y, PAGE_W - 2 * MARGIN_X, h, facecolor=VERDICT_COLOUR.get(v.short, "#e3f1e6"),
           edgecolor="#777777", linewidth=0.8)
    p.text(MARGIN_X + 0.15, p.y + 0.12, f"审核结论：{v.short}", size=12, weight="bold")
    p.text(MARGIN_X + 0.15, p.y + 0.12 + title_h, "\n".join(lines), size=9.5, linespacing=1.35)
    p.y += h + 0.12
    states = review.finding_states()
    sev = "，".join(f"{k} {n} 个" for k, n in common.severity_counts(states).items())
    st = "，".join(f"{k} {n} 个" for k, n in common.status_counts(states).items())
    p.text(MARGIN_X, p.y, f"问题：{sev}。　处理：{st}。", size=BODY)
    p.y += _line_h(BODY) + 0.08


def _charts(p: _Pages, review: Review, prior: Report | None) -> None:
    h = 2.05
    p.ensure(h + 0.4)
    p.y += 0.1
    w = PAGE_W - 2 * MARGIN_X
    title = "本年度申请办理结果（表三，总计栏）"
    if prior is not None:
        title = f"申请办理结果：{prior.year or '上年'}年与{review.report.year or '本'}年（表三，总计栏）"
    draw_results(p.axes(MARGIN_X + 0.45, p.y + 0.3, w * 0.58 - 0.45, h - 0.62), review.report, prior,
                 title=title)
    draw_statuses(p.axes(MARGIN_X + w * 0.58 + 0.75, p.y + 0.3, w * 0.42 - 0.85, h - 0.62),
                  common.status_counts(review.finding_states()), title="问题处理情况")
    p.y += h + 0.05


def _table_header(p: _Pages, columns=COLUMNS) -> None:
    lh = _line_h(SMALL)
    h = lh + 0.08
    p.rect(MARGIN_X, p.y, sum(w for _, w in columns), h, facecolor="#eef1f5", edgecolor="none")
    x = MARGIN_X
    for name, w in columns:
        p.text(x + 0.04, p.y + 0.04, name, size=SMALL, weight="bold")
        x += w
    p.y += h
    p.hline(MARGIN_X, MARGIN_X + sum(w for _, w in columns), p.y)


def _finding_cells(i: int, st) -> list[str]:
    f = st.finding
    problem = f.message
    if f.suspect:
        problem += f"\n疑似出错：{common.cell_label(f.suspect)}"
    if f.evidence and f.evidence.get("text"):
        problem += f"\n正文（{f.evidence.get('section') or ''}）：{f.evidence['text'][:120]}"
    status = FINDING_STATUS_NAMES[st.status]
    if st.decision is not None:
        status += f"：{st.decision.reason}"
    elif st.status != OPEN:
        status += "（更正后不再出现）"
    rule = f.rule + (f"\n{RULES[f.rule].name}" if f.rule in RULES else "")
    return [str(i), rule, SEVERITY_NAMES.get(f.severity, f.severity), problem,
            fmt_number(f.suggested) if f.suggested is not None else "—", status]


def _row(p: _Pages, wrapped: list[list[str]], columns, h: float, colour: dict | None = None,
         fill: str | None = None) -> None:
    if fill:
        p.rect(MARGIN_X, p.y, sum(w for _, w in columns), h, facecolor=fill, edgecolor="none")
    x = MARGIN_X
    for j, (lines, (_, w)) in enumerate(zip(wrapped, columns)):
        kw = colour if (colour and j == 2) else {}
        p.text(x + 0.04, p.y + 0.04, "\n".join(lines), size=SMALL, linespacing=1.3, **kw)
        x += w
    p.y += h
    p.hline(MARGIN_X, MARGIN_X + sum(w for _, w in columns), p.y, linewidth=0.3, color="#aaaaaa")


def _findings(p: _Pages, review: Review, tail: float = 0.0) -> None:
    """The findings table.  ``tail``: the height of what must follow the last
    rows on their page (the notes and the sign-off box), so that the box is
    never alone on a page: the last two rows move with it."""
    states = review.finding_states()
    p.heading(f"问题清单（{len(states)} 个）")
    if not states:
        p.text(MARGIN_X, p.y, "未发现问题。")
        p.y += _line_h(BODY) + 0.1
        return
    _table_header(p, COLUMNS)
    lh = _line_h(SMALL)
    usable = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 0.6
    for i, st in enumerate(states, start=1):
        wrapped = [wrap(c, w - 0.08, SMALL) for c, (_, w) in zip(_finding_cells(i, st), COLUMNS)]
        h = lh * max(len(x) for x in wrapped) + 0.08
        keep = tail if i >= len(states) - 1 and h + tail < usable else 0.0
        if p.ensure(h + 0.05 + keep):
            p.text(MARGIN_X, p.y, "问题清单（续）", size=9, weight="bold")
            p.y += 0.25
            _table_header(p, COLUMNS)
        colour = {"color": SEVERITY_COLOUR.get(st.finding.severity, "black"), "weight": "bold"}
        _row(p, wrapped, COLUMNS, h, colour, "#fdf3f2" if st.status == OPEN else None)
    p.y += 0.1


def _edits(p: _Pages, review: Review) -> None:
    """The auditor's own edits, apart from the findings: a problem caused by
    an edit is not the agency's."""
    from ..viewmodels import edit_rows
    rows = edit_rows(review)
    if not rows:
        return
    p.heading(f"审核人修改的数值（{len(rows)} 处）")
    p.text(MARGIN_X, p.y, "以下数值由审核人在审核中修改，不是发布机关原报的数字；"
                          "问题清单按修改后的数值核对。", size=SMALL, color="#555555")
    p.y += _line_h(SMALL) + 0.06
    _table_header(p, EDIT_COLUMNS)
    lh = _line_h(SMALL)
    for e in rows:
        cells = [e.label, e.original, e.value, e.who, e.when[:16], e.reason or "—"]
        wrapped = [wrap(c, w - 0.08, SMALL) for c, (_, w) in zip(cells, EDIT_COLUMNS)]
        h = lh * max(len(x) for x in wrapped) + 0.08
        if p.ensure(h + 0.05):
            _table_header(p, EDIT_COLUMNS)
        _row(p, wrapped, EDIT_COLUMNS, h)
    p.y += 0.1


def _note_lines(review: Review) -> list[tuple[float, str, bool]]:
    """The 审核意见 as lines: (indent, text, bold)."""
    width = PAGE_W - 2 * MARGIN_X
    out = [(0.0, line, False) for line in wrap(review.notes.get("", "") or "（无）", width, BODY)]
    others = [(k, v) for k, v in review.notes.items() if k and v]
    if others:
        out.append((0.0, "单元格与问题批注：", True))
        for key, text in others:
            label = common.cell_label(key) if "." in key and ":" not in key else key.split(":", 1)[0]
            for k, line in enumerate(wrap(f"{label}：{text}", width - 0.2, BODY)):
                out.append((0.1 if k == 0 else 0.3, ("· " if k == 0 else "") + line, False))
    return out


def _notes_height(review: Review) -> float:
    return 0.6 + _line_h(BODY) * len(_note_lines(review)) + 0.2


def _notes(p: _Pages, review: Review) -> None:
    """The auditor's notes; the last two lines stay with the sign-off box."""
    p.heading("审核意见")
    lh = _line_h(BODY)
    lines = _note_lines(review)
    for i, (indent, line, bold) in enumerate(lines):
        p.ensure(lh + (SIGNOFF_H + 0.05 if i >= len(lines) - 2 else 0.0))
        p.text(MARGIN_X + indent, p.y, line, weight="bold" if bold else "normal")
        p.y += lh
    p.y += 0.1


def _signoff(p: _Pages, review: Review, checker: str = "") -> None:
    h = SIGNOFF_H - 0.1
    p.ensure(SIGNOFF_H)
    p.y += 0.05
    w = PAGE_W - 2 * MARGIN_X
    p.rect(MARGIN_X, p.y, w, h, facecolor="none", edgecolor="#555555", linewidth=0.8)
    p.text(MARGIN_X + 0.12, p.y + 0.1, "审核签字", size=10.5, weight="bold")
    y = p.y + 0.42
    p.text(MARGIN_X + 0.2, y, f"审核人：{review.reviewer}", size=10)
    p.text(MARGIN_X + w / 2, y, "签字：", size=10)
    p.hline(MARGIN_X + w / 2 + 0.55, MARGIN_X + w - 0.3, y + 0.2)
    y += 0.45
    p.text(MARGIN_X + 0.2, y, "日期：", size=10)
    p.hline(MARGIN_X + 0.75, MARGIN_X + w / 2 - 0.4, y + 0.2)
    p.text(MARGIN_X + w / 2, y, f"复核人：{checker}", size=10)
    if not checker:
        p.hline(MARGIN_X + w / 2 + 0.75, MARGIN_X + w - 0.3, y + 0.2)
    p.y += h + 0.1


def _footers(p: _Pages, review: Review) -> None:
    n = len(p.figs)
    src = review.report.source
    rep = review.report
    for i, fig in enumerate(p.figs, start=1):
        if i > 1:
            fig.text(MARGIN_X / PAGE_W, 1 - 0.3 / PAGE_H,
                     f"{rep.agency or '（未识别机关名称）'} {rep.year or '?'}年度 — 审核意见（续）",
                     fontsize=7.5, color="#444444", va="top")
        fig.text(MARGIN_X / PAGE_W, 0.35 / PAGE_H,
                 f"gxaudit {__version__} · 规则集 {RULESET_VERSION} · 来源 sha256 {src.sha256[:16]}…",
                 fontsize=6.5, color="#666666", va="bottom")
        fig.text(1 - MARGIN_X / PAGE_W, 0.35 / PAGE_H, f"第 {i} 页，共 {n} 页", fontsize=7.5,
                 color="#444444", ha="right", va="bottom")


def summary_pages(review: Review, prior: Report | None = None, checker: str | None = None) -> list:
    """The summary as A4 matplotlib Figures (also for printing from the GUI).
    ``prior``: last year's report of the agency, drawn beside this year's;
    defaults to the review's own prior when it has one.  ``checker``: the
    复核人 printed in the sign-off box (default ``GXAUDIT_CHECKER``; blank
    leaves a line to sign by hand)."""
    font = require_cjk_font()
    if checker is None:
        checker = os.environ.get("GXAUDIT_CHECKER", "").strip()
    mpl()
    import matplotlib
    review = review.snapshot()
    if prior is None:
        prior = getattr(review, "prior", None)
    rep = review.report
    stamp = now_iso()
    with matplotlib.rc_context(rc(font)):
        p = _Pages()
        p.text(PAGE_W / 2, p.y, "政府信息公开工作年度报告审核意见", size=16, weight="bold", ha="center")
        p.y += 0.38
        p.text(PAGE_W / 2, p.y, f"{rep.agency or '（未识别机关名称）'}　{rep.year or '?'}年度",
               size=12, ha="center")
        p.y += 0.4
        p.hline(MARGIN_X, PAGE_W - MARGIN_X, p.y, linewidth=1.0, color="#333333")
        p.y += 0.12
        _facts(p, review, stamp)
        _verdict(p, review)
        _charts(p, review, prior)
        _edits(p, review)
        _findings(p, review, tail=_notes_height(review) + SIGNOFF_H + 0.05)
        _notes(p, review)
        _signoff(p, review, checker)
        _footers(p, review)
    return p.figs


def _write(figs: list, target, review: Review) -> None:
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    rep = review.report
    meta = {
        "Title": printable(f"{rep.agency or ''} {rep.year or ''}年度政府信息公开工作年度报告审核意见"),
        "Author": printable(review.reviewer),
        "Subject": "政府信息公开工作年度报告审核",
        "Creator": f"gxaudit {__version__} (规则集 {RULESET_VERSION})",
        "Keywords": f"sha256:{rep.source.sha256}",
    }
    with matplotlib.rc_context(rc(require_cjk_font())):
        with PdfPages(target, metadata=meta) as pdf:
            for fig in figs:
                _printable_texts(fig)
                pdf.savefig(fig)


def _printable_texts(fig) -> None:
    """Every text drawn on the page (ours, the charts', their labels and legends)
    without control characters: untrusted text never reaches the PDF raw."""
    from matplotlib.text import Text
    for t in fig.findobj(Text):
        s = t.get_text()
        clean = printable(s)
        if clean != s:
            t.set_text(clean)


def summary_pdf_bytes(review: Review, prior: Report | None = None) -> bytes:
    """The summary PDF in memory (for a print preview)."""
    review = review.snapshot()
    buf = io.BytesIO()
    _write(summary_pages(review, prior), buf, review)
    return buf.getvalue()


def export_summary_pdf(review: Review, path: str | os.PathLike, prior: Report | None = None,
                       checker: str | None = None) -> Path:
    """Write the printable summary to ``path`` (atomically)."""
    review = review.snapshot()          # frozen: the auditor may keep editing meanwhile
    path = Path(path)
    figs = summary_pages(review, prior, checker)
    try:
        with atomic_path(path) as tmp:
            _write(figs, tmp, review)
    except OSError as exc:
        raise ReportError(f"无法写入审核摘要 {path}：{exc.strerror or exc}") from exc
    log.info("summary written: %s (%d pages)", path, len(figs))
    return path
