"""Reading back a workbook that gxaudit exported.

The workbook carries its review as JSON in the very hidden sheet
``_gxaudit`` (see :mod:`gxaudit.core.export.xlsx`).  That review's data —
the report as read from the original source, the auditor's corrections,
decisions, notes and log — is what this reader returns, as the plain dict of
a review file; :mod:`gxaudit.core.session` makes the Review of it.  A workbook that
gxaudit did not make is refused with one clear sentence: reading arbitrary
spreadsheets as reports is not supported.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging

from ..model import ReportError

log = logging.getLogger("gxaudit.ingest")

DATA_SHEET = "_gxaudit"
DATA_MARKER = "gxaudit-review"

NOT_OURS = ("这个 Excel 工作簿不是 gxaudit 导出的审核工作簿；本版本只能读取 gxaudit 导出的工作簿，"
            "其他表格请先把报告原文（PDF、Word、网页或文本）交给 gxaudit。")


def read_review_data(data: bytes) -> dict:
    """The review JSON stored in an exported workbook's bytes."""
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise ReportError("缺少 openpyxl，无法读取 Excel 工作簿。") from exc
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors alike
        log.info("openpyxl could not open the workbook: %s", exc)
        raise ReportError("这个 Excel 工作簿已损坏或不是有效的 .xlsx 文件，无法打开。") from exc
    try:
        if DATA_SHEET not in wb.sheetnames:
            raise ReportError(NOT_OURS)
        rows = list(wb[DATA_SHEET].iter_rows(min_col=1, max_col=4, values_only=True))
    finally:
        wb.close()
    if not rows or not rows[0] or rows[0][0] != DATA_MARKER:
        raise ReportError(NOT_OURS)
    head = rows[0]
    schema, digest, count = head[1], head[2], head[3]
    if schema != 1:
        raise ReportError(f"这个审核工作簿由更新版本的 gxaudit 导出（数据版本 {schema}），请升级 gxaudit 后再打开。")
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise ReportError("工作簿中的审核数据已损坏（分段数不可读），无法读取。") from None
    chunks = [r[0] if r and isinstance(r[0], str) else "" for r in rows[1: 1 + count]]
    payload = "".join(chunks)
    if len(chunks) != count or hashlib.sha256(payload.encode("utf-8")).hexdigest() != digest:
        raise ReportError("工作簿中的审核数据已损坏（校验值不符），可能被其他软件改动过，无法读取。")
    try:
        return json.loads(payload)
    except ValueError:
        raise ReportError("工作簿中的审核数据已损坏（不是有效的 JSON），无法读取。") from None
