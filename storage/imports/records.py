"""What an import hands to storage: typed rows, the refusal, the result, and the rebuild of a
record's stage history from the times it entered its stages.

The layer above (bot/importer.py) reads the file and parses each cell; storage checks the
rows against the workspace (stages, links, ids) and writes them. Both collect every bad row
before refusing, so a user fixes a file in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from storage.errors import DealbotError
from storage.kinds import StageKind
from storage.models import Stage
from storage.values import counted

Problems = list[tuple[int, str]]


class ImportRefused(DealbotError):
    """The file has bad rows; nothing was written. `errors` holds (line, reason) pairs, the
    line numbered as in the file (the header is line 1), sorted by line."""

    def __init__(self, errors: Problems) -> None:
        self.errors = sorted(errors)
        lines = "\n".join(f"line {line}: {reason}" for line, reason in self.errors)
        super().__init__(f"The file was not imported ({counted(len(self.errors), 'bad row')}); "
                         f"nothing was changed.\n{lines}")


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows read, records created and updated (by `id`)."""

    kind: str
    rows: int
    created: int
    updated: int
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class DealRecord:
    line: int
    external_id: str
    name: str
    value: Decimal
    stage: str | None = None
    owner: str | None = None
    company: str | None = None
    created: datetime | None = None
    expected_close: date | None = None
    won_at: datetime | None = None
    lost_at: datetime | None = None
    lost_reason: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    lead: str | None = None
    stage_changed: datetime | None = None
    last_activity: datetime | None = None
    entered: tuple[tuple[str, datetime], ...] = field(default=())


@dataclass(frozen=True)
class LeadRecord:
    line: int
    external_id: str
    name: str
    company: str | None = None
    contact: str | None = None
    source: str | None = None
    stage: str | None = None
    owner: str | None = None
    created: datetime | None = None
    dropped_at: datetime | None = None
    drop_reason: str | None = None
    deal: str | None = None
    tags: tuple[str, ...] = ()
    stage_changed: datetime | None = None
    last_activity: datetime | None = None
    last_contact: datetime | None = None
    next_action: str | None = None
    next_action_due: date | None = None
    entered: tuple[tuple[str, datetime], ...] = field(default=())


@dataclass(frozen=True)
class SpendRecord:
    line: int
    week_start: date
    amount: Decimal
    source: str | None = None


class StageIndex:
    """A pipeline's stages by name: exact (case-insensitive), then a CRM's "Name (Pipeline)"
    spelling, then a unique prefix, as `/deal move` accepts them."""

    def __init__(self, stages: list[Stage]) -> None:
        self.stages = stages
        self.names = ", ".join(f"`{s.name}`" for s in stages)

    def find(self, name: str) -> Stage | None:
        wanted = " ".join(name.split()).casefold()
        for candidate in (wanted, wanted.rsplit(" (", 1)[0]):
            exact = [s for s in self.stages if s.name.casefold() == candidate]
            if exact:
                return exact[0]
        prefix = [s for s in self.stages if wanted and s.name.casefold().startswith(wanted)]
        return prefix[0] if len(prefix) == 1 else None

    def of_kind(self, kind: StageKind) -> Stage:
        return next(s for s in self.stages if s.kind == kind)


@dataclass(frozen=True)
class Step:
    """One entry of a rebuilt history: at `at` the record went from one stage to another
    (`from_id` None for the creation)."""

    at: datetime
    from_id: int | None
    to_id: int


@dataclass(frozen=True)
class Rebuilt:
    steps: tuple[Step, ...]
    created: datetime
    stage_id: int
    closed_at: datetime | None


def later_activity(history: Rebuilt, values: dict) -> datetime | None:
    """When the row's last activity (a contact, a note) came after its last stage change, the
    time of it: an `activity` event then keeps reports of idle days right after the import."""
    last = values["last_activity_at"]
    return last if last > history.steps[-1].at else None


def rebuild_history(*, created: datetime | None, entered: list[tuple[Stage, datetime]],
                    stage: Stage | None, close: tuple[Stage, datetime] | None,
                    stage_changed: datetime | None, first: Stage, now: datetime,
                    names: dict[StageKind, str]) -> Rebuilt | str:
    """The stage history a row describes, or the reason it cannot be one.

    Creation at `created` (else the earliest time given, else `now`) into the open stage
    entered then (else into `first`, or into `stage` when no time says otherwise); then a move
    into each other entered open stage, ordered by time; then, when the current `stage` is not
    the last one entered, a move back into it at `stage_changed` (else at the last move); then
    the close. `names` spells the columns for the reasons ("won_at")."""
    opens = sorted(((at, s.position, s) for s, at in entered if s.kind == StageKind.OPEN),
                   key=lambda item: (item[0], item[1]))
    times = [at for at, _, _ in opens] + ([close[1]] if close else [])
    start = created or (min(times) if times else now)
    if opens and opens[0][0] < start:
        return (f"`entered:{opens[0][2].name}` ({opens[0][0]:%Y-%m-%d %H:%M}) is before "
                f"`created` ({start:%Y-%m-%d %H:%M})")
    if close and opens and opens[-1][0] > close[1]:
        return (f"`entered:{opens[-1][2].name}` ({opens[-1][0]:%Y-%m-%d %H:%M}) is after "
                f"`{names[close[0].kind]}` ({close[1]:%Y-%m-%d %H:%M})")
    if close and close[1] < start:
        return f"`{names[close[0].kind]}` is before `created`"
    current = stage if stage is not None and stage.kind == StageKind.OPEN else None
    if opens and opens[0][0] > start and opens[0][2].id != first.id:
        opens.insert(0, (start, first.position, first))  # where it was before the first entry
    first_stage = opens[0][2] if opens else (current or first)
    steps = [Step(start, None, first_stage.id)]
    for at, _, entered_stage in opens[1:]:
        if entered_stage.id != steps[-1].to_id:
            steps.append(Step(at, steps[-1].to_id, entered_stage.id))
    if current is not None and current.id != steps[-1].to_id:
        at = max(stage_changed or steps[-1].at, steps[-1].at)
        steps.append(Step(at, steps[-1].to_id, current.id))
    if close is not None:
        steps.append(Step(close[1], steps[-1].to_id, close[0].id))
    return Rebuilt(tuple(steps), start, steps[-1].to_id, close[1] if close else None)


def closing_of(*, stage: Stage | None, explicit: list[tuple[Stage, datetime | None]],
               entered: list[tuple[Stage, datetime]], names: dict[StageKind, str]
               ) -> tuple[Stage, datetime] | None | str:
    """The closing stage and time a row gives (won_at, lost_at, dropped_at, or an
    `entered:` column of a closing stage), or the reason the row contradicts itself."""
    given = [(s, at) for s, at in explicit if at is not None]
    if len(given) > 1:
        return " and ".join(f"`{names[s.kind]}`" for s, _ in given) + " are both set"
    if not given:
        by_column = [(s, at) for s, at in entered if s.kind != StageKind.OPEN]
        if stage is not None and stage.kind != StageKind.OPEN:
            given = [(s, at) for s, at in by_column if s.id == stage.id]
            if not given:
                return f"stage `{stage.name}` needs the time in `{names[stage.kind]}`"
        elif len(by_column) == 1 and stage is None:
            given = by_column
    if not given:
        return None
    closing, at = given[0]
    if stage is not None and stage.id != closing.id:
        return f"stage is `{stage.name}` but `{names[closing.kind]}` is set"
    return closing, at
