"""Small user settings kept under platformdirs: the recent-files list."""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..core.files import atomic_write_json

MAX_RECENT = 10


def config_dir() -> Path:
    from platformdirs import user_config_dir
    return Path(os.environ.get("GXAUDIT_CONFIG_DIR") or user_config_dir("gxaudit", appauthor=False))


def _recent_path() -> Path:
    return config_dir() / "recent.json"


def recent_files() -> list[str]:
    try:
        with open(_recent_path(), encoding="utf-8") as fh:
            items = json.load(fh)
        return [p for p in items if isinstance(p, str)][:MAX_RECENT]
    except (OSError, ValueError):
        return []


def add_recent(path: str) -> list[str]:
    path = os.path.abspath(path)
    items = [path] + [p for p in recent_files() if p != path]
    items = items[:MAX_RECENT]
    try:
        atomic_write_json(_recent_path(), items)  # type: ignore[arg-type]
    except OSError:
        pass
    return items


def qsettings():
    """Window state (splitters, zoom) in an INI file under the config directory,
    so tests that point the config directory elsewhere never see the user's."""
    from PySide6.QtCore import QSettings
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
