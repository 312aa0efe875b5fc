"""Writing files so that a crash never leaves half a file behind, and so that
nothing gxaudit writes ever replaces a file it read.

Every writer goes through :func:`atomic_path`.  It refuses a target that is a
source report read by this process (:func:`protect` records them, by
resolved path and by file identity, so hard links and symlinks are caught
too).  :func:`check_targets` checks a whole run before anything is read or
written: no output may be one of the run's inputs or another of its outputs.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from .model import ReportError


class UnsafeTarget(ReportError):
    """A write that would replace a source or another output of the same run."""


_lock = threading.Lock()
_protected_paths: dict[str, str] = {}            # resolved path -> path as given
_protected_ids: dict[tuple[int, int], str] = {}  # (st_dev, st_ino) -> path as given


def _resolved(path: str | os.PathLike) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(os.fspath(path))))


def _identity(path: str | os.PathLike) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def protect(*paths: str | os.PathLike | None) -> None:
    """Record files this process read as sources: no write may replace them."""
    with _lock:
        for p in paths:
            if not p:
                continue
            _protected_paths[_resolved(p)] = os.fspath(p)
            ident = _identity(p)
            if ident is not None:
                _protected_ids[ident] = os.fspath(p)


def forget_protected() -> None:
    """Forget every protected source (for tests and long-lived processes)."""
    with _lock:
        _protected_paths.clear()
        _protected_ids.clear()


def _same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """One file by resolved path (existing or not), or by identity (hard links)."""
    if _resolved(a) == _resolved(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _refuse_protected(path: str | os.PathLike) -> None:
    with _lock:
        src = _protected_paths.get(_resolved(path))
        ident = _identity(path)
        if src is None and ident is not None:
            src = _protected_ids.get(ident)
    if src is not None:
        also = "" if _resolved(path) == _resolved(src) else f"（与 {src} 是同一个文件）"
        raise UnsafeTarget(f"不能写入 {os.fspath(path)}：它就是读取的源文件{also}，已拒绝覆盖。")


def check_targets(outputs: dict[str, str | os.PathLike | None],
                  protected: list[str | os.PathLike | None]) -> None:
    """Refuse a run whose outputs (``{name: path}``, e.g. ``{"--xlsx": "a.xlsx"}``)
    include one of its inputs, a protected source, or the same file twice."""
    outs = [(name, p) for name, p in outputs.items() if p]
    for i, (name, out) in enumerate(outs):
        for src in protected:
            if src and _same_file(out, src):
                also = "" if _resolved(out) == _resolved(src) else f"（与源文件 {os.fspath(src)} 是同一个文件）"
                raise UnsafeTarget(f"{name}（{os.fspath(out)}）就是要读取的源文件{also}，"
                                   "已拒绝覆盖，请换一个文件名。")
        for other_name, other in outs[i + 1:]:
            if _same_file(out, other):
                raise UnsafeTarget(f"{name} 和 {other_name} 指向同一个文件（{os.fspath(out)}），"
                                   "已拒绝写入，请分别指定不同的文件名。")
        _refuse_protected(out)


@contextmanager
def atomic_path(path: str | os.PathLike, mode: int = 0o644):
    """Yield a temporary path beside ``path``; when the block ends normally the
    temporary file gets ``mode`` and is renamed over ``path`` (one atomic step),
    otherwise it is removed and ``path`` is untouched.  A protected source is
    refused before anything is written (:class:`UnsafeTarget`)."""
    _refuse_protected(path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        _refuse_protected(path)          # a source may have been read meanwhile
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_json(path: str | os.PathLike, data, mode: int = 0o600) -> None:
    """Write JSON durably (flushed to disk before the rename); private by default."""
    with atomic_path(path, mode) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
