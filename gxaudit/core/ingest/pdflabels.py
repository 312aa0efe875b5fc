"""The label lines of a table drawn without ruling lines: each line split
where a label column begins (a block label such as "（六）其他处理" printed
beside its rows' labels is a line of its own), which lines open a row, and
which lines end the label of the row above them."""
from __future__ import annotations

import re
from functools import lru_cache

from ..document import Span
from ..text import normalize_label
from .layout import is_page_number
from .pdfgrid import SPACE, Char, _bbox, _line_text, _lines

DIGITS = set("0123456789")
NUMERIC = DIGITS | set(".,，%")
_OPENS = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}\s*[.．、])")
# A label line at most this many of its heights below a value row can end its label.
CONTINUE_LINES = 2.5
# A label ending more than this many line heights before its row's first
# figure did not wrap: the line below it is not its continuation.
WRAPPED = 1.5
# A word starts in a label column when its left edge is within this many
# points of where a row's numbering starts ("2.申请人…" at the same x).
EDGE = 2.0


def words(line: list[Char]) -> list[list[Char]]:
    """A line's characters split where the gap is wider than a space."""
    words: list[list[Char]] = []
    for c in line:
        if words and c.x0 - words[-1][-1].x1 <= SPACE:
            words[-1].append(c)
        else:
            words.append([c])
    return words


def label_lines(chars: list[Char], page_no: int) -> list[tuple]:
    """The characters that are not figures as label lines (box, Span), each
    line split where one of the label columns begins after a gap: the
    columns start where the words opening a row do ("三、", "（一）予以公开",
    "1.属于国家秘密")."""
    lines = _lines(chars)
    edges = sorted({w[0].x0 for ln in lines for w in words(ln)
                    if _OPENS.match("".join(c.ch for c in w))})
    out: list[tuple] = []
    for ln in lines:
        if is_page_number(_line_text(ln)):
            continue
        parts: list[list[Char]] = [[ln[0]]]
        whole = bool(_OPENS.match(_line_text(ln).strip()))   # a heading or a row's label starts the line
        for c in ln[1:]:
            if not whole and c.x0 - parts[-1][-1].x1 > SPACE and any(abs(c.x0 - e) <= EDGE for e in edges):
                parts.append([c])
            else:
                parts[-1].append(c)
        for part in parts:
            text = _line_text(part).strip()
            if text:
                box = _bbox((min(c.x0 for c in part), min(c.top for c in part),
                             max(c.x1 for c in part), max(c.bottom for c in part)))
                out.append((box, Span(text, page_no, box, min(c.score for c in part))))
    return out


@lru_cache(maxsize=1)
def _headers() -> tuple[str, ...]:
    """The tables' column headers of four characters or more (信息内容, 本年制发件数 …)."""
    from ..formats import LAYOUTS
    out = {"信息内容"}
    for lay in LAYOUTS.values():
        for c in list(lay.columns) + [c for b in lay.blocks for c in b.columns]:
            out.update(normalize_label(a) for a in (c.label, *c.aliases) if len(a) >= 4)
    return tuple(sorted(out))


@lru_cache(maxsize=1)
def _row_names() -> frozenset[str]:
    """Every template row's exact names ("行政强制", "规范性文件")."""
    from ..formats import LAYOUTS
    return frozenset(normalize_label(e) for lay in LAYOUTS.values() for r in lay.all_rows() for e in r.exact)


def names_row(text: str) -> bool:
    """Whether a label line is exactly a template row's name."""
    return normalize_label(text) in _row_names()


def opens(text: str) -> bool:
    """Whether a label line opens a row or a block: one of its words starts
    with a number (一、 （二） 3. …), or it holds a table's heading or a
    header's words (第二十条第（六）项, 信息内容)."""
    if numbered(text):
        return True
    norm = normalize_label(text)
    return "第二十条" in norm or any(h in norm for h in _headers())


def is_labelled(cells: list[Span]) -> bool:
    """Whether a value row's first cell is a label (not one of its figures)."""
    return bool(cells) and not all(ch in NUMERIC for ch in cells[0].text)


def _may_continue(cells: list[Span], box) -> bool:
    """Whether a line may end a row's label: not left of it (a block label's
    line), and the label is not a one-line label ending well before the
    figures (it did not wrap)."""
    label = cells[0]
    if label.bbox and box[2] <= label.bbox[0]:
        return False
    return not (len(cells) > 1 and cells[1].bbox and label.bbox
                and cells[1].bbox[0] - label.bbox[2] > WRAPPED * (box[3] - box[1]))


def continuations(lines: list[tuple], rows: list[tuple[float, list[Span], bool]], used: set[int]) -> None:
    """A label wrapped below its row's figures ("…申请数" / "量"): a line
    after a value row, before any line that opens a row and within
    CONTINUE_LINES of it, ends that row's label."""
    r = -1                   # the last value row whose figures end above this line
    opened = None            # top of the last line that opened a row
    for k, (box, span) in sorted(enumerate(lines), key=lambda x: x[1][0][1]):
        while r + 1 < len(rows) and rows[r + 1][0] <= box[1]:
            r += 1
        if k in used:
            continue
        if opens(span.text):
            opened = box[1]
            continue
        if r < 0:
            continue
        key, cells, _grid = rows[r]
        if (opened is not None and opened > key) or box[1] - key > CONTINUE_LINES * (box[3] - box[1]):
            continue
        labelled = is_labelled(cells)
        if labelled and not _may_continue(cells, box):
            continue
        if labelled:
            cells[0] = Span(cells[0].text + span.text, cells[0].page, cells[0].bbox,
                            min(cells[0].confidence, span.confidence))
        else:
            cells.insert(0, Span(span.text, span.page, span.bbox))
        used.add(k)


def numbered(text: str) -> bool:
    """Whether a word of the line starts with a row's numbering."""
    return any(_OPENS.match(w) for w in text.split())


def leading(lines: list[tuple], rows: list[tuple[float, list[Span], bool]], used: set[int]) -> None:
    """A label wrapped above its row's figures ("2.申请人逾期未按收" /
    "费通知要求缴纳费" / "用、行政机关…" with the figures level with its
    last lines): the lines just above a row's label, in its column and
    each within CONTINUE_LINES of the next, back to the line that opens the
    row by its numbering, begin its label.  Without such a line nothing is
    taken (the lines stay text lines before the row)."""
    prev = float("-inf")
    for key, cells, _grid in rows:
        label = cells[0] if cells else None
        if label is None or not label.bbox or not is_labelled(cells) or numbered(label.text):
            prev = key
            continue
        x0, top, x1 = label.bbox[0], label.bbox[1], label.bbox[2]
        above = sorted((k for k, (box, _s) in enumerate(lines)
                        if k not in used and prev < box[1] and box[3] <= top + EDGE
                        and min(x1, box[2]) - max(x0, box[0]) > 0),
                       key=lambda k: -lines[k][0][1])
        picked: list[int] = []
        for k in above:
            box, span = lines[k]
            if box[3] < top - CONTINUE_LINES * (box[3] - box[1]):
                break
            picked.append(k)
            top = box[1]
            if numbered(span.text):
                texts = "".join(lines[j][1].text for j in reversed(picked))
                cells[0] = Span(texts + label.text, label.page, label.bbox,
                                min([label.confidence] + [lines[j][1].confidence for j in picked]))
                used.update(picked)
                break
        prev = key
