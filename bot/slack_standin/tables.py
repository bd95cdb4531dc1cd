"""The `table` block as Slack checks it. slack-sdk's TableBlock model checks only that rows
exist, so the cells and column settings go through their own models (RawTextObject,
RichTextBlock, TableBlockColumnSettings) and the documented limits are checked here: at most
100 rows of at most 20 cells, at most 20 column settings, `align` left, center or right, one
table in a message and none in a modal (Slack shows tables in messages and the Home tab), and
at most 10,000 characters of cell text in a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import RawTextObject, TableBlockColumnSettings

MAX_ROWS = 100
MAX_CELLS = 20
MAX_SETTINGS = 20
MAX_CELL_TEXT = 10_000  # all cells of a message together
ALIGNS = ("left", "center", "right")
SURFACES = ("message", "home")


def cell_text(cell: Any) -> str:
    """What a cell shows: a raw_text's text, or a rich_text's text elements run together."""
    if not isinstance(cell, dict):
        return ""
    if cell.get("type") == "raw_text":
        return str(cell.get("text", ""))
    return "".join(str(piece.get("text", "")) for part in cell.get("elements") or []
                   if isinstance(part, dict) for piece in part.get("elements") or []
                   if isinstance(piece, dict))


def rows_of(block: dict[str, Any]) -> list[list[str]]:
    """The table's rows as the texts of their cells, the header row first."""
    return [[cell_text(c) for c in row] for row in block.get("rows") or []
            if isinstance(row, list)]


def table_problems(block: dict[str, Any],
                   block_problems: Callable[[dict[str, Any]], list[str]]) -> list[str]:
    """What Slack would refuse in one table block, beyond what its model checks; a rich_text
    cell is a rich_text block, checked by `block_problems`."""
    rows = block.get("rows")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return ["rows must be a list of lists of cells"]
    problems = []
    if len(rows) > MAX_ROWS:
        problems.append(f"{len(rows)} rows; a table takes {MAX_ROWS}")
    if any(not row or len(row) > MAX_CELLS for row in rows):
        problems.append(f"a row must have 1 to {MAX_CELLS} cells")
    if len({len(row) for row in rows}) > 1:
        problems.append("rows of different lengths")
    for r, row in enumerate(rows):
        problems += [f"row {r} cell {c}: {p}" for c, cell in enumerate(row)
                     for p in _cell(cell, block_problems)]
    return problems + _settings(block.get("column_settings"))


def surface_problems(blocks: list[dict[str, Any]], surface: str) -> list[str]:
    """Where tables may go and how many: one in a message, none in a modal."""
    tables = [b for b in blocks if b.get("type") == "table"]
    problems = []
    if tables and surface not in SURFACES:
        problems.append(f"a {surface} takes no table block (only messages and the Home tab do)")
    if surface == "message" and len(tables) > 1:
        problems.append(f"{len(tables)} table blocks; a message takes one "
                        "(only_one_table_allowed)")
    text = sum(len(t) for b in tables for row in rows_of(b) for t in row)
    if surface == "message" and text > MAX_CELL_TEXT:
        problems.append(f"{text} characters in table cells; a message takes {MAX_CELL_TEXT}")
    return problems


def _cell(cell: Any, block_problems: Callable[[dict[str, Any]], list[str]]) -> list[str]:
    if not isinstance(cell, dict):
        return ["a cell must be an object"]
    if cell.get("type") == "rich_text":
        return block_problems(cell)
    if cell.get("type") != "raw_text":
        return [f"cell type {cell.get('type')!r} is not raw_text or rich_text"]
    if set(cell) != {"type", "text"} or not isinstance(cell["text"], str):
        return ["a raw_text cell has a text string and nothing else"]
    try:
        RawTextObject(text=cell["text"]).to_dict()
    except SlackObjectFormationError as error:  # empty text
        return [str(error)]
    return []


def _settings(settings: Any) -> list[str]:
    if settings is None:
        return []
    if not isinstance(settings, list) or not all(isinstance(s, dict) for s in settings):
        return ["column_settings must be a list of objects"]
    problems = [f"{len(settings)} column settings; a table takes {MAX_SETTINGS}"] \
        if len(settings) > MAX_SETTINGS else []
    for index, setting in enumerate(settings):
        TableBlockColumnSettings(**setting).to_dict()
        if setting.get("align", "left") not in ALIGNS:
            problems.append(f"column {index}: align must be one of {', '.join(ALIGNS)}")
        if not isinstance(setting.get("is_wrapped", False), bool):
            problems.append(f"column {index}: is_wrapped must be true or false")
        unknown = set(setting) - {"align", "is_wrapped"}
        if unknown:
            problems.append(f"column {index}: unknown settings {sorted(unknown)}")
    return problems
