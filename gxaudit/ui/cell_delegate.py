"""Cell markers of the review grid, drawn by one delegate: the suspect with a
strong frame and its suggestion in the cell ("0 → 3"), a corner mark for an
error or warning, a pen for an edit, an icon for an unreadable cell."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from . import style
from .grid_model import (EDITED_MARK, ERROR_MARK, MARKS_ROLE, SUGGESTION_ROLE, SUSPECT, UNREADABLE_MARK,
                         WARNING_MARK)


class CellDelegate(QStyledItemDelegate):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)

    def paint(self, painter: QPainter, option, index):
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        sug = index.data(SUGGESTION_ROLE)
        if sug is not None:
            opt.text = f"{opt.text} → {sug}"
        widget = self.parent() if isinstance(self.parent(), QWidget) else None
        (widget.style() if widget is not None else QApplication.style()).drawControl(
            QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        marks = index.data(MARKS_ROLE)
        if not marks:
            return
        r: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if SUSPECT in marks:
            pen = QPen(style.SUSPECT_EDGE, 3)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(r.adjusted(1, 1, -2, -2))
        elif ERROR_MARK in marks or WARNING_MARK in marks:
            color = style.SEVERITY_FG["error" if ERROR_MARK in marks else "warning"]
            n = max(6, r.height() // 4)
            tri = QPolygonF([QPointF(r.right() - n, r.top()), QPointF(r.right() + 1, r.top()),
                             QPointF(r.right() + 1, r.top() + n)])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPolygon(tri)
        if EDITED_MARK in marks:
            painter.setPen(QPen(style.EDITED_EDGE, 2))
            painter.drawLine(r.left() + 2, r.bottom() - 1, r.right() - 2, r.bottom() - 1)
        if UNREADABLE_MARK in marks:
            side = max(8, min(r.height() - 4, 18))
            self._icon.paint(painter, QRect(r.center().x() - side // 2, r.center().y() - side // 2, side, side))
        painter.restore()
