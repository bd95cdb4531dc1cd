"""The words users read: usage forms with examples, help, and confirmations."""

from __future__ import annotations

DEAL_USAGE: dict[str, str] = {
    "new": "`/deal new <name> [<amount>] [stage:<stage>] [close:<date>] [owner:@user] [#tag ...]`"
           " — for example `/deal new Acme Corp 50k stage:meeting close:friday #q4`",
    "move": "`/deal move <deal> [to] <stage>` — for example `/deal move Acme proposal`",
    "won": "`/deal won <deal>` — for example `/deal won #12`",
    "lost": "`/deal lost <deal> [reason: <text>]` — for example "
            "`/deal lost Acme reason: chose a competitor`",
    "reopen": "`/deal reopen <deal> [<stage>]` — for example `/deal reopen #12 negotiation`",
    "show": "`/deal show <deal>` — for example `/deal show #12` or `/deal show acme`",
    "list": "`/deal list [<stage>] [mine | @user] [#tag]` — for example `/deal list proposal mine`",
    "assign": "`/deal assign <deal> @user` — for example `/deal assign Acme @ann`",
    "value": "`/deal value <deal> <amount>` — for example `/deal value Acme 75k`",
    "close": "`/deal close <deal> <date>` — for example `/deal close Acme end of month`",
    "probability": "`/deal probability <deal> <percent> | stage` — for example "
                   "`/deal probability Acme 35` (or `stage` to use the stage's weight again)",
    "note": "`/deal note <deal> <text>` — for example `/deal note Acme called Jane, demo went well`",
    "next": "`/deal next <deal> <text> [due:<date>]` — for example "
            "`/deal next Acme send the proposal due:friday`",
    "history": "`/deal history <deal>` — for example `/deal history #12`",
    "stages": "`/deal stages` shows the stages. Admins: `/deal stages rename <stage> <new name>`, "
              "`/deal stages add <name> [after:<stage>] [<percent>]`, "
              "`/deal stages move <stage> after:<stage>|first`, "
              "`/deal stages weight <stage> <percent>`, `/deal stages rotting <stage> <days>`",
}

DEAL_HELP_LINES: tuple[str, ...] = (
    "*Dealbot — your deal pipeline in Slack.* A deal is named by `#id` or a part of its name; "
    "a stage by its name or the start of it.",
    "*Create and move*\n" + "\n".join(f"• {DEAL_USAGE[k]}" for k in ("new", "move", "won", "lost", "reopen")),
    "*Change*\n" + "\n".join(f"• {DEAL_USAGE[k]}" for k in ("assign", "value", "close", "probability", "note", "next")),
    "*Look*\n" + "\n".join(f"• {DEAL_USAGE[k]}" for k in ("show", "list", "history", "stages")),
    "Amounts: `50000`, `50k`, `1.2m`, `$50,000`. Dates: `2026-12-01`, `today`, `friday`, "
    "`next week`, `in 2 weeks`, `end of month`. Reports: `/pipeline`, `/funnel`.",
)

UNKNOWN_SUBCOMMAND = "`/{command} {word}` is not something I know."
MISSING = "Something is missing here."
INTERNAL_ERROR = ("Something went wrong on our side and nothing was changed. "
                  "Please try again; if it keeps happening, tell your Slack admin.")
NOT_ADMIN = "Only workspace admins can change {what}. Ask an admin, or see `/deal stages`."
