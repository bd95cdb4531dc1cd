"""`dealbot export deals|leads|events [--format csv|jsonl]`: a team's records in the columns
`dealbot import` reads (see storage/exports.py), to stdout or a file."""

from __future__ import annotations

import json
from typing import IO, Literal

from storage.db import Database
from storage.imports import exports

Format = Literal["csv", "jsonl"]


def export(db: Database, kind: str, out: IO[str], *, team: str, fmt: Format = "csv") -> int:
    """Writes the export of `kind` for `team` to `out`; returns the number of rows."""
    with db.transaction() as session:
        columns = exports.columns_of(session, team=team, kind=kind)
        rows = exports.rows_of(session, team=team, kind=kind)
        if fmt == "csv":
            return exports.write_csv(out, columns, rows)
        count = 0
        for row in rows:
            out.write(json.dumps({c: row.get(c, "") for c in columns}, ensure_ascii=False))
            out.write("\n")
            count += 1
        return count
