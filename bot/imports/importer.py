"""Import of deals, leads and marketing spend from CSV (PRODUCT.md, "Bringing history in and
out"). The API, stable for the console's `--demo` and the CLI:

    import_rows(db, kind, rows, *, team, now, progress=None) -> ImportResult
        kind: "deals" | "leads" | "spend"; rows: mappings keyed by column names (Dealbot's
        or a CRM's, see bot/import_columns.py), values as CSV text; the i-th row counts as
        line i + 2 of a file (the header is line 1).
    import_file(db, kind, path, *, team, now, progress=None) -> ImportResult
        the same for a CSV file: UTF-8 with or without a byte-order mark (UTF-16 with
        one), `,` or `;` separated, any line endings.
    UnreadableFile
        raised when the file is missing, a folder, empty or in another encoding.
    ImportRefused(errors: list[tuple[int, str]])
        raised when any row is bad: every bad row's (line, reason), and nothing written.

`progress(phase, done, total)` is called now and then: `reading` the rows (`done` of
`total` rows read and checked), then `writing` them (`done` of `total` rows written to the
tables, events included), then once `saved` (the transaction committed). The whole import is
one transaction: every row is read and checked, then everything is written.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Literal

from bot.imports import rows as parse_rows
from bot.imports.columns import ALIASES, map_header
from bot.imports.csv_file import UnreadableFile, read_text
from storage.db import Database
from storage.imports.deals import import_deals
from storage.imports.leads import import_leads
from storage.imports.records import ImportRefused, ImportResult
from storage.imports.spend import import_spend
from storage.imports.write import Written, refresh_statistics
from storage.workspaces import ensure_workspace

__all__ = ["ImportRefused", "ImportResult", "Kind", "UnreadableFile", "import_file",
           "import_numbered", "import_rows", "read_csv"]

Kind = Literal["deals", "leads", "spend"]
Progress = Callable[[str, int, int], None]  # (phase, done, total): see the module docstring
Numbered = list[tuple[int, Mapping[str, str]]]
REQUIRED: dict[str, tuple[str, ...]] = {
    "deals": ("id", "name"), "leads": ("id", "name"), "spend": ("week", "amount")}
_STORE: dict[str, Callable[..., ImportResult]] = {
    "deals": import_deals, "leads": import_leads, "spend": import_spend}


def import_rows(db: Database, kind: Kind, rows: Iterable[Mapping[str, str]], *, team: str,
                now: datetime, progress: Progress | None = None) -> ImportResult:
    """Imports rows as if they were a file's lines 2, 3, ...; see the module docstring."""
    numbered = [(index + 2, row) for index, row in enumerate(rows)]
    return import_numbered(db, kind, numbered, team=team, now=now, progress=progress)


def import_file(db: Database, kind: Kind, path: str | Path, *, team: str, now: datetime,
                progress: Progress | None = None) -> ImportResult:
    """Imports a CSV file; see the module docstring."""
    return import_numbered(db, kind, read_csv(path), team=team, now=now, progress=progress)


def read_csv(path: str | Path) -> Numbered:
    """The header (as line 1, every cell empty) and the file's rows with the line each
    starts on. The separator (`,` or `;`) is sniffed from the header line; a byte-order mark
    and Windows line endings are accepted. UnreadableFile (bot/imports/csv_file.py) when the
    file cannot be read as CSV text."""
    text = read_text(path)
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    if "\t" in header and header.count("\t") > header.count(delimiter):
        delimiter = "\t"
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    numbered: Numbered = []
    start = 2
    for row in reader:
        if any((value or "").strip() for key, value in row.items() if key is not None):
            numbered.append((start, {k: v or "" for k, v in row.items() if k is not None}))
        start = reader.line_num + 1
    if reader.fieldnames is None:  # read_text refuses a file with nothing in it
        raise UnreadableFile(f"{path} has no header line.")
    # line 1 carries the header, so that a file with no rows still has its columns checked
    return [(1, {name: "" for name in reader.fieldnames if name is not None})] + numbered


def import_numbered(db: Database, kind: Kind, numbered: Numbered, *, team: str,
                    now: datetime, progress: Progress | None = None) -> ImportResult:
    """Imports rows that carry their own line numbers (a line-1 row is a bare header)."""
    if kind not in _STORE:
        raise ValueError(f"unknown import kind {kind!r}")
    headers = list(dict.fromkeys(h for _, row in numbered for h in row))
    columns, ignored = _columns(kind, headers)
    rows = [(line, row) for line, row in numbered if line > 1]
    reading = None if progress is None else (
        lambda done: progress("reading", done, len(rows)))
    writing = None if progress is None else (
        lambda done, total: progress("writing", done, total))
    with db.transaction() as session:
        workspace = ensure_workspace(session, team=team, now=now)
        records, problems = parse_rows.parse(kind, rows, columns, workspace, now, reading)
        if reading is not None:
            reading(len(rows))
        result = _STORE[kind](session, team=team, records=records, now=now,
                              problems=problems, written=Written(writing))
    if progress is not None:
        progress("saved", len(rows), len(rows))
    with db.transaction() as session:
        refresh_statistics(session, kind=kind, written=result.created + result.updated)
    return dataclasses.replace(result, rows=len(rows), ignored_columns=tuple(ignored))


def _columns(kind: str, headers: list[str]) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Each header's (column, stage); refuses a file without a required column or with two
    headers for one column."""
    columns: dict[str, tuple[str, str]] = {}
    ignored: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    problems: list[tuple[int, str]] = []
    for header in headers:
        mapped = map_header(kind, header)
        if mapped is None:
            ignored.append(header)
            continue
        key = (mapped[0], mapped[1].casefold())
        if key in seen:
            problems.append((1, f"the columns `{seen[key]}` and `{header}` are the same "
                                f"column; keep one"))
        seen[key] = header
        columns[header] = mapped
    for column in REQUIRED[kind]:
        if column not in {c for c, _ in columns.values()}:
            names = ", ".join(f"`{a}`" for a in (column, *ALIASES[kind][column][:2]))
            problems.append((1, f"the file has no `{column}` column (it may be called {names})"))
    if problems:
        raise ImportRefused(problems)
    return columns, ignored
