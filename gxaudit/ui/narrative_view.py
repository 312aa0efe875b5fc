"""The 正文 view: the report's six parts and their sentences beside the
tables.  Choosing a sentence (or a finding that rests on one) shows it in the
source pane; sentences that findings rest on are marked."""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from . import style

SENTENCE_ROLE = Qt.ItemDataRole.UserRole + 1


class NarrativeView(QWidget):
    """Parts (一–六, as found) with their sentences, in source order."""

    sentenceChosen = Signal(object)          # core.narrative.Sentence

    def __init__(self, parent=None):
        super().__init__(parent)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["正文", "位置"])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setColumnWidth(0, 520)
        self.tree.currentItemChanged.connect(self._current)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.info)
        lay.addWidget(self.tree, 1)
        self._items: list[tuple[object, QTreeWidgetItem]] = []
        self.review = None

    def set_review(self, review) -> None:
        """The review whose findings mark sentences (the tree is built by ``load``)."""
        self.review = review

    def load(self, narrative, findings=()) -> None:
        self._items = []              # no Python reference outlives the items clear() deletes
        with QSignalBlocker(self.tree):
            self.tree.clear()
        if narrative is None or not narrative.sections:
            self.info.setText("未识别到正文的六个部分（该来源没有正文，或正文未能读出）。")
            return
        found = "、".join(s.number for s in narrative.sections)
        self.info.setText(f"识别到的部分：{found}。选中一句可在原文中定位；有问题的句子以颜色标出。")
        heads: dict[int, QTreeWidgetItem] = {}
        for idx, sec in enumerate(narrative.sections):
            item = QTreeWidgetItem([sec.title, _where(sec)])
            self.tree.addTopLevelItem(item)
            heads[idx] = item
        by_part = {}
        for idx, sec in enumerate(narrative.sections):
            by_part.setdefault(sec.number, idx)
        for sent in narrative.sentences:
            if sent.section is None:
                continue
            parent = heads[by_part[sent.section]]
            child = QTreeWidgetItem([sent.text, _where(sent)])
            child.setData(0, SENTENCE_ROLE, sent)
            child.setToolTip(0, sent.text)
            parent.addChild(child)
            self._items.append((sent, child))
        self.mark(findings)
        self.tree.expandAll()

    def mark(self, findings) -> None:
        """Colour the sentences the current findings rest on (and only those)."""
        marked = {(f.evidence or {}).get("text") for f in findings if getattr(f, "evidence", None)}
        plain, hot = QBrush(), QBrush(style.HIGHLIGHT)
        for sent, item in self._items:
            brush = hot if sent.text in marked else plain
            for col in (0, 1):
                item.setBackground(col, brush)

    def marked_texts(self) -> list[str]:
        return [sent.text for sent, item in self._items if item.background(0).style() != Qt.BrushStyle.NoBrush]

    def on_change(self, change) -> None:
        """An edit, a decision or a new prior may clear or raise a finding that
        rests on a sentence: re-mark, without rebuilding the tree."""
        if self.review is not None and (change.findings_changed or change.prior_changed):
            self.mark(self.review.findings())

    def show_evidence(self, evidence: dict | None) -> object | None:
        """Select the sentence a finding rests on; returns it (or None)."""
        if not evidence:
            return None
        text = evidence.get("text")
        for sent, item in self._items:
            if sent.text == text and sent.section == evidence.get("section"):
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return sent
        return None

    def _current(self, item, _prev) -> None:
        sent = item.data(0, SENTENCE_ROLE) if item is not None else None
        if sent is not None:
            self.sentenceChosen.emit(sent)


def _where(obj) -> str:
    if getattr(obj, "page", None):
        return f"第 {obj.page} 页"
    if getattr(obj, "line", None):
        return f"第 {obj.line} 行"
    anchor = getattr(obj, "anchor", None)
    return anchor.replace("paragraph", "第") + " 段" if anchor else ""
