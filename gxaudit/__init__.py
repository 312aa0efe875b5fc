"""gxaudit — 政府信息公开工作年度报告审核工具."""
from __future__ import annotations

try:
    from importlib.metadata import version

    __version__ = version("gxaudit")
except Exception:  # pragma: no cover - running from a tree that is not installed
    __version__ = "0.0.0+source"
