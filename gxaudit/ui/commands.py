"""Every change the workspace makes to a Review goes through here: undoable
QUndoCommands for edits and decisions, plain functions for the prior and
notes.  Each calls ``on_change(Change)``, the window's one after-change hook.

"""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from ..core.review import ACCEPTED, Review
from ..core.text import fmt_number
from ..core.viewmodels import cell_label
from .change import Change

_MISSING = object()


class EditCellCommand(QUndoCommand):
    """Set a cell to a number (``None``: back to what the source says)."""

    def __init__(self, review: Review, key: str, value, on_change, reason: str = ""):
        super().__init__(f"修改 {cell_label(key)} 为 {fmt_number(value) if value is not None else '原文数值'}")
        self.review, self.key, self.value, self.on_change, self.reason = review, key, value, on_change, reason
        self.previous = review.edits.get(key, _MISSING)
        self._first = True

    def redo(self):
        self.review.set_cell(self.key, self.value, self.reason, action=None if self._first else "redo")
        self._first = False
        self.on_change(Change(frozenset({self.key})))

    def undo(self):
        _restore(self.review, self.key, self.previous)
        self.on_change(Change(frozenset({self.key})))


class ClearCellCommand(QUndoCommand):
    """Set a cell to blank (no number), logged as an edit to 空.

    Review.set_cell(key, None) means "back to the source"; Review.clear_cell
    records an edit whose value is None (the cell is then unknown, like a blank one)."""

    def __init__(self, review: Review, key: str, on_change, reason: str = "清空单元格"):
        super().__init__(f"清空 {cell_label(key)}")
        self.review, self.key, self.on_change, self.reason = review, key, on_change, reason
        self.previous = review.edits.get(key, _MISSING)
        self._first = True

    def redo(self):
        _set_blank(self.review, self.key, self.reason, None if self._first else "redo")
        self._first = False
        self.on_change(Change(frozenset({self.key})))

    def undo(self):
        _restore(self.review, self.key, self.previous)
        self.on_change(Change(frozenset({self.key})))


def _restore(review: Review, key: str, previous) -> None:
    if previous is None:
        _set_blank(review, key, "", "undo")
    else:
        review.set_cell(key, None if previous is _MISSING else previous, action="undo")


def _set_blank(review: Review, key: str, reason: str, action: str | None) -> None:
    review.clear_cell(key, reason, action)


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
        self.on_change(Change(findings_changed=True))

    def undo(self):
        self.review.restore_decision(self.fid, self.previous)
        self.on_change(Change(findings_changed=True))


def set_prior(review: Review, prior, how: str, on_change) -> None:
    review.set_prior(prior, how, "审核人选择" if how != "library" else "报告库匹配")
    on_change(Change(findings_changed=True, prior_changed=True))


def set_note(review: Review, target: str, text: str, on_change) -> None:
    review.set_note(target, text)
    on_change(Change(findings_changed=False, notes_changed=True))
