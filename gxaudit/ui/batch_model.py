"""The season table: a model over core.season.Row (no widgets per row) and a
sort/filter proxy (text filter on agency and file, and a review-status filter)."""
from __future__ import annotations

import os

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from ..core.season import STATUS_NAMES, Row

COLUMNS = ("机关", "年度", "结论", "错误", "警告", "得分", "审核状态", "审核人", "文件")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2
VERDICT_COLOUR = {"不通过": "#fbe3e0", "无法读取": "#eeeeee", "重复": "#eeeeee"}


def _values(r: Row) -> tuple:
    verdict = r.verdict if r.status == "checked" else STATUS_NAMES[r.status]
    return (r.agency or os.path.basename(r.path), r.year, verdict, r.errors, r.warnings, r.score,
            r.review_status, r.reviewer, r.path)


def _display(v) -> str:
    if v is None:
        return ""
    return f"{v:g}" if isinstance(v, float) else str(v)


_NUMERIC = (1, 3, 4, 5)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class SeasonModel(QAbstractTableModel):
    """Rows as plain data; each row's display texts and sort keys computed
    once (when set or changed), so painting and sorting 500 rows cost
    one lookup per cell."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._text: list[list[str]] = []
        self._key: list[list] = []
        self._bg: list[QBrush | None] = []

    def _cache(self, i: int) -> None:
        vals = _values(self.rows[i])
        self._text[i] = [_display(v) for v in vals]
        self._key[i] = [(float(v) if v is not None else -1.0) if c in _NUMERIC else (v or "")
                        for c, v in enumerate(vals)]
        colour = VERDICT_COLOUR.get(vals[2])
        self._bg[i] = QBrush(QColor(colour)) if colour else None

    def _reindex(self) -> None:
        self._index = {r.path: i for i, r in enumerate(self.rows)}
        self._text = [[] for _ in self.rows]
        self._key = [[] for _ in self.rows]
        self._bg = [None] * len(self.rows)
        for i in range(len(self.rows)):
            self._cache(i)

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._reindex()
        self.endResetModel()

    def row_of(self, path: str) -> int | None:
        return self._index.get(path)

    def update_status(self, path: str, status: str, reviewer: str) -> bool:
        i = self._index.get(path)
        if i is None:
            return False
        self.rows[i].review_status, self.rows[i].reviewer = status, reviewer
        self._cache(i)
        self.dataChanged.emit(self.index(i, 6), self.index(i, 7))
        return True

    # -- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row, col = index.row(), index.column()
        if not (0 <= row < len(self.rows)) or not (0 <= col < len(COLUMNS)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[row][col]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._bg[row] if col == 2 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in _NUMERIC else None
        if role == PATH_ROLE:
            return self.rows[row].path
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.rows[row].note or self.rows[row].path
        if role == SORT_ROLE:
            return self._key[row][col]
        return None


class SeasonFilter(QSortFilterProxyModel):
    """Filters rows (agency or file text, review status); sorts on SORT_ROLE."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.text = ""
        self.status = ""

    def _refilter(self, **values) -> None:
        if hasattr(self, "beginFilterChange"):          # Qt ≥ 6.10
            self.beginFilterChange()
            self.__dict__.update(values)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.__dict__.update(values)
            self.invalidateRowsFilter()

    def set_text(self, text: str) -> None:
        self._refilter(text=text.strip().lower())

    def set_status(self, status: str) -> None:
        self._refilter(status=status)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        m = self.sourceModel()
        if m is None or row >= len(m.rows):
            return False
        r = m.rows[row]
        if self.status and r.review_status != self.status:
            return False
        return not self.text or self.text in (r.agency or "").lower() or self.text in r.path.lower()
