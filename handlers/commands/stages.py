"""`/deal stages`: show the pipeline's stages; admins rename, add, reorder, re-weight them."""

from __future__ import annotations

from handlers import grammar, messages
from handlers.blocks.deal_lists import stages_blocks
from handlers.blocks.format import counted, escape
from handlers.commands.common import Call
from handlers.replies import ephemeral
from storage import stages, values
from storage.errors import UsageError
from storage.workspaces import ensure_workspace

USAGE = messages.DEAL_USAGE["stages"]


def deal_stages(call: Call, rest: str) -> None:
    word, args = grammar.split_command(rest)
    if word:
        call.require_admin("the pipeline's stages")
    with call.deps.db.transaction() as s:
        note = None
        if word:
            ensure_workspace(s, team=call.team, now=call.now)
            note = _change(s, call.team, word, args)
        listed = stages.stage_views(s, team=call.team)
    ephemeral(call.respond, stages_blocks(listed, note=note), "The pipeline's stages")


def _change(session, team: str, word: str, args: str) -> str:
    args, options = grammar.extract_options(args, {"after"})
    args, after = values.as_typed(args), values.as_typed(options.get("after") or "")
    words = args.split()
    if word == "rename" and len(words) >= 2:
        view = stages.rename_stage(session, team=team, stage=words[0], new_name=" ".join(words[1:]))
        return f"Renamed to *{escape(view.name)}*. Deals and history in it kept their place."
    if word == "add" and words:
        given = len(words) > 1 and _is_number(words[-1])
        percent = values.parse_percent(words[-1]) if given else None
        name = " ".join(words[:-1] if percent is not None else words)
        view = stages.add_stage(session, team=team, name=name, after=after or None,
                                probability=percent)
        return f"Added *{escape(view.name)}* ({view.probability}%)."
    if word == "move" and len(words) == 1 and after:
        view = stages.move_stage(session, team=team, stage=words[0],
                                 after=None if after.lower() == "first" else after)
        return f"Moved *{escape(view.name)}*."
    if word in ("weight", "probability") and len(words) == 2:
        view = stages.set_stage_probability(session, team=team, stage=words[0],
                                            probability=values.parse_percent(words[1]))
        return f"*{escape(view.name)}* now weighs {view.probability}%."
    if word == "commit" and len(words) == 1:
        view = stages.set_commit_stage(session, team=team, stage=words[0])
        return messages.COMMIT_STAGE_SET.format(stage=escape(view.name))
    if word == "rotting" and len(words) == 2 and words[1].isdigit():
        days = int(words[1])
        view = stages.set_stage_rotting(session, team=team, stage=words[0], days=days)
        return (f"Deals in *{escape(view.name)}* go stale after {counted(days, 'day')} "
                "without activity.")
    raise UsageError(f"I could not read `/deal stages {word} {args}`.", usage=USAGE)


def _is_number(word: str) -> bool:
    return word.rstrip("%").isdigit()
