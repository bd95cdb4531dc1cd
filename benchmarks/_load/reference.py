"""Hand-written SQL for the core figures of the two reports (PRODUCT.md "Reports, defined"),
the yardstick of benchmarks/report_sql.py. Written from the definitions, over the app's
tables, the way one would by hand on PostgreSQL:

- pipeline at T: for each open stage of the team's deal pipeline, the deals open in it at T,
  their value and weighted value (the deal's own probability when set, else the stage's).
  A deal with no event after T is what its columns say; only a deal with events after T is
  looked up in its history (its last stage entered at or before T, the amount on its latest
  event at or before T, its probability as of T);
- funnel for a week [start, end): for each open funnel stage s, the leads that reached s
  (entered s or a later open stage) for the first time in the week: the furthest stage a lead
  had reached before the week is short of s, and it reached s or beyond during the week.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

PIPELINE = """
WITH changed AS (
    SELECT DISTINCT deal_id FROM deal_events WHERE team_id = %(team)s AND at > %(t)s
), at_t AS (
    SELECT d.stage_id, d.value, d.probability
    FROM deals d
    WHERE d.team_id = %(team)s AND d.created_at <= %(t)s
      AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.deal_id = d.id)
    UNION ALL
    SELECT
        (SELECT e.to_stage_id FROM deal_events e
          WHERE e.deal_id = d.id AND e.at <= %(t)s AND e.kind IN ('created', 'stage')
          ORDER BY e.at DESC, e.id DESC LIMIT 1),
        coalesce((SELECT e.amount FROM deal_events e WHERE e.deal_id = d.id AND e.at <= %(t)s
                   ORDER BY e.at DESC, e.id DESC LIMIT 1), d.value),
        nullif(coalesce(
            (SELECT coalesce(e.new_value, '') FROM deal_events e
              WHERE e.deal_id = d.id AND e.field = 'probability' AND e.at <= %(t)s
              ORDER BY e.at DESC, e.id DESC LIMIT 1),
            (SELECT coalesce(e.old_value, '') FROM deal_events e
              WHERE e.deal_id = d.id AND e.field = 'probability' AND e.at > %(t)s
              ORDER BY e.at, e.id LIMIT 1),
            d.probability::text, ''), '')::integer
    FROM deals d JOIN changed c ON c.deal_id = d.id
    WHERE d.created_at <= %(t)s
)
SELECT s.name, count(x.stage_id) AS count, coalesce(sum(x.value), 0) AS value,
       round(coalesce(sum(x.value * coalesce(x.probability, s.probability)), 0) / 100, 2)
FROM stages s
JOIN pipelines p ON p.id = s.pipeline_id
LEFT JOIN at_t x ON x.stage_id = s.id
WHERE p.id = (SELECT min(id) FROM pipelines WHERE team_id = %(team)s AND kind = 'deal')
  AND s.kind = 'open'
GROUP BY s.id, s.name, s.position, s.archived
HAVING NOT s.archived OR count(x.stage_id) > 0
ORDER BY s.position, s.id
"""

FUNNEL = """
WITH funnel AS (
    SELECT s.name, s.position FROM stages s
    WHERE s.pipeline_id = (SELECT min(id) FROM pipelines WHERE team_id = %(team)s AND kind = 'lead')
      AND s.kind = 'open' AND NOT s.archived
), furthest AS (
    SELECT e.lead_id,
           max(s.position) FILTER (WHERE e.at < %(start)s) AS before,
           max(s.position) FILTER (WHERE e.at >= %(start)s) AS during
    FROM lead_events e JOIN stages s ON s.id = e.to_stage_id AND s.kind = 'open'
    WHERE e.kind IN ('created', 'stage') AND e.at < %(end)s
      AND e.lead_id IN (SELECT lead_id FROM lead_events
                         WHERE team_id = %(team)s AND at >= %(start)s AND at < %(end)s)
    GROUP BY e.lead_id
)
SELECT f.name, count(r.lead_id)
FROM funnel f
LEFT JOIN furthest r ON r.during >= f.position AND coalesce(r.before, -1) < f.position
GROUP BY f.name, f.position
ORDER BY f.position
"""


def pipeline(conn: psycopg.Connection, team: str, t: datetime) -> list[tuple[Any, ...]]:
    """(stage, count, value, weighted) of every open stage at `t` (naive UTC, as stored)."""
    return [(name, count, _money(value), _money(weighted)) for name, count, value, weighted
            in conn.execute(PIPELINE, {"team": team, "t": t}).fetchall()]


def funnel(conn: psycopg.Connection, team: str, start: datetime,
           end: datetime) -> list[tuple[Any, ...]]:
    """(stage, entered) of every open funnel stage for the week [start, end)."""
    return [tuple(row) for row in
            conn.execute(FUNNEL, {"team": team, "start": start, "end": end}).fetchall()]


def _money(value: Decimal) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def from_app(kind: str, data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The same figures, from the app's `dealbot report KIND --format json`."""
    if kind == "pipeline":
        return [(s["name"], s["count"], s["value"], s["weighted"]) for s in data["stages"]]
    return [(s["name"], s["entered"]) for s in data["stages"]]
