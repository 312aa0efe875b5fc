"""gxaudit — 政府信息公开工作年度报告审核工具."""
from __future__ import annotations

# The one place the version is written (pyproject.toml reads it from here):
# no importlib.metadata lookup at start-up, and the same in a source tree.
__version__ = "0.1.0"
