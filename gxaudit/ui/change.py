"""What one change to the review touched: the payload of ``reviewChanged``.

The core ``Review`` mutators will return such an object (issue 12); until
then the window's one after-change hook builds it from what it knows."""
from __future__ import annotations

from dataclasses import dataclass

try:  # the core's own Change, once Review's mutators return it
    from ..core.review import Change as _CoreChange  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the merge order
    _CoreChange = None


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
                   bool(getattr(change, "prior_changed", False)), bool(getattr(change, "notes_changed", False)))
