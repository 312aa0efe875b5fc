"""Colours and fonts shared by the views (one place, so the legend matches)."""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase

ERROR_BG = QColor("#f8c9c4")
PARTICIPANT_BG = QColor("#fdeceb")
SUSPECT_BG = QColor("#e0584a")
SUSPECT_FG = QColor("#ffffff")
WARNING_BG = QColor("#fbe9a6")
INFO_BG = QColor("#dbe9f6")
EDITED_BG = QColor("#c9e7cf")
RESOLVED_BG = QColor("#e6e6e6")
HEADER_BG = QColor("#eef1f5")
UNREAD_FG = QColor("#8a8a8a")
HIGHLIGHT = QColor(255, 140, 0, 90)
HIGHLIGHT_EDGE = QColor(230, 81, 0)

SEVERITY_FG = {"error": QColor("#b3261e"), "warning": QColor("#8a6100"), "info": QColor("#2f5f8f")}

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimSun", "Noto Sans SC")


def cjk_family() -> str | None:
    """A font family on this machine that has Chinese glyphs, or None."""
    families = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in families:
            return fam
    for fam in sorted(families):
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(fam):
            return fam
    return None


def bold(font: QFont) -> QFont:
    f = QFont(font)
    f.setBold(True)
    return f
