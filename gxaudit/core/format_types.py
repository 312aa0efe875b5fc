"""The shapes the national formats are made of: columns, rows, blocks of
table 二 and table layouts.  The formats themselves, as data, are in
``formats.py``."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Alternative header texts seen in real reports (normalised match).
    aliases: tuple[str, ...] = ()
    # "count": integer >= 0; "signed": integer, may be negative (2019 本年增/减);
    # "amount": decimal >= 0.
    kind: str = "count"
    unit: str | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    # Phrases that identify the row inside a (possibly garbled) label, after
    # normalisation (see text.normalize_label).  The most specific (longest)
    # phrase found wins across all rows of a table.
    phrases: tuple[str, ...] = ()
    # Labels that identify the row only when the whole label equals them
    # (short labels such as 其他, 规章), after numbering is stripped.
    exact: tuple[str, ...] = ()
    group: str | None = None          # the merged group cell it sits under
    role: str = "data"                # data · leaf · total
    short: str = ""                   # short Chinese name for messages


@dataclass(frozen=True)
class Block:
    """A block of table 二: one 第二十条 item with its own columns."""
    key: str
    heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class TableLayout:
    table: str                        # t2 · t3 · t4
    layout: str                       # 2021 · 2019
    title: str
    blocks: tuple[Block, ...] = ()    # t2 only
    rows: tuple[Row, ...] = ()        # t3 rows, t4 groups (as rows)
    columns: tuple[Column, ...] = ()  # t3 / t4 columns
    header_note: str = ""

    def cell_keys(self) -> list[str]:
        if self.blocks:
            return [f"{self.table}.{r.key}.{c.key}" for b in self.blocks
                    for r in b.rows for c in b.columns]
        return [f"{self.table}.{r.key}.{c.key}" for r in self.rows for c in self.columns]

    def row_columns(self, row_key: str) -> tuple[Column, ...]:
        if self.blocks:
            for b in self.blocks:
                for r in b.rows:
                    if r.key == row_key:
                        return b.columns
            raise KeyError(row_key)
        return self.columns

    def all_rows(self) -> tuple[Row, ...]:
        if self.blocks:
            return tuple(r for b in self.blocks for r in b.rows)
        return self.rows

    def row(self, row_key: str) -> Row:
        for r in self.all_rows():
            if r.key == row_key:
                return r
        raise KeyError(row_key)

    @property
    def leaves(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows if r.role == "leaf")
