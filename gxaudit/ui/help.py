"""The Help menu's pages: the colour legend, the rules (one line each, from
the rule catalogue), the keyboard shortcuts (read from the window's actions)."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from ..core.model import SEVERITY_NAMES
from . import style

# Keys handled inside the views rather than by menu actions.
VIEW_KEYS = (
    ("Enter / 双击", "问题清单中：转到该问题的单元格，光标进入表格"),
    ("直接输入数字", "在选中的单元格中开始修改；Enter 确认，Esc 放弃"),
    ("Delete", "清空选中的单元格（记入审核记录，可撤销）"),
    ("Ctrl+Enter", "理由对话框中：提交"),
)


def legend_html() -> str:
    rows = []
    for bg, sample, meaning in style.LEGEND:
        colour = f' style="background:{bg.name()}"' if bg is not None else ""
        rows.append(f"<tr><td width=80 align=center{colour}>{escape(sample) or '&nbsp;'}</td>"
                    f"<td>{escape(meaning)}</td></tr>")
    rows.append("<tr><td align=center>标签页 ⚠</td><td>整张表的问题（如格式版本）标在表的标签上，"
                "不逐格标红</td></tr>")
    return "<h3>颜色说明</h3><table cellpadding=6 border=1 cellspacing=0>" + "".join(rows) + "</table>"


def rules_html() -> str:
    from ..core.rules import RULES
    lines = [f"<tr><td><b>{escape(r.id)}</b></td><td>{SEVERITY_NAMES[r.severity]}</td>"
             f"<td>{escape(r.name)}</td><td>{escape(r.description)}</td></tr>" for r in RULES.values()]
    return ("<h3>检查规则</h3><table cellpadding=4 border=1 cellspacing=0>"
            "<tr><th>规则</th><th>级别</th><th>名称</th><th>说明</th></tr>" + "".join(lines) + "</table>")


def shortcuts_html(actions) -> str:
    rows = []
    for a in actions:
        keys = " / ".join(dict.fromkeys(s.toString() for s in a.shortcuts() if not s.isEmpty()))
        if keys:
            name = a.property("help_name") or a.text()      # undo/redo texts name the last command
            rows.append((keys, name.replace("&", "").rstrip("…")))
    rows += list(VIEW_KEYS)
    body = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(t)}</td></tr>" for k, t in rows)
    return "<h3>快捷键</h3><table cellpadding=4 border=1 cellspacing=0>" + body + "</table>"


class HelpDialog(QDialog):
    def __init__(self, title: str, html: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 560)
        lay = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setHtml(html)
        lay.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
