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

SUSPECT_EDGE = QColor("#7a0d05")
EDITED_EDGE = QColor("#2e7d32")
TAB_ERROR = QColor("#b3261e")

# The colour legend (Help menu): (background or None, marker text, meaning).
LEGEND = (
    (SUSPECT_BG, "0 → 3", "疑似出错的单元格（深红底、粗框），箭头后是按勾稽关系建议的值"),
    (ERROR_BG, "", "参与一条未通过的错误级勾稽关系（右上角红色角标）"),
    (WARNING_BG, "", "警告：空白、占位符、单位等需要核对（右上角黄色角标）"),
    (PARTICIPANT_BG, "", "所在等式已指出疑似单元格，本格只是参与计算"),
    (EDITED_BG, "3 ✎", "审核人修改过的单元格（绿色下划线），原值见提示"),
    (RESOLVED_BG, "", "相关问题已确认、豁免或已更正"),
    (None, "⚠", "无法识读：值为空，原文只在提示中显示"),
    (HEADER_BG, "表头", "表头与行名称（滚动时固定不动）"),
)
