"""The progress of a large import covers its writing too, not only the reading."""

from __future__ import annotations

import io
import sys

from bot.cli.history import _progress_bar
from bot.imports.importer import import_rows

ROWS = 3000  # with two stage changes each: 9,000 events, written in two statements


def deal_rows() -> list[dict[str, str]]:
    return [{"id": f"D{n}", "name": f"Deal {n}", "value": "100",
             "created": "2026-01-05T09:00:00Z", "entered:Qualification": "2026-01-06T09:00:00Z",
             "entered:Meeting": "2026-01-07T09:00:00Z"} for n in range(ROWS)]


def test_progress_goes_through_reading_then_writing_then_saved(db, now):
    seen: list[tuple[str, int, int]] = []
    import_rows(db, "deals", deal_rows(), team="T1", now=now,
                progress=lambda phase, done, total: seen.append((phase, done, total)))
    phases = [phase for phase, _, _ in seen]
    assert phases == sorted(phases, key=["reading", "writing", "saved"].index)
    assert seen[-1] == ("saved", ROWS, ROWS)
    reading = [(done, total) for phase, done, total in seen if phase == "reading"]
    assert reading[-1] == (ROWS, ROWS)
    writing = [(done, total) for phase, done, total in seen if phase == "writing"]
    dones = [done for done, _ in writing]
    assert dones == sorted(dones) and writing[-1][0] == writing[-1][1] >= 3 * ROWS
    assert any(0 < done < total for done, total in writing), writing  # it moves while writing


def test_the_bar_fills_over_both_phases(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stderr", screen)
    draw = _progress_bar(100_000)
    draw("reading", 100_000, 100_000)
    assert "30% reading 100,000/100,000 rows" in screen.getvalue()
    draw("writing", 50, 100)
    assert "64% writing 50% of 100,000 rows" in screen.getvalue()
    draw("saved", 100_000, 100_000)
    assert screen.getvalue().rstrip().endswith("100% saved 100,000 rows")
