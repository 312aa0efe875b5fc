"""The source pane: PDF pages (rendered with QtPdf) or the report's text,
with the selected cell's place highlighted; clicking a number on a PDF page
asks for its cell."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPixmap, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QGraphicsPixmapItem, QGraphicsRectItem, QGraphicsScene, QGraphicsView,
                               QHBoxLayout, QLabel, QPlainTextEdit, QSpinBox, QStackedWidget,
                               QTextEdit, QToolButton, QVBoxLayout, QWidget)

from . import style


class TextSource(QPlainTextEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

    def load(self, text: str) -> None:
        self.setPlainText(text)

    def show_line(self, line: int | None) -> None:
        if not line:
            self.setExtraSelections([])
            return
        block = self.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(style.HIGHLIGHT)
        fmt.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
        sel.format = fmt
        sel.cursor = cursor
        self.setExtraSelections([sel])
        self.setTextCursor(cursor)
        self.centerCursor()


class PdfSource(QWidget):
    """One page at a time in a QGraphicsView, with zoom and fit-width."""

    pointClicked = Signal(int, float, float)     # page (1-based), x, y in PDF points

    def __init__(self, parent=None):
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument
        self.doc = QPdfDocument(self)
        self.page = 1
        self.zoom = 1.0
        self.fit_width = True
        self._box: QRectF | None = None
        self._box_page: int | None = None

        self.scene = QGraphicsScene(self)
        self.view = _PageView(self.scene, self)
        self.view.clicked.connect(self._clicked)
        self.pixmap_item = QGraphicsPixmapItem()
        self.scene.addItem(self.pixmap_item)
        self.box_item = QGraphicsRectItem()
        self.box_item.setPen(QPen(style.HIGHLIGHT_EDGE, 2))
        self.box_item.setBrush(QBrush(style.HIGHLIGHT))
        self.box_item.setZValue(1)
        self.box_item.hide()
        self.scene.addItem(self.box_item)

        bar = QHBoxLayout()
        self.prev_btn = self._tool("◀", "上一页", lambda: self.go(self.page - 1))
        self.next_btn = self._tool("▶", "下一页", lambda: self.go(self.page + 1))
        self.page_box = QSpinBox()
        self.page_box.setMinimum(1)
        self.page_box.valueChanged.connect(self.go)
        self.page_label = QLabel()
        bar.addWidget(self.prev_btn)
        bar.addWidget(self.page_box)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_btn)
        bar.addStretch(1)
        bar.addWidget(self._tool("－", "缩小", lambda: self.set_zoom(self.zoom / 1.25)))
        bar.addWidget(self._tool("＋", "放大", lambda: self.set_zoom(self.zoom * 1.25)))
        bar.addWidget(self._tool("↔", "适合宽度", self.fit))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)

    def _tool(self, text, tip, slot):
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        return b

    def load(self, path: str) -> bool:
        from PySide6.QtPdf import QPdfDocument
        err = self.doc.load(path)
        if err != QPdfDocument.Error.None_:
            return False
        n = self.doc.pageCount()
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(max(n, 1))
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        self.page_label.setText(f"/ {n} 页")
        self.page = 1
        self.fit_width = True
        self._render()
        return True

    def go(self, page: int) -> None:
        n = self.doc.pageCount()
        page = max(1, min(page, n)) if n else 1
        if page != self.page:
            self.page = page
            self.page_box.blockSignals(True)
            self.page_box.setValue(page)
            self.page_box.blockSignals(False)
            self._render()

    def set_zoom(self, z: float) -> None:
        self.fit_width = False
        self.zoom = max(0.25, min(z, 6.0))
        self._render()

    def fit(self) -> None:
        self.fit_width = True
        self._render()

    def _scale(self) -> float:
        size = self.doc.pagePointSize(self.page - 1)
        if self.fit_width and size.width() > 0:
            avail = max(self.view.viewport().width() - 8, 200)
            return avail / size.width()
        return self.zoom * self.logicalDpiX() / 72.0

    def _render(self) -> None:
        if self.doc.pageCount() == 0:
            return
        size = self.doc.pagePointSize(self.page - 1)
        scale = self._scale()
        dpr = self.devicePixelRatioF()
        px = QSize(max(int(size.width() * scale * dpr), 1), max(int(size.height() * scale * dpr), 1))
        img = self.doc.render(self.page - 1, px)
        # QPdfDocument renders on a transparent background: paint it onto white.
        page_img = QImage(px, QImage.Format.Format_ARGB32_Premultiplied)
        page_img.fill(QColor("white"))
        p = QPainter(page_img)
        p.drawImage(0, 0, img)
        p.end()
        pm = QPixmap.fromImage(page_img)
        pm.setDevicePixelRatio(dpr)
        self.pixmap_item.setPixmap(pm)
        self._scale_used = scale
        self.scene.setSceneRect(QRectF(0, 0, size.width() * scale, size.height() * scale))
        self._place_box()

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        if self.fit_width:
            self._render()

    def show_box(self, page: int | None, bbox) -> None:
        if page is None or bbox is None:
            self._box = None
            self.box_item.hide()
            return
        self._box = QRectF(bbox[0], bbox[1], bbox[2] - bbox[0], bbox[3] - bbox[1])
        self._box_page = page
        self.go(page)
        self._place_box()
        self.view.centerOn(self.box_item)

    def _place_box(self) -> None:
        if self._box is None or self._box_page != self.page:
            self.box_item.hide()
            return
        s = getattr(self, "_scale_used", 1.0)
        r = self._box
        self.box_item.setRect(QRectF(r.x() * s - 2, r.y() * s - 2, r.width() * s + 4, r.height() * s + 4))
        self.box_item.show()

    def _clicked(self, pos: QPointF) -> None:
        s = getattr(self, "_scale_used", 1.0)
        self.pointClicked.emit(self.page, pos.x() / s, pos.y() / s)


class _PageView(QGraphicsView):
    clicked = Signal(QPointF)

    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.setBackgroundBrush(QColor("#7a7f87"))
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

    def mousePressEvent(self, ev):
        if ev.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.mapToScene(ev.position().toPoint()))
        super().mousePressEvent(ev)


class SourcePane(QStackedWidget):
    """PDF pages for PDFs, readable text for everything else."""

    pointClicked = Signal(int, float, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = TextSource()
        self.addWidget(self.text)
        self._pdf: PdfSource | None = None
        self.mode = "text"
        self.places: dict[str, int] = {}     # DOCX/HTML cell anchor → line of the text shown

    @property
    def pdf(self) -> PdfSource:
        if self._pdf is None:
            self._pdf = PdfSource()
            self._pdf.pointClicked.connect(self.pointClicked)
            self.addWidget(self._pdf)
        return self._pdf

    def load(self, path: str, kind: str, text: str) -> None:
        if kind.startswith("pdf") and Path(path).exists() and self.pdf.load(path):
            self.mode = "pdf"
            self.setCurrentWidget(self.pdf)
            return
        self.mode = "text"
        self.text.load(text)
        self.setCurrentWidget(self.text)

    def show_cell(self, cell) -> None:
        if cell is None:
            return
        if self.mode == "pdf":
            self.pdf.show_box(cell.page, cell.bbox)
        else:
            anchor = getattr(cell, "anchor", None)
            self.text.show_line(cell.line or (self.places.get(anchor) if anchor else None))

    def show_evidence(self, ev: dict) -> None:
        """The place an ``evidence`` object names (page/bbox or line)."""
        if self.mode == "pdf":
            if ev.get("bbox"):
                self.pdf.show_box(ev.get("page"), ev["bbox"])
            elif ev.get("page"):
                self.pdf.go(ev["page"])
        elif ev.get("line"):
            self.text.show_line(ev["line"])

    def show_sentence(self, sent) -> None:
        """A sentence of the narrative (core.narrative.Sentence): its box on
        the PDF page, or its line in the text."""
        if sent is None:
            return
        if self.mode == "pdf":
            if sent.bbox is not None:
                self.pdf.show_box(sent.page, sent.bbox)
            elif sent.page:
                self.pdf.show_box(None, None)
                self.pdf.go(sent.page)
        else:
            self.text.show_line(sent.view_line or sent.line)
