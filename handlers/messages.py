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

LEAD_USAGE: dict[str, str] = {
    "add": "`/lead add <name> [(<company>)] [source:<source>] [stage:<stage>] [owner:@user] "
           "[contact:<email or phone>] [#tag ...]` — for example "
           "`/lead add Jane Roe (Globex) source:webinar #q4`",
    "move": "`/lead move <lead> [to] <stage>` — for example `/lead move Jane interest`",
    "convert": "`/lead convert <lead> [<amount>] [stage:<stage>] [owner:@user]` — for example "
               "`/lead convert Jane 20k stage:meeting`",
    "drop": "`/lead drop <lead> [reason: <text>]` — for example "
            "`/lead drop Jane reason: no budget this year`",
    "show": "`/lead show <lead>` — for example `/lead show Jane` or `/lead show #3`",
    "list": "`/lead list [<stage>] [mine | @user] [#tag] [source:<source>]` — for example "
            "`/lead list interest mine source:webinar`",
    "note": "`/lead note <lead> <text>` — for example `/lead note Jane asked for a demo`",
    "history": "`/lead history <lead>` — for example `/lead history #3`",
}

LEAD_HELP_LINES: tuple[str, ...] = (
    "*Dealbot — your lead funnel in Slack.* A lead is named by `#id` or a part of its name; "
    "a stage by its name or the start of it. Funnel: Awareness → Interest → Consideration → "
    "Engagement → Conversion (Dropped outside the order).",
    "*Add and move*\n" + "\n".join(f"• {LEAD_USAGE[k]}" for k in ("add", "move", "drop", "note")),
    "*Into the pipeline*\n• " + LEAD_USAGE["convert"] + "\nConverting creates a deal and puts "
    "the lead in Engagement; the lead enters Conversion when that deal is won.",
    "*Look*\n" + "\n".join(f"• {LEAD_USAGE[k]}" for k in ("show", "list", "history")),
    "Marketing spend (admins): `/funnel spend <amount> [source:<source>] [week:<date>]`.",
)

FUNNEL_SPEND_USAGE = ("`/funnel spend <amount> [source:<source>] [week:<date or 2026-W47>]` — "
                      "for example `/funnel spend 2.5k source:webinar week:2026-11-16`")
SPEND_RECORDED = "Recorded {amount} of marketing spend{source} for the week {week} (from {monday})."
SPEND_REPLACED = " It replaces the {old} recorded before: a correction never adds up twice."
STALE_LEAD_CLICK = ("This card was out of date: lead #{id} had changed since it was drawn, so "
                    "nothing was changed. Here it is as it is now.")

EXPORT_COMMENT = ("Your {count} {kind}, in the columns `dealbot import {kind}` reads, so the "
                  "file can go into a spreadsheet and come back.")
EXPORT_SENT = "I sent you the {count} {kind} as a CSV file in a direct message."
