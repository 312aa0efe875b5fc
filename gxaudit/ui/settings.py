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


# -- named preferences (the reviewer's name, the last export folder) in settings.json ---------
def _settings_path() -> Path:
    return config_dir() / "settings.json"


def _all() -> dict:
    try:
        with open(_settings_path(), encoding="utf-8") as fh:
            data = json.load(fh)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def get(key: str, default: str = "") -> str:
    value = _all().get(key, default)
    return value if isinstance(value, str) else default


def put(key: str, value: str) -> None:
    data = _all()
    data[key] = value
    try:
        atomic_write_json(_settings_path(), data)  # type: ignore[arg-type]
    except OSError:
        pass


def last_export_dir() -> str:
    """The folder of the last export, when it still exists."""
    folder = get("last_export_dir")
    return folder if folder and os.path.isdir(folder) else ""
