"""Small facts about a page's layout shared by the PDF and OCR readers."""
from __future__ import annotations

import re

_PAGE_NUMBER = re.compile(r"^(?:[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4})$")


def is_page_number(text: str) -> bool:
    """Whether a line is a page number ("- 3 -", "第 3 页 共 8 页", "3/8")."""
    return bool(_PAGE_NUMBER.match(text.strip()))
