"""Readers: one per file format, each turning a file into a Document.

``read_document(path)`` picks the reader by the file's content (and its
name where the content is ambiguous) and raises ReportError with one clear
Chinese sentence when the file cannot be read.
"""
from __future__ import annotations

import hashlib
import logging
import os

from ..document import Document
from ..model import ReportError

log = logging.getLogger("gxaudit.ingest")

_MB = 1024 * 1024
# The largest file each reader accepts (README "支持的输入").  Real reports are
# tens of KB to a few MB as text or HTML; PDFs and Word files run larger
# (embedded fonts and images) but stay well under these.  Anything larger is
# refused before it is read, which keeps a reading under 500 MB of memory.
INPUT_LIMITS = {
    "text": 4 * _MB,
    "html": 4 * _MB,
    "docx": 50 * _MB,
    "xlsx": 50 * _MB,
    "pdf": 150 * _MB,
}
KIND_NAMES = {"text": "文本文件", "html": "网页（HTML）文件", "docx": "Word 文件",
              "xlsx": "工作簿", "pdf": "PDF 文件"}
MAX_BYTES = max(INPUT_LIMITS.values())
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".csv", ".tsv")


def sniff(path: str, head: bytes) -> str:
    """The reader a file needs: pdf · docx · xlsx · html · text."""
    suffix = os.path.splitext(path)[1].lower()
    if head.startswith(b"%PDF") or (b"%PDF-" in head[:1024] and suffix == ".pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".xlsx":
            return "xlsx"
        return "docx"
    lowered = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head.lower() \
            or suffix in (".html", ".htm"):
        return "html"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if suffix in (".docx", ".xlsx"):
            # An OLE container named .docx: a password-protected Office file.
            raise ReportError("这是加密（设置了打开密码）的 Office 文件，请先取消密码保护并另存为 .docx 后再打开。")
        raise ReportError("这是旧版 Word（.doc）或 Excel（.xls）文件，请先另存为 .docx 后再打开。")
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError("这不是可识别的文本、PDF、Word 或网页文件。")
    return "text"


def _check_size(kind: str, size: int) -> None:
    limit = INPUT_LIMITS[kind]
    if size > limit:
        raise ReportError(f"{KIND_NAMES[kind]}过大（{size / _MB:.1f} MB），超过该格式 {limit // _MB} MB 的上限；"
                          "年度报告通常只有几 MB，请确认选择的是报告原文件。")


def read_document(path: str) -> Document:
    if not os.path.exists(path):
        raise ReportError(f"找不到文件：{path}")
    if os.path.isdir(path):
        raise ReportError(f"这是一个文件夹，不是报告文件：{path}")
    size = os.path.getsize(path)
    if size == 0:
        raise ReportError("文件是空的（0 字节）。")
    try:
        with open(path, "rb") as fh:
            kind = sniff(path, fh.read(8192))
            _check_size(kind, size)
            fh.seek(0)
            data = fh.read()
    except OSError as exc:
        raise ReportError(f"无法读取文件：{exc.strerror or exc}") from exc
    sha = hashlib.sha256(data).hexdigest()
    log.info("reading %s as %s (%d bytes)", path, kind, size)
    if kind == "text":
        from .text import read_text
        return read_text(path, data, sha)
    if kind == "docx":
        from .docx import read_docx
        return read_docx(path, data, sha)
    if kind == "html":
        from .html import read_html
        return read_html(path, data, sha)
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(path, data, sha)
    if kind == "xlsx":
        from .workbook import read_workbook
        return read_workbook(path, data, sha)
    raise ReportError({
        "docx": "本版本尚不能读取 Word（.docx）文件，请先导出为文本（.txt）后再打开。",
        "xlsx": "本版本尚不能读取 Excel 工作簿。",
        "html": "本版本尚不能读取网页（HTML）文件，请先另存为文本（.txt）后再打开。",
    }[kind])
