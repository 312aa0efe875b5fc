"""The grid pane: 表二/表三/表四 as tabs of frozen-header tables that shrink
their columns to fit, with a zoom; table-wide findings mark the tab."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QFrame, QStyle, QTableView, QTabWidget

from ..core import formats
from ..core.model import SEVERITY_NAMES
from . import style
from .cell_delegate import CellDelegate
from .change import Change
from .grid_model import KEY_ROLE, GridModel

ZOOM_STEPS = (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0)
# Label columns frozen at the left of each table (表三's three label columns).
FROZEN_COLS = {"t2": 0, "t3": 3, "t4": 0}


class FrozenTableView(QTableView):
    """A table whose first rows and columns stay in place while the rest
    scrolls (Qt's frozen-column example, both ways): three overlay views on
    the same model and selection, kept in step with the main one."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.frozen_rows = self.frozen_cols = 0
        self.overlays: dict[str, QTableView] = {}
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().sectionResized.connect(self._col_resized)
        self.verticalHeader().sectionResized.connect(self._row_resized)

    def setModel(self, model) -> None:
        super().setModel(model)
        for name in ("top", "left", "corner"):
            v = QTableView(self)
            v.setModel(model)
            v.setSelectionModel(self.selectionModel())
            v.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            v.setFrameShape(QFrame.Shape.NoFrame)
            v.horizontalHeader().hide()
            v.verticalHeader().hide()
            v.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            v.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            v.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            v.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            v.setWordWrap(True)
            v.setAutoScroll(False)
            v.hide()
            self.overlays[name] = v
            v.horizontalScrollBar().valueChanged.connect(self._pin)
            v.verticalScrollBar().valueChanged.connect(self._pin)
        self.viewport().stackUnder(self.overlays["top"])
        self.overlays["corner"].raise_()
        self.horizontalScrollBar().valueChanged.connect(self._pin)
        self.verticalScrollBar().valueChanged.connect(self._pin)

    def setItemDelegate(self, delegate) -> None:
        super().setItemDelegate(delegate)
        for v in self.overlays.values():          # a delegate serves one view (its editor signals)
            v.setItemDelegate(type(delegate)(v))

    def setFont(self, font: QFont) -> None:
        super().setFont(font)
        for v in self.overlays.values():
            v.setFont(font)

    def set_spans(self, spans) -> None:
        for v in (self, *self.overlays.values()):
            v.clearSpans()
            for r, c, rs, cs in spans:
                v.setSpan(r, c, rs, cs)

    def freeze(self, rows: int, cols: int) -> None:
        self.frozen_rows, self.frozen_cols = rows, cols
        self.sync()

    def sync(self) -> None:
        """Copy sizes to the overlays and place them over the viewport."""
        if self.model() is None or not self.overlays:
            return
        rows, cols = self.model().rowCount(), self.model().columnCount()
        for name, v in self.overlays.items():
            for c in range(cols):
                v.setColumnWidth(c, self.columnWidth(c))
                # Only the frozen part shows in the left and corner overlays, so nothing spills.
                v.setColumnHidden(c, name != "top" and c >= self.frozen_cols)
            for r in range(rows):
                v.setRowHeight(r, self.rowHeight(r))
                v.setRowHidden(r, name != "left" and r >= self.frozen_rows)
        vp = self.viewport().geometry()
        h = sum(self.rowHeight(r) for r in range(self.frozen_rows))
        w = sum(self.columnWidth(c) for c in range(self.frozen_cols))
        top, left, corner = self.overlays["top"], self.overlays["left"], self.overlays["corner"]
        top.setGeometry(QRect(vp.left(), vp.top(), vp.width(), min(h, vp.height())))
        left.setGeometry(QRect(vp.left(), vp.top(), min(w, vp.width()), vp.height()))
        corner.setGeometry(QRect(vp.left(), vp.top(), min(w, vp.width()), min(h, vp.height())))
        top.setVisible(h > 0)
        left.setVisible(w > 0)
        corner.setVisible(h > 0 and w > 0)
        self._pin()

    def _pin(self, *_):
        """Overlays follow the main view along their free axis only (a current
        cell set through the shared selection must not scroll them)."""
        want = {"top": (self.horizontalScrollBar().value(), 0), "left": (0, self.verticalScrollBar().value()),
                "corner": (0, 0)}
        for name, (x, y) in want.items():
            v = self.overlays[name]
            if v.horizontalScrollBar().value() != x:
                v.horizontalScrollBar().setValue(x)
            if v.verticalScrollBar().value() != y:
                v.verticalScrollBar().setValue(y)

    def _col_resized(self, col, _old, new) -> None:
        for v in self.overlays.values():
            v.setColumnWidth(col, new)
        QTimer.singleShot(0, self.sync)

    def _row_resized(self, row, _old, new) -> None:
        for v in self.overlays.values():
            v.setRowHeight(row, new)
        QTimer.singleShot(0, self.sync)

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self.sync()

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        QTimer.singleShot(0, self.sync)

    def scrollTo(self, index: QModelIndex, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        """Keep the cell out from under the frozen rows and columns."""
        super().scrollTo(index, hint)
        if not index.isValid():
            return
        rect = self.visualRect(index)
        h = sum(self.rowHeight(r) for r in range(self.frozen_rows))
        w = sum(self.columnWidth(c) for c in range(self.frozen_cols))
        if index.row() >= self.frozen_rows and rect.top() < h:
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - (h - rect.top()))
        if index.column() >= self.frozen_cols and rect.left() < w:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - (w - rect.left()))


