"""Undoable changes to a Review (one QUndoCommand per edit or decision)."""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from ..core.export.text import cell_name
from ..core.review import ACCEPTED, Review
from ..core.text import fmt_number

_MISSING = object()


class EditCellCommand(QUndoCommand):
    def __init__(self, review: Review, key: str, value, on_change, reason: str = ""):
        super().__init__(f"修改 {cell_name(key)} 为 {fmt_number(value) if value is not None else '原文数值'}")
        self.review, self.key, self.value, self.on_change, self.reason = review, key, value, on_change, reason
        self.previous = review.edits.get(key, _MISSING)
        self._first = True

    def redo(self):
        self.review.set_cell(self.key, self.value, self.reason,
                             action=None if self._first else "redo")
        self._first = False
        self.on_change([self.key])

    def undo(self):
        prev = None if self.previous is _MISSING else self.previous
        self.review.set_cell(self.key, prev, action="undo")
        self.on_change([self.key])


class DecideCommand(QUndoCommand):
    def __init__(self, review: Review, finding_id: str, status: str | None, reason: str, on_change):
        label = {ACCEPTED: "确认问题", None: "重新打开问题"}.get(status, "豁免问题")
        super().__init__(f"{label} {finding_id}")
        self.review, self.fid, self.status, self.reason, self.on_change = review, finding_id, status, reason, on_change
        self.previous = review.decisions.get(finding_id)

    def redo(self):
        if self.status is None:
            self.review.reopen(self.fid, self.reason)
        else:
            self.review.decide(self.fid, self.status, self.reason)
        self.on_change([])

    def undo(self):
        self.review.restore_decision(self.fid, self.previous)
        self.on_change([])
