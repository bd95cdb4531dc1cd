"""The console: scripted sessions through stdin drive the real app and print a transcript."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.console import run_console
from bot.console.mrkdwn import Style, to_text, wrap
from bot.console.people import LocalUsers
from bot.slack_standin.identity import LOCAL_TEAM
from handlers.digests import Digest

ROOT = Path(__file__).parents[2]


def session(db, clock, script: str, **options) -> str:
    """The transcript of a console session typed as `script`."""
    out = io.StringIO()
    status = run_console(Settings(database_url=db.url), db, stdin=io.StringIO(script), out=out,
                         clock=clock, color=False, **options)
    assert status == 0, out.getvalue()
    return out.getvalue()


def after(transcript: str, typed: str) -> str:
    """What the console drew after the line `typed` was echoed (up to the next prompt)."""
    part = transcript.split(f"> {typed}\n", 1)[1]
    return re.split(r"\n\w+> ", part, maxsplit=1)[0]


def test_a_slash_command_runs_in_the_app_and_its_card_is_drawn_with_numbered_buttons(db, clock):
    transcript = session(db, clock, "/deal new Acme Corp 50k owner:@bob #q4\n")
    card = after(transcript, "/deal new Acme Corp 50k owner:@bob #q4")
    assert "in #sales · message 1" in card
    assert "#1 Acme Corp" in card and "@bob" in card and "$50,000" in card
    assert "[1] → Qualification" in card
    assert "@ann created this in Prospecting" in card


def test_a_bad_line_gets_the_same_answer_the_slack_user_would_see(db, clock, driver):
    transcript = session(db, clock, "/deal new Acme 50k\n/deal move acme nowhere\n")
    answer = after(transcript, "/deal move acme nowhere")
    assert "only visible to you" in answer
    slack_reply = driver.one("move acme nowhere", team=LOCAL_TEAM)
    expected = to_text(slack_reply.blocks[0]["text"]["text"], Style())
    assert " ".join(expected.split()) in " ".join(answer.split())


def test_a_line_that_is_neither_command_nor_number_is_answered_with_a_hint(db, clock):
    transcript = session(db, clock, "hello\n7\n/nothing here\n")
    assert "Type a slash command like /deal help" in after(transcript, "hello")
    assert "There is no [7] on screen" in after(transcript, "7")
    assert "/nothing is not a valid command" in after(transcript, "/nothing here")


def test_typing_a_number_clicks_the_button_and_the_card_is_updated_in_place(db, clock):
    transcript = session(db, clock, "/lead add Jane Roe (Globex) source:webinar\n1\n")
    click = after(transcript, "1")
    assert "updated message 1" in click
    assert "Interest" in click


def test_a_menu_option_is_clicked_by_its_number(db, clock):
    transcript = session(db, clock, "/lead add Jane Roe (Globex)\n:replay 1\n")
    card = after(transcript, ":replay 1")
    number = re.search(r"\[(\d+)\] Engagement", card).group(1)
    moved = session(db, clock, f"/lead show #1\n{number}\n")
    assert "Engagement" in after(moved, number).split("\n", 2)[1] + after(moved, number)


def test_a_modal_is_asked_field_by_field_and_submitted(db, clock):
    script = "/lead add Jane Roe (Globex)\n:replay 1\n"
    card = after(session(db, clock, script), ":replay 1")
    drop = re.search(r"\[(\d+)\] Drop", card).group(1)
    transcript = session(db, clock, f"/lead show #1\n{drop}\nwent with a competitor\n")
    assert "Modal: Drop lead" in transcript
    assert "Reason (optional): went with a competitor" in transcript
    assert "Dropped" in transcript.split("Reason (optional)")[1]


def test_a_field_the_app_refuses_is_shown_with_its_error_and_asked_again(db, clock):
    card = after(session(db, clock, "/lead add Jane Roe (Globex)\n:replay 1\n"), ":replay 1")
    convert = re.search(r"\[(\d+)\] Convert to deal", card).group(1)
    script = f"/lead show #1\n{convert}\nlots\n2\nbob\n20k\n"
    transcript = session(db, clock, script)
    assert "Value" in transcript and "⚠" in transcript.split("Value: lots")[1]
    assert "Value: 20k" in transcript
    assert "$20,000" in transcript and "@bob" in transcript


def test_a_modal_can_be_cancelled_and_nothing_is_sent(db, clock):
    from storage.leads.queries import show_lead

    card = after(session(db, clock, "/lead add Jane Roe\n:replay 1\n"), ":replay 1")
    drop = re.search(r"\[(\d+)\] Drop", card).group(1)
    transcript = session(db, clock, f"/lead show #1\n{drop}\n:cancel\n")
    assert "Modal: Drop lead" in transcript and "(modal closed, nothing sent)" in transcript
    with db.transaction() as s:
        assert show_lead(s, team=LOCAL_TEAM, number=1).stage.name == "Awareness"


def test_switching_user_changes_who_acts(db, clock):
    transcript = session(db, clock, ":user bob\n/deal new Globex 10k\n:user\n")
    assert "You are @bob" in transcript
    assert "@bob created this" in transcript
    assert "*bob" in after(transcript, ":user")


def test_messages_are_listed_and_replayed_with_fresh_numbers(db, clock):
    transcript = session(db, clock, "/deal new Acme 50k\n/deal list\n:messages\n:replay 1\n")
    listing = after(transcript, ":messages")
    assert "1  #sales" in listing and "2  only you" in listing
    assert "[1] → Qualification" in after(transcript, ":replay 1")


def test_every_line_fits_an_80_column_terminal(db, clock):
    transcript = session(db, clock, "/deal help\n/deal new Acme Corporation International "
                                    "Holdings 1.2m close:friday #q4 #enterprise\n/lead help\n")
    drawn = [line for line in transcript.splitlines() if not line.startswith("ann> ")]
    too_wide = [line for line in drawn if len(line) > 80]
    assert too_wide == []


def test_money_with_non_breaking_spaces_is_drawn_with_plain_ones_and_kept_together(db, clock):
    from storage.workspaces import update_settings

    with db.transaction() as s:
        update_settings(s, team=LOCAL_TEAM, now=clock(), currency="NOK")
    transcript = session(db, clock, "/deal new Fjord 50 000 NOK\n/pipeline\n")
    assert "50 000 kr" in after(transcript, "/deal new Fjord 50 000 NOK")
    assert "\u00a0" not in transcript and "\u202f" not in transcript
    assert wrap("weighted 1\u202f250\u00a0000\u00a0kr", 12) == ["weighted", "1 250 000 kr"]


def test_mrkdwn_reads_as_plain_text_when_piped():
    users = LocalUsers(["ann"])
    style = Style(color=False, name_of=users.name)
    text = "*Bold* <@U0ANN> and <@U9|zed> said &lt;hi&gt; &amp; <https://x.io|docs>"
    assert to_text(text, style) == "Bold @ann and @zed said <hi> & docs (https://x.io)"
    assert "\x1b[1mBold\x1b[0m" in to_text("*Bold*", Style(color=True))


def test_dates_are_shown_in_the_console_zone(clock):
    from zoneinfo import ZoneInfo

    style = Style(zone=ZoneInfo("Europe/Oslo"), now=clock)
    ts = int(clock().timestamp())
    assert to_text(f"<!date^{ts}^{{date_short_pretty}} at {{time}}|fallback>", style) == \
        "today at 13:00"
    assert to_text(f"<!date^{ts - 86400 * 3}^{{date_short}}|x>", style) == "Nov 19, 2026"


def test_typed_mentions_arrive_as_slack_sends_them():
    users = LocalUsers(["ann", "bob"])
    assert users.as_slack_text("move A&B to @bob <x>") == \
        "move A&amp;B to <@U0BOB|bob> &lt;x&gt;"
    assert users.as_slack_text("mail ann@example.com @nobody") == "mail ann@example.com @nobody"


def test_the_cli_console_runs_a_piped_script_with_the_demo(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "NO_COLOR": "1"}
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN"):
        env.pop(name, None)
    script = "/deal list\n/deal show #1\n:quit\n"
    done = subprocess.run([sys.executable, "-m", "bot.cli", "console", "--demo"], input=script,
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Demo team added" in done.stdout
    assert "ann> /deal list" in done.stdout and "deals" in after(done.stdout, "/deal list")
    assert "#1 " in after(done.stdout, "/deal show #1")
    assert "\x1b[" not in done.stdout
    again = subprocess.run([sys.executable, "-m", "bot.cli", "console", "--demo"], input="",
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert again.returncode == 0 and "already in this database" in again.stdout


def test_digest_posts_in_sales_what_the_scheduler_would_post_now(db, clock, tmp_path,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)  # where the pictures of a session on PostgreSQL go
    transcript = session(db, clock, "/deal new Acme 50k\n:digest pipeline\n:digest funnel\n")
    pipeline = after(transcript, ":digest pipeline")
    assert "in #sales · message 2" in pipeline and "only visible to you" not in pipeline
    assert "$50,000" in pipeline and "Share" not in pipeline  # a digest, not /pipeline's answer
    assert "shared a file" not in pipeline
    funnel = after(transcript, ":digest funnel")
    assert "in #sales · message 3" in funnel and "Awareness" in funnel
    shared = re.search(r"Dealbot shared a file: (.+\.png)$", funnel, re.MULTILINE)
    assert shared, funnel
    path = Path(shared.group(1))
    sqlite_file = make_url(db.url).database if db.url.startswith("sqlite") else None
    beside = Path(sqlite_file).resolve().parent if sqlite_file else tmp_path
    assert path.parent == beside and path.name == "dealbot-funnel-2026-W46.png"
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_block_kit_slack_would_refuse_is_drawn_with_a_notice_saying_why(db, clock, monkeypatch):
    header = {"type": "header", "text": {"type": "mrkdwn", "text": "*Pipeline*"}}
    monkeypatch.setattr("bot.console.engine.preview_digest",
                        lambda db, **_: Digest([header], "Pipeline"))
    digest = after(session(db, clock, ":digest pipeline\n"), ":digest pipeline")
    assert "Slack would refuse this" in digest and "header text must be plain_text" in digest
    drawn = digest.split("in #sales · message 1", 1)[1]  # drawn all the same
    assert "Pipeline" in drawn


def test_the_files_the_app_shares_are_named(db, clock):
    transcript = session(db, clock, "/deal new Acme 50k\n/deal export\n")
    assert "Dealbot shared Dealbot deals, " in after(transcript, "/deal export")


def test_names_with_entities_and_brackets_are_drawn_exactly_as_typed(db, clock):
    typed = "/deal new R&D &amp; <x> 5k"
    card = after(session(db, clock, typed + "\n/deal list\n"), typed)
    assert "#1 R&D &amp; <x>" in card and "&lt;" not in card and "&amp;amp;" not in card


def test_add_to_deal_runs_on_a_message_and_its_picker_asks_a_search_text(db, clock):
    script = ("/deal new Acme Corp 50k\n/deal new Globex 10k\n"
              ":say Call @bob about Acme: 40 seats\n:messages\n"
              ":shortcut add-to-deal 3\nzzz\nacme\n1\n\n/deal history acme\n")
    transcript = session(db, clock, script)
    assert "3  #sales    @ann: Call @bob about Acme" in after(transcript, ":messages")
    modal_part = after(transcript, ":shortcut add-to-deal 3")
    assert "Modal: Add to deal" in modal_part
    assert "No results." in modal_part  # for zzz
    assert "[1] #1 Acme Corp · Prospecting" in modal_part and "Globex" not in modal_part
    assert "Note [Call @bob about Acme: 40 seats]" in modal_part
    confirmation = modal_part.split("Note [", 1)[1]
    assert "only visible to you" in confirmation and "Logged on deal #1" in confirmation
    assert "logged a contact from a message" in confirmation
    assert "(https://acme.slack.com/archives/" in confirmation
    assert "by @ann" in confirmation
    history = " ".join(after(transcript, "/deal history acme").split())  # lines unwrapped
    assert "by @ann: “Call @bob about Acme: 40 seats”" in history


def test_add_to_lead_runs_on_a_message_with_a_lead_picker(db, clock):
    script = ("/lead add Jane Roe (Globex)\n:say Jane wants a demo\n"
              ":shortcut add-to-lead 2\njane\n1\n\n/lead history jane\n")
    transcript = session(db, clock, script)
    modal_part = after(transcript, ":shortcut add-to-lead 2")
    assert "Modal: Add to lead" in modal_part and "[1] #1 Jane Roe · Awareness" in modal_part
    assert "Logged on lead #1" in modal_part.split("Note [", 1)[1]
    history = " ".join(after(transcript, "/lead history jane").split())
    assert "logged a contact from a message" in history and "“Jane wants a demo”" in history


def test_the_global_shortcuts_open_the_create_forms(db, clock):
    transcript = session(db, clock, ":shortcut new-lead\nJane Roe\n\n\n\n\n\n\n"
                                    ":shortcut new-deal\nInitech\n\n\n\n\n\n\n\n")
    assert "Modal: New lead" in transcript and "Lead #1 Jane Roe" in transcript
    assert "Modal: New deal" in transcript and "#1 Initech" in transcript


def test_shortcuts_are_refused_where_slack_offers_none(db, clock):
    transcript = session(db, clock, "/deal help\n:shortcut add-to-deal 1\n"
                                    ":shortcut add-to-deal 7\n:shortcut nope\n")
    assert "no shortcuts on a message only you can see" in after(
        transcript, ":shortcut add-to-deal 1")
    assert "There is no message 7" in after(transcript, ":shortcut add-to-deal 7")
    assert (":shortcut add-to-deal N, :shortcut add-to-lead N, :shortcut new-deal"
            in after(transcript, ":shortcut nope"))


def test_a_report_table_is_drawn_as_columns_aligned_as_the_table_says(db, clock):
    drawn = after(session(db, clock, "/deal new Acme 50k\n/deal new Globex 1.2m stage:proposal\n"
                                     "/pipeline\n"), "/pipeline").splitlines()
    top = next(i for i, line in enumerate(drawn) if line.split()[:2] == ["Stage", "Deals"])
    header, rule, *rows = drawn[top:top + 7]
    assert set(rule.strip()) == {"─"} and len(rule) == len(header)
    prospecting = next(row for row in rows if row.split()[0] == "Prospecting")
    proposal = next(row for row in rows if row.split()[0] == "Proposal")
    for row in (prospecting, proposal):  # numbers right-aligned: each ends where its header
        assert len(row) == len(header) and row.index(row.split()[0]) == header.index("Stage")
        assert row.index(row.split()[1]) + len(row.split()[1]) == header.index("Deals") + 5
        assert row.index(row.split()[3]) + len(row.split()[3]) == header.index("Value") + 5
    assert prospecting.split()[1:4] == ["1", "▲1", "$50,000"]
    assert proposal.split()[1:4] == ["1", "▲1", "$1,200,000"]


def test_a_table_wider_than_the_terminal_wraps_the_wrapped_column_and_centers_as_told():
    from bot.console.render import draw_blocks

    name = "Qualification of very large enterprise accounts in the Nordics"
    block = {"type": "table", "column_settings": [
        {"align": "left", "is_wrapped": True}, {"align": "center"}, {"align": "right"}],
        "rows": [[{"type": "raw_text", "text": t} for t in row] for row in (
            ["Stage", "±", "Value"], [name, "=", "$1,200,000"], ["Lead", "▲12", "$5"])]}
    lines = draw_blocks([block], Style(width=40), [])
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(re.split(r"\s{2,}", line.strip())[0] for line in lines[2:6]) == name
    assert [line.rstrip()[-10:].strip() for line in lines if "$" in line] == ["$1,200,000", "$5"]
    assert lines[2].index("=") == lines[-1].index("▲12") + 1  # centred in a 3-wide column


def test_undo_is_a_numbered_button_under_the_change_and_takes_it_back(db, clock):
    transcript = session(db, clock, "/deal new Acme 50k\n/deal move acme proposal\n")
    card = after(transcript, "/deal move acme proposal")
    number = re.search(r"\[(\d+)\] Undo", card).group(1)
    # a card drawn the same way has its Undo under the same number
    undone = session(db, clock, f"/deal new Globex 10k\n/deal move globex proposal\n{number}\n")
    clicked = after(undone, number)
    assert "updated message" in clicked and "undid a change to deal #2 Globex" in clicked
    assert "Prospecting" in clicked


def test_nudges_shows_what_the_acting_user_would_get_now_as_a_direct_message(db, clock):
    from datetime import timedelta

    from storage.deals import operations as deals

    bob = LocalUsers.id_of("bob")
    with db.transaction() as s:
        deals.create_deal(s, team=LOCAL_TEAM, name="Acme", actor=bob,
                          now=clock.now - timedelta(days=30))
    transcript = session(db, clock, ":nudges\n:user bob\n:nudges\n1\n")
    assert "Nothing needs ann now: the scheduler would send no message." in after(
        transcript, ":nudges")
    nudge = transcript.split("> :nudges\n")[2]
    assert "Direct message to bob:" in nudge and "#1 Acme" in nudge
    assert "no activity for 30 days" in nudge and "Log activity" in nudge
