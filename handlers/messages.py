"""The words users read: usage forms with examples, help, and confirmations."""

from __future__ import annotations

from storage.errors import (
    ClosedDeal,
    ConversionByHand,
    ConvertedMeanwhile,
    DealbotError,
    DroppedLead,
    FollowsItsDeal,
    NoSubscription,
    NoSuchRecord,
    StageGone,
)
from storage.kinds import DigestKind, PipelineKind

DEAL_USAGE: dict[str, str] = {
    "new": "`/deal new <name> [<amount>] [stage:<stage>] [close:<date>] [owner:@user] [#tag ...]`"
           " — for example `/deal new Acme Corp 50k stage:meeting close:friday #q4`",
    "move": "`/deal move <deal> [to] <stage>` — for example `/deal move Acme proposal`",
    "won": "`/deal won <deal>` — for example `/deal won #12`",
    "lost": "`/deal lost <deal> [reason: <text>]` — for example "
            "`/deal lost Acme reason: chose a competitor`",
    "reopen": "`/deal reopen <deal> [<stage>]` — for example `/deal reopen #12 negotiation`",
    "show": "`/deal show <deal>` — for example `/deal show #12` or `/deal show acme`",
    "list": "`/deal list [<stage>] [stale | overdue | closing | open | won | lost | all] "
            "[mine | @user] [#tag] [company:<name>]` — for example `/deal list overdue mine`; "
            "*Next* and *Previous* turn the pages",
    "assign": "`/deal assign <deal> @user` — for example `/deal assign Acme @ann`",
    "value": "`/deal value <deal> <amount>` — for example `/deal value Acme 75k`",
    "close": "`/deal close <deal> <date>` — for example `/deal close Acme end of month`",
    "probability": "`/deal probability <deal> <percent> | stage` — for example "
                   "`/deal probability Acme 35` (or `stage` to use the stage's weight again)",
    "note": "`/deal note <deal> <text>` — for example "
            "`/deal note Acme called Jane, demo went well`",
    "next": "`/deal next <deal> <text> [due:<date>]` — for example "
            "`/deal next Acme send the proposal due:friday`",
    "history": "`/deal history <deal>` — for example `/deal history #12`",
    "undo": "`/deal undo` — takes back your latest change to a deal (within 15 minutes, when "
            "nobody changed it since); the *Undo* button under a change does the same",
    "stages": "`/deal stages` shows the stages. Admins: `/deal stages rename <stage> <new name>`, "
              "`/deal stages add <name> [after:<stage>] [<percent>]`, "
              "`/deal stages move <stage> after:<stage>|first`, "
              "`/deal stages weight <stage> <percent>`, `/deal stages rotting <stage> <days>`, "
              "`/deal stages commit <stage>` (the forecast's commit stage)",
}

NUDGES_USAGE = ("`/deal nudges [on | off | at HH:MM | weekdays | daily]` — for example "
                "`/deal nudges at 08:30 daily` or `/deal nudges off`")
NUDGES_ON = ("Your nudges are on: a direct message {days} at {at} ({zone}, {whose}) when "
             "some of your deals or leads need you — stale, past their expected close, or "
             "with a next action due. Nothing needs you, no message.")
NUDGES_OFF = "Your nudges are off: I will not send you a daily direct message."
NUDGES_NOW = "Right now {count} {things} you."
GIVEN_DEAL = "{actor} gave you this deal."
GIVEN_LEAD = "{actor} gave you this lead."
NOT_A_NUDGE = "This button is not one I drew. `/deal nudges` shows what needs you now."
NUDGE_LOGGED = ":memo: Logged a note on {subject}."
NUDGE_ALL_DONE = "Nothing needs you right now."

DEAL_HELP_LINES: tuple[str, ...] = (
    "*Dealbot — your deal pipeline in Slack.* A deal is named by `#id` or a part of its name; "
    "a stage by its name or the start of it.",
    "*Create and move*\n" + "\n".join(
        f"• {DEAL_USAGE[k]}" for k in ("new", "move", "won", "lost", "reopen")),
    "*Change*\n" + "\n".join(
        f"• {DEAL_USAGE[k]}" for k in ("assign", "value", "close", "probability", "note", "next")),
    "*Look*\n" + "\n".join(f"• {DEAL_USAGE[k]}" for k in ("show", "list", "history", "stages")),
    "*Take back*\n• " + DEAL_USAGE["undo"],
    "*Your nudges* — a daily direct message about your deals and leads that need you: "
    + NUDGES_USAGE + ".",
    "*Settings* — `/deal settings` shows the workspace's currency, time zone and stale limit; "
    "admins change them: `/deal settings currency NOK`, `/deal settings timezone Europe/Oslo`, "
    "`/deal settings stale 21`.",
    "Amounts: `50000`, `50k`, `1.2m`, `$50,000`. Dates: `2026-12-01`, `today`, `friday`, "
    "`next week`, `in 2 weeks`, `end of month`. Reports: `/pipeline`, `/funnel`.",
)

