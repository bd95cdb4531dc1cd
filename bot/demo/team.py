"""`dealbot console --demo`: a realistic team history, brought in through the CSV import.

`generate(seed, now)` is pure and deterministic: the same seed and `now` give the same rows.
About 300 leads arrive from several sources over ten weeks and move through the funnel with
realistic drop-off; engaged leads become deals; with the outbound deals about 60 deals sit
in every stage, some won, some lost with reasons. Spend is recorded per week and source.
`fill` imports them with `bot.importer.import_rows` (the path `dealbot import` takes), then
logs notes and next actions through the same storage operations `/deal note` uses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TextIO

from bot.demo.names import (
    COMPANY_KINDS,
    COMPANY_ROOTS,
    CONVERT_ODDS,
    DEAL_KINDS,
    DEAL_ODDS,
    DROP_REASONS,
    FIRST,
    LAST,
    LOSE_ODDS,
    LOST_REASONS,
    MARKETERS,
    NEXT_ACTIONS,
    NOTES,
    REPS,
    SOURCES,
    STAGE_ODDS,
    TAGS,
    USERS,
    WIN_ODDS,
)
from bot.imports.importer import import_rows
from bot.slack_standin.identity import LOCAL_TEAM
from storage.db import Database
from storage.deals import operations as deal_ops
from storage.imports.inventory import teams_with_records

__all__ = ["USERS", "TEAM", "Demo", "generate", "fill"]

TEAM = LOCAL_TEAM
WEEKS = 10
FUNNEL = ("Awareness", "Interest", "Consideration", "Engagement", "Conversion")
PIPELINE = ("Prospecting", "Qualification", "Meeting", "Proposal", "Negotiation")
Row = dict[str, str]


@dataclass
class Demo:
    """The rows for each import, and the notes to log afterwards: (deal number, time,
    author, text, is a next action, due date)."""

    leads: list[Row] = field(default_factory=list)
    deals: list[Row] = field(default_factory=list)
    spend: list[Row] = field(default_factory=list)
    notes: list[tuple[int, datetime, str, str, bool, date | None]] = field(default_factory=list)


def uid(name: str) -> str:
    return "U0" + name.upper()


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Maker:
    """Draws the history from one random generator, never past `now`."""

    def __init__(self, seed: int, now: datetime) -> None:
        self.rng, self.now = random.Random(seed), now
        monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0,
                                                               microsecond=0)
        self.first_week = monday - timedelta(weeks=WEEKS - 1)

    def later(self, moment: datetime, low: float, high: float) -> datetime | None:
        """A time `low`..`high` days after `moment`, or None when that is still to come."""
        then = moment + timedelta(days=self.rng.uniform(low, high))
        return then if then < self.now - timedelta(minutes=5) else None

    def company(self) -> str:
        return f"{self.rng.choice(COMPANY_ROOTS)} {self.rng.choice(COMPANY_KINDS)}"

    def lead(self, number: int, created: datetime) -> tuple[Row, list[tuple[str, datetime]]]:
        """A lead row, and the funnel stages it reached (to know whether it becomes a deal)."""
        rng = self.rng
        source = rng.choices(list(SOURCES), [s[0] for s in SOURCES.values()])[0]
        reached, at = [("Awareness", created)], created
        for stage, odds in zip(FUNNEL[1:4], STAGE_ODDS, strict=False):
            step = self.later(at, 0.5, 6)
            if step is None or rng.random() > odds * SOURCES[source][1]:
                break
            reached.append((stage, step))
            at = step
        row = {"id": f"L{number:04d}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
               "company": self.company(), "source": source, "owner": uid(rng.choice(MARKETERS)),
               "created": stamp(created), "stage": reached[-1][0],
               **{f"entered:{stage}": stamp(at) for stage, at in reached}}
        dropped = self.later(at, 8, 25)
        if len(reached) < 4 and dropped is not None and rng.random() < 0.55:
            row.update(dropped_at=stamp(dropped), drop_reason=rng.choice(DROP_REASONS),
                       stage="Dropped")
        return row, reached

    def deal(self, key: str, created: datetime, company: str, source: str,
             lead: str | None) -> tuple[Row, datetime]:
        """A deal row and the time of its last stage change."""
        rng = self.rng
        value = Decimal(rng.choice((5, 8, 12, 15, 20, 25, 35, 40, 60, 80, 120))) * 1000
        row = {"id": key, "name": f"{company.split()[0]} {rng.choice(DEAL_KINDS)}",
               "company": company,
               "value": str(value), "owner": uid(rng.choice(REPS)), "created": stamp(created),
               "source": source, "lead": lead or "", "tags": " ".join(
                   rng.sample(TAGS, rng.choice((0, 0, 1, 2)))),
               "expected_close": (created + timedelta(days=rng.randint(25, 80))).date().isoformat()}
        stage, at, outcome = "Prospecting", created, None
        for following, odds in zip(PIPELINE[1:], DEAL_ODDS, strict=False):
            step = self.later(at, 1.5, 8)
            chance = rng.random()
            if step is None or chance > odds + LOSE_ODDS:
                break
            if chance < LOSE_ODDS:
                outcome = ("Lost", step)
                break
            row[f"entered:{following}"] = stamp(step)
            stage, at = following, step
        end = self.later(at, 2, 10)
        if outcome is None and end is not None and stage == "Negotiation":
            outcome = ("Won" if rng.random() < WIN_ODDS else "Lost", end)
        if outcome is not None:
            stage, at = outcome
            row["won_at" if stage == "Won" else "lost_at"] = stamp(at)
            if stage == "Lost":
                row["lost_reason"] = rng.choice(LOST_REASONS)
        row["stage"] = stage
        return row, at


def generate(seed: int, now: datetime) -> Demo:
    """The demo's rows for a team whose history ends at `now`."""
    maker, demo = _Maker(seed, now), Demo()
    deals: list[tuple[datetime, str, str, str | None]] = []  # created, company, source, lead
    number = 0
    for week in range(WEEKS):
        start = maker.first_week + timedelta(weeks=week)
        span = min(now - start, timedelta(weeks=1)).total_seconds()
        count = round((24 + 1.3 * week + maker.rng.uniform(-4, 4)) * span / (7 * 86400))
        for created in sorted(start + timedelta(seconds=maker.rng.uniform(0, span))
                              for _ in range(max(count, 3))):
            number += 1
            row, reached = maker.lead(number, created)
            demo.leads.append(row)
            converted = maker.later(reached[-1][1], 0.5, 6) if len(reached) == 4 else None
            if converted is not None and maker.rng.random() < CONVERT_ODDS:
                deals.append((converted, row["company"], row["source"], row["id"]))
    for _ in range(max(0, 60 - len(deals))):  # the reps' own outbound prospecting
        deals.append((maker.first_week + timedelta(days=maker.rng.uniform(0, WEEKS * 7 - 10)),
                      maker.company(), "outbound", None))
    for index, (created, company, source, lead) in enumerate(sorted(deals), 1):
        if created >= now:
            continue
        row, last = maker.deal(f"D{index:03d}", created, company, source, lead)
        demo.deals.append(row)
        _converted_lead(demo.leads, row)
        _notes(maker, demo, len(demo.deals), row, last)
    demo.spend = _spend(maker)
    return demo