class GridPane(QTabWidget):
    """One tab per table.  Emits ``cellSelected(key)`` as the current cell moves."""

    cellSelected = Signal(str)
    clearRequested = Signal(str)

    def __init__(self, models: dict[str, GridModel], parent=None):
        super().__init__(parent)
        self.models = models
        self.views: dict[str, FrozenTableView] = {}
        self.zoom = 1.0
        for t in formats.TABLES:
            v = FrozenTableView()
            v.setModel(models[t])
            v.setItemDelegate(CellDelegate(v))
            v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            v.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed)
            v.horizontalHeader().setVisible(False)
            v.verticalHeader().setVisible(False)
            v.setWordWrap(True)
            v.selectionModel().currentChanged.connect(self._current_changed)
            v.installEventFilter(self)
            self.views[t] = v
            self.addTab(v, formats.TABLE_NAMES[t])
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self.fit_all)
        self.currentChanged.connect(lambda _i: self._fit_timer.start())

    # -- keys ------------------------------------------------------------------------
    def eventFilter(self, obj, ev):
        from PySide6.QtCore import QEvent
        if ev.type() == QEvent.Type.KeyPress and isinstance(obj, FrozenTableView) \
                and ev.key() == Qt.Key.Key_Delete and obj.state() != \
                QAbstractItemView.State.EditingState:
            key = obj.model().data(obj.currentIndex(), KEY_ROLE)
            if key:
                self.clearRequested.emit(key)
                return True
        return super().eventFilter(obj, ev)

    def _current_changed(self, current: QModelIndex, _prev) -> None:
        key = current.model().data(current, KEY_ROLE) if current.isValid() else None
        if key:
            self.cellSelected.emit(key)

    # -- navigation --------------------------------------------------------------------
    def current_key(self) -> str | None:
        v = self.currentWidget()
        if isinstance(v, QTableView):
            return v.model().data(v.currentIndex(), KEY_ROLE)
        return None

    def select(self, key: str, focus: bool = False) -> bool:
        table = key.split(".")[0]
        if table not in self.views:
            return False
        v = self.views[table]
        self.setCurrentWidget(v)
        idx = self.models[table].index_of(key)
        if not idx.isValid():
            return False
        v.setCurrentIndex(idx)
        v.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        if focus:
            v.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- contents --------------------------------------------------------------------
    def set_review(self, review) -> None:
        for m in self.models.values():
            m.set_review(review)
        if review is None:
            return
        for t, v in self.views.items():
            g = self.models[t].grid
            v.set_spans([(it.row, it.col, it.rowspan, it.colspan) for it in g.items
                         if it.rowspan > 1 or it.colspan > 1])
            v.freeze(g.header_rows, FROZEN_COLS.get(t, 0))
        self.fit_all()
        self.mark_tabs()

    def on_change(self, change: Change) -> None:
        if change.keys or change.findings_changed or change.notes_changed:
            for m in self.models.values():
                m.refresh()
        if change.findings_changed:
            self.mark_tabs()

    def mark_tabs(self) -> None:
        """A tab whose table has a finding about the whole table gets an icon,
        a colour and the findings in its tooltip."""
        bar = self.tabBar()
        for i, t in enumerate(formats.TABLES):
            m = self.models[t]
            states = [s for s in getattr(m, "table_findings", []) if s.status == "open"]
            name = formats.TABLE_NAMES[t]
            if states:
                err = any(s.finding.severity == "error" for s in states)
                icon = QStyle.StandardPixmap.SP_MessageBoxCritical if err else QStyle.StandardPixmap.SP_MessageBoxWarning
                self.setTabIcon(i, self.style().standardIcon(icon))
                bar.setTabTextColor(i, style.SEVERITY_FG["error" if err else "warning"])
                self.setTabToolTip(i, "\n".join(f"[{SEVERITY_NAMES[s.finding.severity]}] {s.finding.rule}："
                                                f"{s.finding.message}" for s in states))
            else:
                from PySide6.QtGui import QIcon
                self.setTabIcon(i, QIcon())
                bar.setTabTextColor(i, self.palette().windowText().color())
                self.setTabToolTip(i, name)

    # -- size and zoom ------------------------------------------------------------------
    def set_zoom(self, zoom: float) -> None:
        self.zoom = min(max(zoom, ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        base = self.font()
        f = QFont(base)
        if base.pointSizeF() > 0:
            f.setPointSizeF(base.pointSizeF() * self.zoom)
        else:
            f.setPixelSize(max(6, round(base.pixelSize() * self.zoom)))
        for v in self.views.values():
            v.setFont(f)
        self.fit_all()

    def zoom_step(self, step: int) -> None:
        i = min(range(len(ZOOM_STEPS)), key=lambda j: abs(ZOOM_STEPS[j] - self.zoom))
        self.set_zoom(ZOOM_STEPS[min(max(i + step, 0), len(ZOOM_STEPS) - 1)])

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self._fit_timer.start()

    def fit_all(self) -> None:
        for t, v in self.views.items():
            if self.models[t].grid is not None:
                fit_columns(t, v, self.models[t].grid)


def fit_columns(table: str, view: QTableView, grid) -> None:
    """Column widths from the font (not from spanned labels); when the table
    is wider than its view, long labels wrap and value columns narrow down to
    what a five-digit number needs."""
    fm = view.fontMetrics()

    def w(text: str) -> int:
        return fm.horizontalAdvance(text) + 14

    value_w = max(w("00000 ✎"), w("法律服务"))
    value_min = w("00000")
    if table == "t3":
        natural = [w("三、本年度"), w("（三）不予公开"), w("5.要求行政机关确认或重新出具")]
        least = [w("三、本年度"), w("（三）不予公开"), w("5.要求行政机关")]
        natural += [value_w] * (grid.cols - 3)
        least += [value_min] * (grid.cols - 3)
    elif table == "t2":
        natural = [w("其他对外管理服务事项")] + [w("本年新制作数量")] * (grid.cols - 1)
        least = [w("其他对外管")] + [max(value_min, w("本年新"))] * (grid.cols - 1)
    else:
        natural = [max(value_w, w("尚未审结"))] * grid.cols
        least = [max(value_min, w("其他"))] * grid.cols
    room = view.viewport().width() if view.isVisible() or view.viewport().width() > 50 else 0
    widths = _shrink(natural, least, room)
    for c, width in enumerate(widths):
        view.setColumnWidth(c, width)
    view.resizeRowsToContents()
    if isinstance(view, FrozenTableView):
        view.sync()


def _shrink(natural: list[int], least: list[int], room: int) -> list[int]:
    """Widths that fit ``room`` when they can: every column gives up the same
    share of what it could give up."""
    total = sum(natural)
    if room <= 0 or total <= room:
        return natural
    slack = total - sum(least)
    if slack <= 0:
        return least
    share = min(1.0, (total - room) / slack)
    return [int(n - (n - m) * share) for n, m in zip(natural, least)]
