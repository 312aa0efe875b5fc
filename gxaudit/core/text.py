"""Text normalisation and cell-value parsing shared by every reader.

Labels are compared after :func:`normalize_label`: NFKC (full-width forms,
Kangxi radicals), the U+2E80 radical block, 繁→简 (OpenCC), Japanese glyph
variants seen in OCR (増/減), no white space, no quote marks, ASCII brackets.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# CJK Radicals Supplement (U+2E80–U+2EFF) are not folded by NFKC; PDFs made
# with some CJK fonts extract these instead of the ordinary ideographs.
_RADICALS = {
    "⺀": "冫", "⺁": "厂", "⺇": "几", "⺈": "刀", "⺊": "卜", "⺋": "卩", "⺍": "小", "⺎": "兀",
    "⺐": "尢", "⺓": "幺", "⺔": "彐", "⺖": "心", "⺗": "心", "⺘": "手", "⺙": "攴", "⺛": "旡",
    "⺟": "母", "⺠": "民", "⺡": "水", "⺢": "水", "⺣": "火", "⺤": "爪", "⺥": "爪", "⺦": "丬",
    "⺧": "牛", "⺨": "犬", "⺩": "王", "⺪": "疋", "⺫": "目", "⺬": "示", "⺭": "示", "⺮": "竹",
    "⺯": "糸", "⺰": "纟", "⺱": "网", "⺲": "网", "⺳": "网", "⺴": "网", "⺵": "网", "⺶": "羊",
    "⺷": "羊", "⺸": "羊", "⺹": "老", "⺺": "聿", "⺻": "聿", "⺼": "肉", "⺽": "臼", "⺾": "艹",
    "⺿": "艹", "⻀": "艹", "⻁": "虎", "⻂": "衣", "⻃": "覀", "⻄": "西", "⻅": "见", "⻆": "角",
    "⻇": "角", "⻈": "讠", "⻉": "贝", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝",
    "⻐": "金", "⻑": "长", "⻒": "长", "⻓": "长", "⻔": "门", "⻕": "门", "⻖": "阝", "⻗": "雨",
    "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻞": "食", "⻟": "食",
    "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤",
    "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "齐", "⻬": "齐", "⻭": "齿", "⻮": "齿", "⻯": "龙",
    "⻰": "龙", "⻱": "龟", "⻲": "龟", "⻳": "龟",
}
# Glyph variants (mostly Japanese shinjitai) that OCR engines return.
_VARIANTS = {"増": "增", "減": "减", "処": "处", "収": "收", "図": "图", "関": "关", "県": "县",
             "発": "发", "総": "总"}
_FOLD = str.maketrans({**_RADICALS, **_VARIANTS})
_QUOTES = dict.fromkeys(map(ord, "“”‘’\"'「」『』〝〞＂"), None)
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "［": "(", "］": ")",
                           "[": "(", "]": ")", "﹙": "(", "﹚": ")"})
_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: not needed to start the GUI
    return opencc.OpenCC("t2s")


# A terminal escape sequence as a whole (ESC [ … final, C1 CSI … final, ESC + one
# character), then any other control character (C0 but tab and newline, DEL, C1).
_CONTROL = re.compile(r"(?:\x1b\[|\x9b)[0-?]{0,64}[ -/]{0,16}[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """Untrusted text made safe to render (summary PDF, workbook, GUI labels):
    control characters (C0 but tab and newline, DEL, C1: ESC, BEL, CSI …) removed."""
    return _CONTROL.sub("", "" if text is None else str(text))


# The only GB2312 characters OpenCC's t2s changes (tests/core/test_text.py
# holds this to OpenCC): text of other GB2312 characters is simplified already.
_T2S_IN_GB2312 = frozenset("乾菸薹拚捱摺吒後徵夥榘於袷麴醣麽")


def _simplified_already(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return _T2S_IN_GB2312.isdisjoint(text)


def to_simplified(text: str) -> str:
    """繁→简 with OpenCC, after NFKC and the radical and glyph-variant maps.
    Text all in GB2312's simplified characters (most reports) skips OpenCC,
    whose dictionaries take longer to load than a report takes to check."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_FOLD)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text) and not _simplified_already(text):
        text = _t2s().convert(text)
    return text


@lru_cache(maxsize=20000)
def normalize_label(text: str) -> str:
    """A canonical form of a label for matching: no spaces, quotes or 繁体."""
    text = to_simplified(text)
    text = text.translate(_QUOTES).translate(_BRACKETS)
    text = text.replace("：", ":").replace("，", ",")
    return _WS.sub("", text)


# Bounded repetitions (no unbounded repeat inside another): linear on any line.
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,4}[、.,]|\([一二三四五六七八九十]{1,4}\)|\d{1,2}[.、,)]|\(\d{1,2}\)){1,6}")