UNKNOWN_SUBCOMMAND = "`/{command} {word}` is not something I know."
MISSING = "Something is missing here."
INTERNAL_ERROR = ("Something went wrong on our side and nothing was changed. "
                  "Please try again; if it keeps happening, tell your Slack admin.")
BUSY = "Dealbot is busy, so nothing was changed. Try again in a moment."
SLACK_NOT_ANSWERING = ("Slack did not answer in time, so nothing was changed. "
                       "Try again in a moment.")
NOT_ADMIN = ("Only workspace admins and owners, and the people the app's configuration names "
             "in DEALBOT_ADMINS, can change {what}. Ask one of them.")

LEAD_USAGE: dict[str, str] = {
    "add": "`/lead add <name> [(<company>)] [source:<source>] [stage:<stage>] [owner:@user] "
           "[contact:<email or phone>] [#tag ...]` — for example "
           "`/lead add Jane Roe (Globex) source:webinar #q4`",
    "move": "`/lead move <lead> [to] <stage>` — for example `/lead move Jane interest`",
    "convert": "`/lead convert <lead> [<amount>] [stage:<stage>] [owner:@user]` — for example "
               "`/lead convert Jane 20k stage:meeting`; without an amount a form asks for it",
    "drop": "`/lead drop <lead> [reason: <text>]` — for example "
            "`/lead drop Jane reason: no budget this year`; on a dropped lead it changes the "
            "reason",
    "show": "`/lead show <lead>` — for example `/lead show Jane` or `/lead show #3`",
    "list": "`/lead list [<stage>] [stale | all] [mine | @user] [#tag] [source:<source>] "
            "[company:<name>]` — for example `/lead list interest mine source:webinar`, "
            "`/lead list company:Globex` or `/lead list stale` (no contact within the stale "
            "limit); *Next* and *Previous* turn the pages",
    "note": "`/lead note <lead> <text>` — logs a contact (the lead's last contact becomes now); "
            "for example `/lead note Jane asked for a demo`",
    "next": "`/lead next <lead> <text> [due:<date>]` — for example "
            "`/lead next Jane send the case study due:friday`",
    "assign": "`/lead assign <lead> @user` — for example `/lead assign Jane @ann`",
    "tag": "`/lead tag <lead> #tag [#tag ...]` — for example `/lead tag Jane #emea #q4`",
    "untag": "`/lead untag <lead> #tag [#tag ...]` — for example `/lead untag Jane #q4`",
    "history": "`/lead history <lead>` — for example `/lead history #3`",
    "undo": "`/lead undo` — takes back your latest change to a lead (within 15 minutes, when "
            "nobody changed it since); undoing a conversion removes its deal",
}

LEAD_HELP_LINES: tuple[str, ...] = (
    "*Dealbot — your lead funnel in Slack.* A lead is named by `#id` or a part of its name; "
    "a stage by its name or the start of it. Funnel: Awareness → Interest → Consideration → "
    "Engagement → Conversion (Dropped outside the order).",
    "*Add and move*\n" + "\n".join(f"• {LEAD_USAGE[k]}" for k in ("add", "move", "drop")),
    "*Act on it*\n" + "\n".join(f"• {LEAD_USAGE[k]}"
                                  for k in ("note", "next", "assign", "tag", "untag"))
    + "\nThe card's **Edit** corrects every field: name, company, contact, source, owner, "
    "tags and next action.",
    "*Into the pipeline*\n• " + LEAD_USAGE["convert"] + "\nConverting creates a deal and puts "
    "the lead in Engagement; the lead enters Conversion when that deal is won.",
    "*Look*\n" + "\n".join(f"• {LEAD_USAGE[k]}" for k in ("show", "list", "history")),
    "*Take back*\n• " + LEAD_USAGE["undo"],
    "Marketing spend (admins): `/funnel spend <amount> [source:<source>] [week:<date>]`.",
)

