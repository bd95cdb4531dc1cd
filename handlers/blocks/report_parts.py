"""Pieces the report builders share: change arrows and words, rates, the stage table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handlers.blocks.format import clip

NAME_WIDTH = 60  # a stage name's longest; the table wraps it rather than clipping it
TABLE_ROWS = 100  # Slack's limit, the header row included
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Column:
    """A table column: its header and how Slack lays its cells out."""

    title: str
    align: Align = "right"
    wrapped: bool = False


def change(current: float, previous: float) -> str:
    """`▲3`, `▼1` or `=`, for a figure against the previous period's."""
    delta = current - previous
    if delta == 0:
        return "="
    shown = f"{abs(delta):g}" if isinstance(delta, float) else f"{abs(delta):,}"
    return f"▲{shown}" if delta > 0 else f"▼{shown}"


def change_words(current: int, previous: int) -> str:
    """`up 3`, `down 1` or `no change`: the change column read aloud (notifications, screen
    readers), where an arrow says nothing."""
    delta = current - previous
    return "no change" if delta == 0 else f"{'up' if delta > 0 else 'down'} {abs(delta):,}"


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"


def name_cell(name: str) -> str:
    return clip(name, NAME_WIDTH)


def table_block(columns: tuple[Column, ...], rows: list[list[str]]) -> dict:
    """A Block Kit `table`: a header row of the columns' titles, then `rows` of plain text
    cells (taken as typed: raw_text is not mrkdwn). Slack takes at most 100 rows."""
    header = [c.title for c in columns]
    return {"type": "table",
            "column_settings": [{"align": c.align, "is_wrapped": c.wrapped} for c in columns],
            "rows": [[{"type": "raw_text", "text": cell} for cell in row]
                     for row in [header, *rows][:TABLE_ROWS]]}
