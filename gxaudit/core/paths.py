"""Where gxaudit keeps its files: data (reviews, the report library), config,
logs and caches.  Each honours an environment variable first (tests and
hand runs isolate user data with them), then the platform's directory."""
from __future__ import annotations

import os
from pathlib import Path

APP = "gxaudit"


def _dir(env: str, platform_fn: str) -> Path:
    value = os.environ.get(env)
    if value:
        return Path(value)
    import platformdirs
    return Path(getattr(platformdirs, platform_fn)(APP, appauthor=False))


def data_dir() -> Path:
    """Reviews and the report library (``GXAUDIT_DATA_DIR``)."""
    return _dir("GXAUDIT_DATA_DIR", "user_data_dir")


def config_dir() -> Path:
    """Settings (``GXAUDIT_CONFIG_DIR``)."""
    return _dir("GXAUDIT_CONFIG_DIR", "user_config_dir")


def log_dir() -> Path:
    """The rotating log file (``GXAUDIT_LOG_DIR``)."""
    return _dir("GXAUDIT_LOG_DIR", "user_log_dir")


def cache_dir() -> Path:
    """Caches that may be deleted at any time (``XDG_CACHE_HOME`` via platformdirs)."""
    import platformdirs
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def reviews_dir() -> Path:
    return data_dir() / "reviews"


def library_path() -> Path:
    return data_dir() / "library.sqlite3"
