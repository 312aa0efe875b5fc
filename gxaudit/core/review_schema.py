"""The shape of a review file (``*.review.json``), checked on load.

A review file is JSON written by :meth:`Review.to_json`.  Anything else —
``null``, a list, an edit whose value is ``"abc"``, a wrong type anywhere —
is a damaged review: :func:`validate` raises :class:`ReviewDamaged` naming the
first place that is wrong, before any of it reaches the rules or the GUI.
A file from a newer gxaudit (a higher ``schema``) is not damaged, only not
readable by this version: :class:`ReviewTooNew`.

The spec is data: each field maps to a type (a tuple of Python types, or one
of the small checkers below).  Fields not listed are ignored.
"""
from __future__ import annotations

import math

from . import formats
from .model import BLANK, EDITED, OK, PLACEHOLDER, UNREADABLE, ReportError
from .text import printable

REVIEW_SCHEMA = 1        # version written into every review file


class ReviewDamaged(ReportError, ValueError):
    """The review file cannot be parsed or has the wrong shape."""


class ReviewTooNew(ReportError, ValueError):
    """The review was saved by a newer gxaudit (schema version above ours)."""


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _opt(check):
    return lambda v: v is None or check(v)


def _str(v) -> bool:
    return isinstance(v, str)


def _list_of(check):
    return lambda v: isinstance(v, list) and all(check(x) for x in v)


def _bbox(v) -> bool:
    return isinstance(v, list) and len(v) == 4 and all(_number(x) for x in v)


def _json_value(v) -> bool:
    return v is None or isinstance(v, (str, bool)) or _number(v)


CELL_STATUSES = (OK, BLANK, PLACEHOLDER, UNREADABLE, EDITED)

SOURCE = {"path": _str, "format": _str, "pages": _opt(_int), "sha256": _str}
CELL = {"value": _opt(_number), "raw": _opt(_str), "status": lambda v: v in CELL_STATUSES,
        "page": _opt(_int), "bbox": _opt(_bbox), "confidence": _opt(_number), "unit": _opt(_str),
        "note": _opt(_str), "reason": _opt(_str), "line": _opt(_int)}
REPORT = {"agency": _opt(_str), "year": _opt(_int), "template": _str, "published": _opt(_str),
          "layouts": ("layouts",), "title_year": _opt(_int), "period_year": _opt(_int),
          "sections": ("map", _str), "reading_notes": _list_of(_str), "duplicates": _list_of(_str),
          "missing_rows": _list_of(_str), "fingerprints": ("map", _list_of(_str)),
          "cells": ("map", CELL)}
DECISION = {"status": lambda v: v in ("accepted", "overridden"), "reason": _str, "who": _str, "at": _str}
LOG_ENTRY = {"at": _str, "who": _str, "action": _str, "target": _str, "before": _json_value,
             "after": _json_value, "reason": _str}
PRIOR = {"how": _str, "source": SOURCE, "report": REPORT}
REVIEW = {"source": SOURCE, "reviewer": _opt(_str), "created": _str, "updated": _str,
          # An edit of None: the auditor cleared the cell (blank).
          "report": REPORT, "edits": ("map", _opt(_number)), "decisions": ("map", DECISION),
          "notes": ("map", _str), "log": ("list", LOG_ENTRY), "prior_how": _str,
          "prior": ("optional", PRIOR)}
REQUIRED = {id(SOURCE): ("path", "format"), id(REPORT): ("cells",), id(CELL): ("status",),
            id(DECISION): ("status", "reason", "who", "at"), id(PRIOR): ("source", "report"),
            id(LOG_ENTRY): ("at", "who", "action", "target"), id(REVIEW): ("source", "report")}


def _fail(where: str) -> None:
    where = printable(where)[:120] or "整个文件"          # keys come from the damaged file
    raise ReviewDamaged(f"审核记录的内容不完整或类型不对（{where}）")


def _check(value, spec, where: str) -> None:
    if isinstance(spec, dict):
        _check_fields(value, spec, where)
    elif isinstance(spec, tuple):
        _check_container(value, spec, where)
    elif not spec(value):
        _fail(where)


def _check_fields(value, spec: dict, where: str) -> None:
    if not isinstance(value, dict):
        _fail(where)
    for name in REQUIRED.get(id(spec), ()):
        if name not in value:
            _fail(f"{where}.{name}".lstrip("."))
    for name, sub in spec.items():
        if name in value:
            _check(value[name], sub, f"{where}.{name}".lstrip("."))


def _check_container(value, spec: tuple, where: str) -> None:
    kind = spec[0]
    if kind == "optional":
        if value is not None:
            _check(value, spec[1], where)
    elif kind == "layouts":
        if not isinstance(value, dict) or not all(
                k in ("t2", "t3", "t4") and v in formats.REGISTRY for k, v in value.items()):
            _fail(where)
    elif kind == "map":
        if not isinstance(value, dict):
            _fail(where)
        for k, v in value.items():
            _check(v, spec[1], f"{where}[{k}]")
    elif kind == "list":
        if not isinstance(value, list):
            _fail(where)
        for i, v in enumerate(value):
            _check(v, spec[1], f"{where}[{i}]")


def validate(data) -> dict:
    """``data`` (parsed JSON) if it is a review of a schema this version reads;
    else :class:`ReviewDamaged` or :class:`ReviewTooNew`."""
    if not isinstance(data, dict):
        _fail("")
    version = data.get("schema")
    if not _int(version):
        _fail("schema")
    if version > REVIEW_SCHEMA:
        raise ReviewTooNew(f"这份审核记录由更新版本的 gxaudit 保存（格式版本 {version}），"
                           "请用新版本打开；文件未作改动。")
    if version != REVIEW_SCHEMA:
        _fail("schema")
    _check(data, REVIEW, "")
    return data
