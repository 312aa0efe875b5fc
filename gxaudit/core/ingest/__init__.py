"""Readers: one per file format, each turning a file into a Document.

``read_document(path)`` picks the reader by the file's content (and its
name where the content is ambiguous) and raises ReportError with one clear
Chinese sentence when the file cannot be read.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from importlib import import_module
from typing import Callable

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


ZIP, OLE, BOM16 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0", (b"\xff\xfe", b"\xfe\xff")


def _is_pdf(head: bytes, suffix: str) -> bool:
    return head.startswith(b"%PDF") or (b"%PDF-" in head[:1024] and suffix == ".pdf")


def _is_html(head: bytes, suffix: str) -> bool:
    lowered = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head.lower() \
        or suffix in (".html", ".htm")


@dataclass(frozen=True)
class Signature:
    """A file kind told by its first bytes (and its name where those are
    ambiguous); ``kind`` None refuses the file with ``refusal``."""
    kind: str | None
    matches: Callable[[bytes, str], bool]
    refusal: str = ""


# First match wins.  ``xlsx`` is a workbook gxaudit exported: a review file,
# opened by core.session, not by a reader here.
SIGNATURES: tuple[Signature, ...] = (
    Signature("pdf", _is_pdf),
    Signature("xlsx", lambda head, suffix: head.startswith(ZIP) and suffix == ".xlsx"),
    Signature("docx", lambda head, suffix: head.startswith(ZIP)),
    Signature("html", _is_html),
    # An OLE container named .docx: a password-protected Office file.
    Signature(None, lambda head, suffix: head.startswith(OLE) and suffix in (".docx", ".xlsx"),
              "这是加密（设置了打开密码）的 Office 文件，请先取消密码保护并另存为 .docx 后再打开。"),
    Signature(None, lambda head, suffix: head.startswith(OLE),
              "这是旧版 Word（.doc）或 Excel（.xls）文件，请先另存为 .docx 后再打开。"),
    Signature(None, lambda head, suffix: b"\x00" in head[:4096] and not head.startswith(BOM16),
              "这不是可识别的文本、PDF、Word 或网页文件。"),
    Signature("text", lambda head, suffix: True),
)

# kind → its reader(path, data, sha256) -> Document, or the reader's
# "module:function", imported when first needed (a text report never pays for
# pdfminer or lxml).
READERS: dict[str, str | Callable[[str, bytes, str], Document]] = {
    "pdf": ".pdf:read_pdf", "docx": ".docx:read_docx", "html": ".html:read_html", "text": ".text:read_text"}


def reader_for(kind: str) -> Callable[[str, bytes, str], Document] | None:
    spec = READERS.get(kind)
    if spec is None or callable(spec):
        return spec
    module, name = spec.split(":")
    return getattr(import_module(module, __name__), name)


def _check_size(kind: str, size: int) -> None:
    limit = INPUT_LIMITS.get(kind, MAX_BYTES)      # a kind without its own limit: the largest
    if size > limit:
        raise ReportError(f"{KIND_NAMES.get(kind, '文件')}过大（{size / _MB:.1f} MB），超过该格式 {limit // _MB} MB 的上限；"
                          "年度报告通常只有几 MB，请确认选择的是报告原文件。")


def sniff(path: str, head: bytes) -> str:
    """The kind of a file (see SIGNATURES): pdf · docx · xlsx · html · text."""
    suffix = os.path.splitext(path)[1].lower()
    for sig in SIGNATURES:
        if sig.matches(head, suffix):
            if sig.kind is None:
                raise ReportError(sig.refusal)
            return sig.kind
    raise ReportError("这不是可识别的文本、PDF、Word 或网页文件。")  # pragma: no cover - text matches all


def read_source(path: str) -> tuple[bytes, str, str]:
    """A file's bytes, sha256 and kind (see :func:`sniff`), or ReportError."""
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
    return data, sha, kind


def parse_document(path: str, data: bytes, sha: str, kind: str) -> Document:
    """The Document of a source report's bytes.  An exported workbook is no
    source: it is a review file (see :mod:`gxaudit.core.session`)."""
    reader = reader_for(kind)
    if reader is not None:
        return reader(path, data, sha)
    raise ReportError("这是 gxaudit 导出的审核工作簿，不是报告原文；请用“打开”或 gxaudit check 直接打开它。")


def read_document(path: str) -> Document:
    """The Document of a source report file."""
    return parse_document(path, *read_source(path))
