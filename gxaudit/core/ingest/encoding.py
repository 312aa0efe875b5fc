"""Decoding text and web pages by evidence, the way browsers do.

A report saved by hand is UTF-8 or GB18030 (GBK, GB2312) nearly always.  A
few invalid bytes (a cut last character, a flipped byte) do not make it
unreadable: the encoding under which nearly all bytes decode wins, the bad
bytes become U+FFFD, and the reader is told how many were replaced so the
auditor sees it.  Only when neither decodes most of the file is
``charset-normalizer`` (already a dependency of pdfminer) asked for its best
guess; when it has none, the file is refused with one clear sentence.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

from ..model import ENCODING_NOTE, ReportError

# At most this share of a file's non-ASCII bytes may be replaced for an
# encoding to be taken (a real file with a handful of broken bytes is far below).
MAX_BAD_SHARE = 0.02
_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030（GBK）", "utf-16": "UTF-16"}


@dataclass
class Decoded:
    text: str
    encoding: str
    replaced: int = 0              # invalid byte sequences turned into U+FFFD
    declared_note: str | None = None  # a page's unusable charset declaration

    @property
    def note(self) -> str | None:
        """A reading note for the auditor, or None when every byte decoded."""
        if not self.replaced:
            return None
        name = _NAMES.get(self.encoding, self.encoding.upper())
        return (f"{ENCODING_NOTE}：文件按 {name} 编码读取，其中 {self.replaced} 处字节无法解码，已替换为“�”，"
                "相关文字请对照原文核对")


def _lenient(data: bytes, encoding: str) -> Decoded:
    text = data.decode(encoding, errors="replace")
    return Decoded(text, encoding, text.count("\ufffd") - _count_fffd_bytes(data, encoding))


def _count_fffd_bytes(data: bytes, encoding: str) -> int:
    """U+FFFD characters the file itself holds (encoded), not replacements."""
    try:
        return data.count("\ufffd".encode(encoding))
    except (UnicodeEncodeError, LookupError):
        return 0


def strict(data: bytes, encoding: str) -> Decoded | None:
    try:
        return Decoded(data.decode(encoding), encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_by_evidence(data: bytes) -> Decoded:
    """BOM first; then strict UTF-8, strict GB18030; then whichever of the two
    replaces few bytes; then charset-normalizer's best guess."""
    if data.startswith(codecs.BOM_UTF8):
        return strict(data[3:], "utf-8") or _lenient(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return strict(data, "utf-16") or _lenient(data, "utf-16")
    got = strict(data, "utf-8")
    if got is not None:
        return got
    # UTF-8 with a few broken bytes is checked before strict GB18030: the bytes
    # of UTF-8 Chinese often pair up into valid (but wrong) GB18030 characters.
    high = len(data) - len(data.translate(None, bytes(range(128))))
    few = max(4, MAX_BAD_SHARE * (high or 1))
    utf8 = _lenient(data, "utf-8")
    if utf8.replaced <= few:
        return utf8
    got = strict(data, "gb18030")
    if got is not None:
        return got
    gbk = _lenient(data, "gb18030")
    if gbk.replaced <= few:
        return gbk
    guess = _normalizer_guess(data)
    if guess is not None:
        return guess
    raise ReportError("无法识别文本的字符编码：既不是 UTF-8，也不是 GBK/GB18030，"
                      "请用记事本等工具另存为 UTF-8 编码后再打开。")


def _normalizer_guess(data: bytes) -> Decoded | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with pdfminer
        return None
    match = from_bytes(data[:200_000]).best()
    if match is None or match.encoding is None:
        return None
    decoded = _lenient(data, match.encoding)
    if decoded.replaced > MAX_BAD_SHARE * len(data):
        return None
    return decoded
