"""Stages of a team's pipeline or funnel: lookup by name or prefix, and their configuration.

Stages are renamed, added, reordered and re-weighted in place; history refers to stage ids,
so a past move keeps pointing at the same stage under its new name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from storage import text_fields
from storage.errors import NotFound, RuleViolation, UsageError
from storage.kinds import PipelineKind, StageKind
from storage.memo import forget, remembered
from storage.models import Pipeline, Stage
from storage.workspaces import default_stages, find_workspace, pipeline_of


@dataclass(frozen=True)
class StageView:
    id: int
    name: str
    position: int
    kind: StageKind
    probability: int
    rotting_days: int | None

    @property
    def is_open(self) -> bool:
        return self.kind == StageKind.OPEN


def stage_view(stage: Stage) -> StageView:
    return StageView(stage.id, stage.name, stage.position, stage.kind, stage.probability,
                     stage.rotting_days)


STAGES = select(Stage).where(  # read by nearly every request: built once
    Stage.pipeline_id == select(func.min(Pipeline.id)).where(
        Pipeline.team_id == bindparam("team"), Pipeline.kind == bindparam("kind"))
    .scalar_subquery(),
    Stage.archived.is_(False)).order_by(Stage.position)


def stages_of(session: Session, *, team: str,
              kind: PipelineKind = PipelineKind.DEAL) -> list[Stage]:
    """The stages of the team's pipeline (or funnel), in order; one statement, read once per
    transaction. A team that has no workspace yet reads as the default stages, unsaved:
    change stages only after `ensure_workspace`."""
    stages = remembered(session, ("stages", team, kind), lambda: list(session.scalars(
        STAGES, {"team": team, "kind": kind})) or None)
    return list(stages) if stages else default_stages(kind)


def stage_views(session: Session, *, team: str,
                kind: PipelineKind = PipelineKind.DEAL) -> list[StageView]:
    return [stage_view(s) for s in stages_of(session, team=team, kind=kind)]


def find_stage(session: Session, *, team: str, name: str,
               kind: PipelineKind = PipelineKind.DEAL) -> Stage:
    """The stage named `name`, or the only one that starts with it (case-insensitive)."""
    wanted = name.strip().casefold()
    stages = stages_of(session, team=team, kind=kind)
    exact = [s for s in stages if s.name.casefold() == wanted]
    matches = exact or [s for s in stages if wanted and s.name.casefold().startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(f"`{s.name}`" for s in stages)
    if not matches:
        raise NotFound(f"There is no stage called `{name}`. The stages are {names}.")
    found = ", ".join(f"`{s.name}`" for s in matches)
    raise UsageError(f"`{name}` could be {found}. Type more of the stage name.")


def _require_workspace(session: Session, team: str, kind: PipelineKind) -> None:
    """Stage changes need the stored stages, not the defaults an unknown team reads as."""
    pipeline_of(session, team=team, kind=kind)  # LookupError: call ensure_workspace first


def _check_name(session: Session, team: str, kind: PipelineKind, name: str,
                exclude: int | None = None) -> str:
    name = text_fields.STAGE_NAME.required(name, "A stage needs a name.")
    for stage in stages_of(session, team=team, kind=kind):
        if stage.id != exclude and stage.name.casefold() == name.casefold():
            raise RuleViolation(f"There is already a stage called `{stage.name}`.")
    return name


def rename_stage(session: Session, *, team: str, stage: str, new_name: str,
                 kind: PipelineKind = PipelineKind.DEAL) -> StageView:
    _require_workspace(session, team, kind)
    target = find_stage(session, team=team, name=stage, kind=kind)
    target.name = _check_name(session, team, kind, new_name, exclude=target.id)
    return stage_view(target)


def set_stage_probability(session: Session, *, team: str, stage: str, probability: int,
                          kind: PipelineKind = PipelineKind.DEAL) -> StageView:
    _require_workspace(session, team, kind)
    target = find_stage(session, team=team, name=stage, kind=kind)
    if target.kind != StageKind.OPEN:
        raise RuleViolation(f"`{target.name}` is a closing stage; its weight is fixed.")
    target.probability = probability
    return stage_view(target)


def set_stage_rotting(session: Session, *, team: str, stage: str, days: int | None,
                      kind: PipelineKind = PipelineKind.DEAL) -> StageView:
    _require_workspace(session, team, kind)
    target = find_stage(session, team=team, name=stage, kind=kind)
    if days is not None and not 1 <= days <= 365:
        raise UsageError("A rotting limit is a number of days from 1 to 365.")
    target.rotting_days = days
    return stage_view(target)


def add_stage(session: Session, *, team: str, name: str, after: str | None = None,
              probability: int | None = None, kind: PipelineKind = PipelineKind.DEAL) -> StageView:
    """Adds an open stage after `after`. By default it goes after the last open stage of the
    pipeline, and before Conversion in the funnel (Conversion stays last: a won deal's lead
    enters it)."""
    _require_workspace(session, team, kind)
    stages = stages_of(session, team=team, kind=kind)
    open_stages = [s for s in stages if s.kind == StageKind.OPEN]
    if len(stages) >= 20:
        raise RuleViolation("A pipeline can have at most 20 stages.")
    default = open_stages[-1] if kind == PipelineKind.DEAL else open_stages[-2]
    anchor = find_stage(session, team=team, name=after, kind=kind) if after else default
    if anchor.kind != StageKind.OPEN:
        raise RuleViolation("New stages go among the open stages, before the closing ones.")
    clean = _check_name(session, team, kind, name)
    for stage in stages:
        if stage.position > anchor.position:
            stage.position += 1
    weight = anchor.probability if probability is None else probability
    new = Stage(pipeline_id=anchor.pipeline_id, name=clean, position=anchor.position + 1,
                kind=StageKind.OPEN, probability=weight)
    session.add(new)
    session.flush()
    forget(session, ("stages", team, kind))
    return stage_view(new)


def move_stage(session: Session, *, team: str, stage: str, after: str | None,
               kind: PipelineKind = PipelineKind.DEAL) -> StageView:
    """Puts an open stage right after another open stage, or first when `after` is None."""
    _require_workspace(session, team, kind)
    stages = stages_of(session, team=team, kind=kind)
    target = find_stage(session, team=team, name=stage, kind=kind)
    anchor = find_stage(session, team=team, name=after, kind=kind) if after else None
    if target.kind != StageKind.OPEN or (anchor is not None and anchor.kind != StageKind.OPEN):
        raise RuleViolation("Only open stages can be reordered; closing stages stay last.")
    order = [s for s in stages if s.id != target.id]
    index = order.index(anchor) + 1 if anchor is not None else 0
    order.insert(index, target)
    for position, item in enumerate(order):
        item.position = position
    session.flush()
    forget(session, ("stages", team, kind))
    return stage_view(target)



def commit_stage(session: Session, *, team: str) -> Stage:
    """The forecast's commit stage: the one an admin set while it is an open stage of the
    pipeline, else the last open stage."""
    open_stages = [s for s in stages_of(session, team=team) if s.kind == StageKind.OPEN]
    workspace = find_workspace(session, team=team)
    chosen = workspace.commit_stage_id if workspace is not None else None
    return next((s for s in open_stages if chosen is not None and s.id == chosen),
                open_stages[-1])


def set_commit_stage(session: Session, *, team: str, stage: str) -> StageView:
    """Makes `stage` (an open stage) the forecast's commit stage."""
    _require_workspace(session, team, PipelineKind.DEAL)
    target = find_stage(session, team=team, name=stage)
    if target.kind != StageKind.OPEN:
        raise RuleViolation(f"`{target.name}` is a closing stage; the commit stage is one of "
                            "the open stages.")
    workspace = find_workspace(session, team=team)
    assert workspace is not None  # a pipeline of its own means a workspace
    workspace.commit_stage_id = target.id
    return stage_view(target)
