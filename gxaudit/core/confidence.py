"""How far an OCR score is trusted.

A text layer, a Word file or a web page gives every cell confidence 1.0; a
scan gives the OCR score of the cell's weakest character (0.0 when the cell
holds ink the OCR could not read at all).

* Below ``UNREADABLE_BELOW`` the reading is not used: the cell is
  *unreadable* (its raw text is kept for the auditor, its value is not).
* Below ``DOUBTFUL_BELOW`` the value is used but the cell is listed as an
  F-OCR finding, and the suspect reasoning prefers it when it explains a
  broken identity.
"""
from __future__ import annotations

UNREADABLE_BELOW = 0.80
DOUBTFUL_BELOW = 0.95


def doubtful(confidence: float) -> bool:
    return confidence < DOUBTFUL_BELOW


def too_low(confidence: float) -> bool:
    return confidence < UNREADABLE_BELOW