LIST_WORDS = {
    "deal": "`stale`, `overdue`, `closing` (within 7 days), `open`, `won`, `lost`, `all`, "
            "`mine`, an @-mention, a #tag or `company:<name>`",
    "lead": "`stale`, `open`, `all`, `mine`, an @-mention, a #tag, `source:<source>` or "
            "`company:<name>`",
}
LIST_UNKNOWN = "{error} Besides a stage, `/{kind} list` understands {words}."
NOT_OUR_LIST = ("This button does not belong to a list Dealbot drew. Type `/deal list` or "
                "`/lead list` again.")

FUNNEL_SPEND_USAGE = ("`/funnel spend <amount> [source:<source>] [week:<date or 2026-W47>]` — "
                      "for example `/funnel spend 2.5k source:webinar week:2026-11-16`")
SPEND_RECORDED = "Recorded {amount} of marketing spend{source} for the week {week} (from {monday})."
SPEND_REPLACED = " It replaces the {old} recorded before: a correction never adds up twice."
NO_VALUE = "What is the deal worth? Write its value, or 0 when it has none yet."
CONVERT_VALUE_HINT = ("What the deal is worth, for example 20k, 50000 or $1.2m; 0 when it has "
                      "no value yet")
STALE_LEAD_FORM = ("This lead changed while the form was open, so nothing was saved. Cancel, "
                   "and edit it again from its card, which now shows it as it is.")
STALE_LEAD_CLICK = ("This card was out of date: lead #{id} had changed since it was drawn, so "
                    "nothing was changed. Here it is as it is now.")

EXPORT_COMMENT = ("Your {records}, in the columns `dealbot import {kind}` reads, so the "
                  "file can go into a spreadsheet and come back.")
EXPORT_SENT = "I sent you the {records} as a CSV file in a direct message."

STALE_DEAL_CLICK = ("This card was out of date, so nothing was changed: {what}. The card now "
                    "shows deal #{id} as it is.")
FOREIGN_CARD = "This card belongs to another workspace, so nothing was changed."
NOT_A_DEAL_CARD = "This button is not one I drew. Show the deal again with `/deal show`."
NOT_AN_UNDO_BUTTON = "This Undo button is not one I drew, so nothing was undone."
NOT_A_LEAD_CARD = "This button is not one I drew. Show the lead again with `/lead show`."
STALE_FORM = ("This deal changed while the form was open, so nothing was saved. Cancel, "
              "and look at the card again.")
SETTING_USAGE: dict[str, str] = {
    "currency": "`/deal settings currency <ISO 4217 code>` — for example "
                "`/deal settings currency NOK` (or EUR, SEK, USD)",
    "timezone": "`/deal settings timezone <Area/City>` — for example "
                "`/deal settings timezone Europe/Oslo`",
    "stale": "`/deal settings stale <days>` (1 to 365) — for example `/deal settings stale 21`",
    "channel": "`/deal settings channel #channel|off` posts every stage change, win and loss "
               "there — for example `/deal settings channel #sales-wins`",
    "celebrate": "`/deal settings celebrate on|off` — whether a win is celebrated in the "
                 "activity channel (who won it, its value, the days it took) or told as a "
                 "plain move — for example `/deal settings celebrate off`",
}
SETTINGS_USAGE = "`/deal settings` shows them. Admins:\n" + "\n".join(
    f"• {usage}" for usage in SETTING_USAGE.values())
CURRENCY_SET = ("Amounts are now shown in {new} instead of {old}. Nothing was converted: the "
                "numbers stay as they were and only their label changed, so {before} now reads "
                "{after}.")
CURRENCY_SAME = "Amounts are already in {currency}; nothing changed."
TIMEZONE_SET = ("The team's time zone is now {new} (it was {old}). Today is {today} there: "
                "dates like `today` and `friday`, the weeks of `/funnel`, due and overdue "
                "dates and the pipeline's \"as of\" follow it, and new digests default to it.")
TIMEZONE_SAME = "The team's time zone is already {zone}; nothing changed."
DIGESTS_KEEP_ZONE = ("{count} existing {digests} {keep} {their} own time zone. To move one to "
                     "{zone}, subscribe its channel again with `tz:{zone}`:")
