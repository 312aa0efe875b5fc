"""对比图: this year against last year, drawn only while the tab is shown
(matplotlib is imported on first use, off the start-up path)."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from .change import Change


class ChartPane(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.review = None
        self.canvas = None
        self.dirty = True

    def set_review(self, review) -> None:
        self.review = review
        self.dirty = True
        self.draw_if_shown()

    def on_change(self, change: Change) -> None:
        if change.keys or change.prior_changed or change.reset:
            self.dirty = True
            self.draw_if_shown()

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        self.draw_if_shown()

    def draw_if_shown(self) -> None:
        if self.dirty and self.review is not None and self.isVisible():
            self.draw()

    def draw(self) -> None:
        import matplotlib
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        from ..core.export import charts
        font = charts.find_cjk_font()
        with matplotlib.rc_context(charts.rc(font) if font else {}):
            fig = Figure(figsize=(9, 3.2), layout="constrained")
            ax1, ax2 = fig.subplots(1, 2)
            charts.draw_key_figures(ax1, self.review.report, self.review.prior)
            charts.draw_results(ax2, self.review.report, self.review.prior)
        canvas = FigureCanvasQTAgg(fig)
        lay = self.layout()
        if self.canvas is not None:
            lay.removeWidget(self.canvas)
            self.canvas.deleteLater()
        lay.addWidget(canvas)
        self.canvas = canvas
        canvas.draw()
        self.dirty = False
