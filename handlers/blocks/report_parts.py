"""Pieces the report builders share: text bars, change arrows, rates, aligned tables."""

from __future__ import annotations

from handlers.blocks.format import clip, escape

BAR_WIDTH = 12
NAME_WIDTH = 16


def bar(part: float, whole: float, width: int = BAR_WIDTH) -> str:
    """`█████░░░░░░░`: part of whole, in `width` cells (a non-zero part shows at least one)."""
    filled = 0 if whole <= 0 or part <= 0 else max(1, round(width * part / whole))
    return "█" * min(filled, width) + "░" * (width - min(filled, width))


def change(current: float, previous: float) -> str:
    """`▲3`, `▼1` or `=`, for a figure against the previous period's."""
    delta = current - previous
    if delta == 0:
        return "="
    shown = f"{abs(delta):g}" if isinstance(delta, float) else f"{abs(delta):,}"
    return f"▲{shown}" if delta > 0 else f"▼{shown}"


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"


def name_cell(name: str) -> str:
    """A stage name clipped to fit a table's first column."""
    return clip(name, NAME_WIDTH)


def table(rows: list[list[str]]) -> str:
    """Rows of plain-text cells as a preformatted block, each column padded to its widest
    cell (the first left-aligned, the others right-aligned), escaped after padding so the
    columns stay aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=False)]
        lines.append(escape("  ".join(cells).rstrip()))
    return "```\n" + "\n".join(lines) + "\n```"