def strip_numbering(norm: str) -> str:
    """Drop leading list numbering (一、 （三） 1. 2、) from a normalised label."""
    return _NUMBERING.sub("", norm)


# -------------------------------------------------------------------------
# Cell values
# -------------------------------------------------------------------------

PLACEHOLDERS = {"/", "-", "—", "——", "–", "－", "―", "无", "\\", "／", "…", "--", "-—", "×", "x", "X",
                "_", "＿"}   # a dash the OCR reads low in its cell

_NUM = re.compile(
    r"""^(?P<sign>[-+−－]?)\s*
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
        \s*(?P<unit>万元|亿元|元|件|个|项|次|起|条|宗|万)?
        \s*(?P<note>\(.*\)|（.*）)?\s*$""", re.X)


# The largest magnitude a cell may hold: 10^15 is where a spreadsheet stops
# keeping every digit, and far above any count or amount of a real report.
# A larger number (10^400, 2^63) is that cell's problem, never the report's:
# it is read as unreadable, so nothing downstream (rules, the SQLite library,
# the workbook) ever sees a value that overflows.
MAX_MAGNITUDE = 10 ** 15
TOO_LARGE = "数值过大（超过 10^15），不是报告中可能出现的数字，需人工核对原文"


# Figures on two lines of one cell ("0\n1\n0": a scanned cell that runs
# over several rows where a ruling line was lost) are never read as one number.
_STACKED = re.compile(r"\d[ \t]{0,8}\n\s{0,8}[-+−－]?\d")
# A row's name with a figure glued to its end ("行政规范性文件3", "（七）总计 38"):
# no template row's name ends in one, so it is a figure read into the name
# (a scan's column line lost between them).
NAME_THEN_FIGURE = re.compile(r"[\u4e00-\u9fff）)]\s{0,8}(\d[\d,.]{0,20})$")
STACKED = "一格中有上下几行数字，无法确定是哪一个数，需对照原文核对"


@dataclass(frozen=True)
class ParsedValue:
    value: int | float | None
    status: str               # ok · blank · placeholder · unreadable
    unit: str | None = None
    note: str | None = None
    reason: str | None = None  # why an unreadable cell is unreadable, when it is not just text


def parse_value(raw: str | None) -> ParsedValue:
    """Read one cell's text.  Blank is not zero; what is not a number is
    ``unreadable`` and keeps no value.  Units and bracketed notes inside the
    cell ("29.313万元", "22（其中修订16件）") are kept beside the number."""
    if raw is None:
        return ParsedValue(None, "blank")
    text = unicodedata.normalize("NFKC", raw).strip()
    text = text.replace("\u3000", " ").strip()
    if not text:
        return ParsedValue(None, "blank")
    if _STACKED.search(text):
        return ParsedValue(None, "unreadable", reason=STACKED)
    # Units in 繁体 (pages mirrored in traditional characters): 萬元, 億元.
    text = text.replace("萬", "万").replace("億", "亿")
    if text in PLACEHOLDERS:
        return ParsedValue(None, "placeholder")
    compact = _WS.sub("", text)
    m = _NUM.match(compact)
    if not m:
        return ParsedValue(None, "unreadable")
    num = m.group("num").replace(",", "")
    if len(num.split(".", 1)[0]) > 16:      # checked on the text: no huge Decimal is made
        return ParsedValue(None, "unreadable", reason=TOO_LARGE)
    try:
        dec = Decimal(num)
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return ParsedValue(None, "unreadable")
    if abs(dec) >= MAX_MAGNITUDE:
        return ParsedValue(None, "unreadable", reason=TOO_LARGE)
    if m.group("sign") in ("-", "−", "－"):
        dec = -dec
    value: int | float = int(dec) if dec == dec.to_integral_value() and "." not in num else float(dec)
    note = m.group("note")
    if note:
        note = note[1:-1].strip() or None
    return ParsedValue(value, "ok", m.group("unit"), note)


def looks_like_value(raw: str | None) -> bool:
    """True when a cell's text is a number (with unit or note) or a placeholder;
    a number too large to hold is still a number (an unreadable value cell)."""
    pv = parse_value(raw)
    return pv.status in ("ok", "placeholder") or pv.reason == TOO_LARGE


def split_trailing_values(line: str) -> tuple[str, list[str]]:
    """Split "一、本年新收… 3001 53 0 0 61 4 3119" into the label and the
    white-space separated value tokens at its end."""
    tokens = line.split()
    values: list[str] = []
    while tokens and _plain_number_or_placeholder(tokens[-1]):
        values.insert(0, tokens.pop())
    return " ".join(tokens), values


_PLAIN = re.compile(r"^[-+−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元)?$")


def _plain_number_or_placeholder(tok: str) -> bool:
    tok = unicodedata.normalize("NFKC", tok)
    return bool(_PLAIN.match(tok)) or tok in PLACEHOLDERS


def fmt_number(v: int | float | None) -> str:
    if v is None:
        return "空"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)