STALE_SET = ("Deals now go stale after {days} without activity (it was {old}). "
             "`/pipeline` and the digests list stale deals by this limit.")
STALE_OWN_LIMITS = ("Stages with a limit of their own keep it: {stages} "
                    "(`/deal stages rotting` changes one).")
STALE_SAME = "Deals already go stale after {days}; nothing changed."
ACTIVITY_CHANNEL_SET = ("From now on every stage change, win and loss is posted in <#{channel}>.")
CELEBRATE_ON = ("Wins are celebrated in the activity channel: who won the deal, its value and "
                "the days from its creation to the win.")
CELEBRATE_OFF = ("Wins are no longer celebrated: the activity channel tells them as a plain "
                 "move to the won stage.")
ACTIVITY_CHANNEL_OFF = "Stage changes, wins and losses are no longer posted in a channel."
ACTIVITY_CHANNEL_PRIVATE = (" I could not join it by myself: type `/invite @Dealbot` there so "
                            "that I can post.")

# The Add to deal and Add to lead message shortcuts.
CAPTURE_INTRO = {
    "deal": ("Log this message as a note on a deal: pick the deal (type a part of its name "
             "or its number), and edit the note if you like. Saving it sets the deal's last "
             "contact to now and keeps a link to the message."),
    "lead": ("Log this message as a note on a lead: pick the lead (type a part of its name "
             "or its number), and edit the note if you like. Saving it keeps a link to the "
             "message."),
}
CAPTURE_NO_TEXT = ("This message has no text I can copy (a file, or a message from another "
                   "app): write the note yourself.")
CAPTURE_SHORTENED = ("The message has {length:,} characters; the note holds the first "
                     "{limit:,}.")
CAPTURE_PICK = "Pick the {kind} to log this message on."
CAPTURE_SAVED = "Logged on {kind} #{number}. Only you see this."
# why chat.getPermalink gave no link: the note is saved without one
NO_LINK = {
    "channel_not_found": "I am not in that conversation, so I cannot link to the message.",
    "message_not_found": "the message is gone, so there is no link to it.",
    "not_in_channel": "I am not in that conversation, so I cannot link to the message.",
}
NO_LINK_OTHER = "Slack did not give me a link to the message ({error})."
NO_LINK_SAVED = "The note was saved without a link: {why}"

# Reports and digests.
DIGEST_PAUSED = ("I could not post the {kind} digest in <#{channel}>: {why} I paused that "
                 "digest. To start it again, invite me to the channel and run "
                 "`/{kind} subscribe` there.")
CHANNEL_PROBLEMS = {
    "channel_not_found": "the channel is gone, or it is private and I am not in it.",
    "is_archived": "the channel is archived.",
    "not_in_channel": "I am not in the channel and cannot join it by myself (private channels "
                      "need an invitation: `/invite @Dealbot`).",
    "method_not_supported_for_channel_type": "I cannot join that kind of channel by myself.",
    "restricted_action": "posting there is restricted to some members.",
}
DIGEST_NAMES = {DigestKind.PIPELINE: "the daily pipeline summary",
                DigestKind.FUNNEL: "the weekly funnel report"}
SUBSCRIBE_USAGE = {
    DigestKind.PIPELINE:
        "`/pipeline subscribe [#channel] [daily|weekdays] [at HH:MM] [tz:Area/City]` — "
        "for example `/pipeline subscribe #sales weekdays at 8:30 tz:Europe/Oslo`",
    DigestKind.FUNNEL:
        "`/funnel subscribe [#channel] [<weekday>] [at HH:MM] [tz:Area/City]` — "
        "for example `/funnel subscribe #leadership monday at 9:00`",
}
SUBSCRIBED = ("<#{channel}> gets {what} {when}. The first one arrives {first} "
              "({local} {zone}).")
UNSUBSCRIBED = "<#{channel}> no longer gets {what}."
FORECAST_USAGE = ("`/pipeline forecast [month | quarter] [mine]` — for example "
                  "`/pipeline forecast quarter` or `/pipeline forecast mine`")
FORECAST_WORD = "{word} is not something `/pipeline forecast` knows."
TARGET_USAGE = ("`/pipeline target <amount> [monthly | quarterly] [@user]` (admins; `off` in "
                "place of the amount removes it) — for example `/pipeline target 100k` or "
                "`/pipeline target 25k quarterly @ann`")
