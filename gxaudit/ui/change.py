"""What one change to the review touched: the payload of ``reviewChanged``.

The core ``Review`` mutators return a core ``Change``; :meth:`Change.of`
turns one into this (the window's hook adds what only it can tell)."""
from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class Change:
    keys: frozenset[str] = frozenset()     # cells whose value changed
    findings_changed: bool = True          # the findings or their states changed
    prior_changed: bool = False            # last year's report was replaced
    notes_changed: bool = False
    reset: bool = False                    # a whole new review (open / close)

    @classmethod
    def of(cls, change) -> "Change":
        """Our Change from whatever the core returned (or None)."""
        if isinstance(change, cls):
            return change
        if change is None:
            return cls()
        return cls(frozenset(getattr(change, "keys", ())), bool(getattr(change, "findings_changed", True)),
                   bool(getattr(change, "prior_changed", getattr(change, "prior", False))),
                   bool(getattr(change, "notes_changed", bool(getattr(change, "notes", False)))))
