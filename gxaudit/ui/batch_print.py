"""Paint a PDF's pages on a printer: the review summary and the season
summary are printed as the same pages they are exported as."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument


def paint_pdf(path: str, printer) -> int:
    """Every page of ``path`` fitted to the printer's page; returns the page count."""
    doc = QPdfDocument()
    doc.load(path)
    painter = QPainter(printer)
    pages = doc.pageCount()
    for i in range(pages):
        if i:
            printer.newPage()
        area = QRectF(painter.viewport())
        size = doc.pagePointSize(i)
        scale = min(area.width() / size.width(), area.height() / size.height())
        w, h = int(size.width() * scale), int(size.height() * scale)
        img = QImage(QSize(w, h), QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.white)
        p2 = QPainter(img)
        p2.drawImage(0, 0, doc.render(i, QSize(w, h)))
        p2.end()
        painter.drawImage(QRectF(area.x(), area.y(), w, h), img)
    painter.end()
    doc.close()
    return pages