def _converted_lead(leads: list[Row], deal: Row) -> None:
    """A converted lead is in Engagement; it enters Conversion when its deal is won."""
    for lead in leads:
        if lead["id"] == deal["lead"] and deal.get("won_at"):
            lead.update(stage="Conversion", **{"entered:Conversion": deal["won_at"]})


def _notes(maker: _Maker, demo: Demo, number: int, row: Row, last: datetime) -> None:
    """Most open deals have a recent contact and a next action; the rest go stale."""
    rng = maker.rng
    if row["stage"] in ("Won", "Lost") or rng.random() < 0.2:
        return
    who = rng.choice(FIRST)
    note_at = maker.later(max(last, maker.now - timedelta(days=9)), 0, 8)
    if note_at is None:
        return
    author = rng.choice(REPS)
    demo.notes.append((number, note_at, author, rng.choice(NOTES).format(who=who), False, None))
    due = (note_at + timedelta(days=rng.randint(1, 10))).date()
    demo.notes.append((number, note_at + timedelta(minutes=2), author,
                       rng.choice(NEXT_ACTIONS), True, due))


def _spend(maker: _Maker) -> list[Row]:
    rows = []
    for week in range(WEEKS):
        monday = (maker.first_week + timedelta(weeks=week)).date()
        for source, (_, _, spend) in SOURCES.items():
            if spend is not None and (source != "event" or maker.rng.random() < 0.3):
                amount = round(maker.rng.uniform(*spend), -1) or spend[1]
                rows.append({"week": monday.isoformat(), "amount": str(amount),
                             "source": source})
    return rows


def fill(db: Database, *, seed: int, now: datetime, force: bool, out: TextIO) -> bool:
    """Imports the demo into `db`, unless it is there already (then it is kept as it is).
    Refuses (returning False) when other teams have records, unless `force`: the demo never
    mixes with real data by accident."""
    with db.transaction() as session:
        teams = teams_with_records(session)
    if teams - {TEAM} and not force:
        out.write("This database already has deals, leads or spend of its own, so the demo "
                  "was not added. Point DATABASE_URL at another database (or add --force "
                  "to add the demo beside them).\n")
        return False
    if TEAM in teams and not force:
        out.write("The demo team is already in this database; carrying on with it.\n")
        return True
    demo = generate(seed, now)
    for kind in ("leads", "deals", "spend"):
        import_rows(db, kind, getattr(demo, kind), team=TEAM, now=now)
    if TEAM not in teams:  # deal numbers are known only in a workspace that was empty
        _log_notes(db, demo)
    out.write(f"Demo team added: {len(demo.leads)} leads, {len(demo.deals)} deals, "
              f"{WEEKS} weeks of history (seed {seed}).\n")
    return True


def _log_notes(db: Database, demo: Demo) -> None:
    with db.transaction() as session:
        for number, at, author, text, is_next, due in sorted(demo.notes, key=lambda n: n[1]):
            if is_next:
                deal_ops.set_next_action(session, team=TEAM, number=number, text=text,
                                         due=due, actor=uid(author), now=at)
            else:
                deal_ops.add_note(session, team=TEAM, number=number, text=text,
                                  actor=uid(author), now=at)