TARGET_ONE_PERSON = "A target is the team's or one person's: name one person at most."
TARGET_ONE_PERIOD = "A target is monthly or quarterly: give one of the two."
TARGET_AMOUNT = "How much should be won? Give the amount, or `off` to remove the target."
TARGET_SET = "Set {target}. `/pipeline forecast` shows how it is going."
TARGET_REPLACED = " It replaces {old}."
TARGET_REMOVED = "Removed {target}."
NO_TARGETS = "No targets yet."
COMMIT_STAGE_SET = ("*{stage}* is now the commit stage: a forecast's commit counts the deals "
                    "in it and in the stages after it.")
PIPELINE_HELP_LINES: tuple[str, ...] = (
    "*`/pipeline`* — the pipeline summary now: deals and value per stage, what changed in the "
    "last 24 hours, the deals that need attention, and how each team target is going. "
    "*Share in channel* posts it for everyone.",
    "*Forecast*\n• " + FORECAST_USAGE + " — this and the next two months (or quarters): won "
    "so far, open deals by expected close, weighted, commit, best case, target and attainment; "
    "the deals with no close date; what the leads promise; the sales velocity.",
    "*Targets*\n• " + TARGET_USAGE + "\n• `/pipeline target` lists them",
    "*Daily digest* (admins)\n• " + SUBSCRIBE_USAGE[DigestKind.PIPELINE] +
    "\n• `/pipeline unsubscribe [#channel]`\n• `/pipeline subscriptions` lists every digest",
)
FUNNEL_HELP_LINES: tuple[str, ...] = (
    "*`/funnel [this week | last week | 2026-W47]`* — the funnel conversion report for a week: "
    "leads entering each stage, conversion rates, cohort, sources, deals won, spend and CAC.",
    "*`/funnel chart [this week | last week | 2026-W47]`* — the same week as a picture, in a "
    "direct message to you: the funnel against the week before, with eight weeks of overall "
    "conversion.",
    "*Weekly digest* (admins)\n• " + SUBSCRIBE_USAGE[DigestKind.FUNNEL] +
    "\n• `/funnel unsubscribe [#channel]`\n• `/pipeline subscriptions` lists every digest",
    "Marketing spend (admins): " + FUNNEL_SPEND_USAGE,
)
FUNNEL_USAGE = ("`/funnel [this week | last week | <week like 2026-W47>] [#tag]` — for "
                "example `/funnel last week`, or `/funnel last week #enterprise` for the new "
                "leads by source of the leads tagged `#enterprise` (a group of companies)")
FUNNEL_CHART_USAGE = ("`/funnel chart [this week | last week | <week like 2026-W47>]` — for "
                      "example `/funnel chart last week`")
FUNNEL_CHART_COMMENT = "The lead funnel of week {week}, as `/funnel {week}` reports it."
FUNNEL_CHART_SENT = "I sent you the funnel chart of week {week} in a direct message."
FUNNEL_CHART_FAILED = ("Slack did not take the funnel chart of week {week} ({problem}). "
                       "`/funnel {week}` shows the same figures; try the chart again later.")


def error_text(error: DealbotError) -> str:
    """What the user reads for a domain error: storage's plain words, plus the command that
    helps where there is one."""
    match error:
        case NoSuchRecord(kind=kind):
            return f"{error.message} `/{kind} list` shows them."
        case StageGone(kind=PipelineKind.DEAL):
            return f"{error.message} `/deal stages` shows them."
        case StageGone():
            return f"{error.message} `/lead help` shows how to move."
        case ClosedDeal(number=number):
            return f"{error.message} To work on it again, reopen it: `/deal reopen #{number}`."
        case DroppedLead(number=number):
            return (f"{error.message} Bring it back first, for example "
                    f"`/lead move #{number} engagement`.")
        case ConvertedMeanwhile():
            return f"{error.message} `/lead show` shows it."
        case FollowsItsDeal(deal_number=deal_number):
            return f"{error.message} Work on the deal instead: `/deal show #{deal_number}`."
        case ConversionByHand():
            return f"{error.message} Convert it with `/lead convert`, then win the deal."
        case NoSubscription(kind=kind):
            return f"{error.message} `/{kind} subscriptions` lists them."
    return error.message
NO_SPEND_RECORDED = "no spend recorded"  # for a week's CAC, overall or by source
