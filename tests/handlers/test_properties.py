"""Property tests: whatever text people type, in whatever command, Dealbot answers.

Hypothesis writes commands the way the grammar reads them (a subcommand, then records,
options, tags, amounts, dates and free text) and fills them with hostile text: Slack's own
markup, words of Slack's request format (`payload`, `command`, `token`), `& = + %` that a
form body must carry, NUL and other control characters, right-to-left text, emoji and
10,000-character strings. Each command goes through the real Bolt app as a signed,
form-encoded request, on SQLite and on PostgreSQL, and every answer must hold:

- HTTP 200 (the driver checks it), and an answer (not Slack's generic failure);
- no traceback and no internal error: nothing logged at ERROR, no "went wrong" reply;
- no live markup in any text Slack renders, fallbacks included (the autouse check in
  tests/conftest.py sees every message; bot/slack_standin/markup.py);
- a refusal (an answer starting with :warning:) changed nothing in the database.

The default profile runs 20 examples a test and backend so that the suite stays fast; the
long one runs 10,000 (`pytest --hypothesis-profile=long tests/handlers/test_properties.py`, or
DEALBOT_HYPOTHESIS_PROFILE=long): README, "Property tests".
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.slack_standin.markup import findings
from handlers import ids, messages
from storage.db import Database
from storage.models import Base

pytestmark = pytest.mark.usefixtures("db")

# --- What people type -------------------------------------------------------------------

SLACK_MARKUP = [
    "<!channel>", "<!here>", "<!everyone>", "<!subteam^SEVIL|@sales>", "<!subteam^SEVIL>",
    "<https://evil.example/x|click>", "<https://evil.example/y>", "<http://acme.io|acme.io>",
    "<mailto:jane@acme.test|jane@acme.test>", "<@UEVIL|bob>", "<@UEVIL>", "<#CEVIL|general>",
    "<#CEVIL>", "<!date^1700000000^{date}|today>", "&lt;!here&gt;", "&amp;", "&lt;b&gt;",
    "<", ">", "<<!channel>>", "<!channel", "*bold*", "_it_", "~gone~", "`code`", "```", ">quote",
]
FORM_WORDS = [
    "payload", "payload=", "payload={}", 'payload={"type":"block_actions"}', "command",
    "command=/lead", "token", "token=x", "text", "text=", "response_url", "trigger_id",
    "team_id=T2", "user_id=UADMIN", "ssl_check=1", "&", "=", "+", "%", "%20", "%00", "%zz",
    "a=b&c=d", "&payload=", "+%2B+", "?", ";", "#", "\\",
]
CONTROL = ["\x00", "a\x00b", "\x07", "\x1b[31m", "\r\n", "\r", "\t", "\x0b", "\x0c", "\x7f",
           "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\ud7ff", "\U0010ffff"]
WORLD = ["שלום", "مرحبا بك", "\u202eevil\u202c", "\u200f", "🚀", "👩‍💻", "🇳🇴", "e\u0301",
         "Ⅻ", "ß", "İ", "ﬁ", "Zalgơ̶̢", "日本語", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "１２３", "٣", "NaN", "∞", "-0",
         "1e309", '"', "“quoted”", "(", ")", "((", "'"]
RECORDS = ["#1", "#2", "#3", "#0", "#999999999999", "#-1", "Acme", "acme", "Globex", "Jane",
           "heist"]
STAGES = ["qualification", "meeting", "proposal", "negotiation", "won", "lost", "awareness",
          "interest", "consideration", "engagement", "conversion", "dropped", "first", "to"]
AMOUNTS = ["5k", "50 000 NOK", "€50k", "$1,000,000", "1.2m", "-5", "0", "10^9", "1e9",
           "99999999999999999999", "5,5", "kr 50 000", "50.000,50 €", "12abc"]
DATES = ["today", "friday", "next week", "in 2 weeks", "end of month", "31.12.2026",
         "31.02.2026", "2026-13-01", "2026-W47", "last week", "this week", "1 dec", "9999-01-01"]
TIMES = ["9:00", "at 8:30", "25:00", "9am", "daily", "weekdays", "monday", "sunday"]
ZONES = ["Europe/Oslo", "europe/oslo", "UTC", "Mars/Base", "localtime", "../../etc/passwd",
         "Pacific/Auckland", "EST"]
KEYS = ["stage", "close", "owner", "due", "reason", "source", "contact", "after", "week", "tz"]
USERS = ["<@U2|ann>", "<@U1>", "<@UADMIN|boss>", "@ann", "<@W3|enterprise>", "mine"]
CHANNELS = ["<#C2|sales>", "<#C3>", "#sales", "off"]

SUBCOMMANDS = {
    "/deal": ["new", "add", "move", "won", "lost", "reopen", "show", "list", "history", "assign",
              "value", "close", "probability", "prob", "note", "next", "stages", "settings",
              "help", "export", ""],
    "/lead": ["add", "new", "move", "convert", "drop", "note", "show", "list", "history", "help",
              "export", ""],
    "/pipeline": ["", "help", "subscribe", "unsubscribe", "subscriptions"],
    "/funnel": ["", "help", "subscribe", "unsubscribe", "subscriptions", "spend", "last week",
                "2026-W47"],
}
SECOND_WORDS = ["rename", "add", "move", "weight", "rotting", "currency", "timezone", "stale",
                "channel", "NOK", "EUR", "XXX"]


def _text() -> st.SearchStrategy[str]:
    """Any Unicode a Slack message can carry (no lone surrogates: not valid UTF-8)."""
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


def _long() -> st.SearchStrategy[str]:
    piece = st.sampled_from(["y", "é", "🚀", "<!here> ", "payload ", "a&b=c ", "\x00"])
    return st.builds(lambda p, n: (p * n)[:n], piece, st.integers(200, 10_000))


def _option() -> st.SearchStrategy[str]:
    value = st.one_of(st.sampled_from(STAGES + DATES + USERS + ZONES + AMOUNTS + SLACK_MARKUP),
                      _text(), _long())
    return st.builds(lambda key, colon, v: f"{key}{colon}{v}", st.sampled_from(KEYS),
                     st.sampled_from([":", ": ", ':"']), value)


def _word() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(RECORDS), st.sampled_from(STAGES), st.sampled_from(AMOUNTS),
        st.sampled_from(DATES), st.sampled_from(TIMES), st.sampled_from(ZONES),
        st.sampled_from(USERS), st.sampled_from(CHANNELS), st.sampled_from(SECOND_WORDS),
        st.sampled_from(SLACK_MARKUP), st.sampled_from(FORM_WORDS), st.sampled_from(CONTROL),
        st.sampled_from(WORLD), _option(), st.just("#q4"), _text(), _long(),
    )


@st.composite
def commands(draw: st.DrawFn) -> tuple[str, str, str]:
    """(command, text, user): a subcommand the command knows (now and then any word), then
    0 to 6 grammar words, joined by one space or by any whitespace."""
    command = draw(st.sampled_from(sorted(SUBCOMMANDS)))
    first = draw(st.one_of(st.sampled_from(SUBCOMMANDS[command]), _word()))
    words = draw(st.lists(_word(), max_size=6))
    sep = draw(st.sampled_from([" ", " ", " ", "  ", "\n", "\t", "\u00a0"]))
    user = draw(st.sampled_from(["U1", "U2", "UADMIN"]))
    return command, sep.join([first, *words]).strip(" "), user


# --- What must hold ---------------------------------------------------------------------

class Errors(logging.Handler):
    """Every record logged at ERROR or above, or with a traceback, while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


@pytest.fixture
def logged_errors() -> Iterator[Errors]:
    handler = Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def everything(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: what a refusal must leave as it was."""
    with db.engine.connect() as conn:
        return {table.name: sorted(tuple(map(repr, row)) for row in conn.execute(select(table)))
                for table in Base.metadata.sorted_tables}


def seed(driver) -> None:
    """A pipeline and a funnel to work on: deals and leads with markup in their names."""
    driver.one("new Acme 5k close:2026-12-01 #q4")
    driver.one("new <!channel> heist <https://evil.example/x|click> 12k stage:proposal")
    driver.one("new Globex 1k", user="U2")
    driver.one("won Globex")
    driver.one("add Jane Roe (Globex) source:webinar", command="/lead")
    driver.one("add <!here> lead contact:<mailto:jane@acme.test|jane@acme.test>",
               command="/lead")
    driver.one("subscribe <#C2|sales> daily at 9:00", command="/pipeline", user="UADMIN")


def check(driver, db: Database, slack, logged_errors: Errors, command: str, text: str,
          user: str) -> None:
    before = everything(db)
    sent = len(slack.received())
    replies = driver.command(text, command=command, user=user)
    to_slack = slack.received(sent)  # response_url posts, and any Web API call it made
    answers = [r.text for r in replies] + [
        t for r in to_slack for t in (r.body.get("text"),) if isinstance(t, str)]
    assert replies or to_slack, f"no answer to {command} {text!r}"
    assert not logged_errors.records, [r.getMessage() for r in logged_errors.records]
    assert not any(messages.INTERNAL_ERROR in a or "Traceback" in a for a in answers), answers
    assert [f for r in to_slack for f in findings(r.body)] == []
    refused = [r for r in replies if r.text.startswith(":warning:")]
    if refused:
        assert all(r.ephemeral for r in refused)
        assert everything(db) == before, f"{command} {text!r} was refused and changed data"


PROPERTY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow], deadline=None)


@PROPERTY
@given(typed=commands())
def test_any_command_is_answered_without_a_traceback_or_live_markup_and_a_refusal_changes_nothing(
        driver, db, slack, logged_errors, typed):
    if not everything(db)["deals"]:
        seed(driver)
    check(driver, db, slack, logged_errors, *typed)


# --- Modal submissions ------------------------------------------------------------------

def _typed(block: dict) -> st.SearchStrategy[str | None]:
    """What a person leaves in an input block's text input: any text above, unchanged
    (None) or emptied (""); Slack submits no required input empty."""
    typed = st.one_of(_word(), st.lists(_word(), min_size=1, max_size=4).map(" ".join))
    if block.get("optional"):
        return st.one_of(st.none(), st.just(""), typed)
    typed = typed.filter(str.strip)
    return st.one_of(st.none(), typed) if block["element"].get("initial_value") else typed


MODALS = [("/deal", "new"), ("shortcut", ids.SHORTCUT_NEW_LEAD), ("deal", ids.DEAL_EDIT),
          ("deal", ids.DEAL_LOST), ("deal", ids.DEAL_ADD_NOTE), ("lead", ids.LEAD_CONVERT),
          ("lead", ids.LEAD_DROP)]


def open_modal(driver, slack, how: str, what: str) -> dict:
    opened = len(slack.calls("views.open"))
    if how == "/deal":
        driver.command(what)
    elif how == "shortcut":
        driver.global_shortcut(what)
    else:  # on a new card each time: an earlier example may have closed the last one
        card = driver.command("new <!channel> probe <https://evil.example|x> 5k" if how == "deal"
                              else "add <!here> probe (<!channel> corp)", command=f"/{how}")[-1]
        driver.click(card, what)
    assert len(slack.calls("views.open")) == opened + 1, f"{how} {what} opened no modal"
    return driver.opened_view()


@PROPERTY
@given(modal=st.sampled_from(MODALS), data=st.data())
def test_any_modal_submission_is_saved_or_refused_on_its_fields_and_a_refusal_changes_nothing(
        driver, db, slack, logged_errors, modal, data):
    if not everything(db)["deals"]:
        seed(driver)
    view = open_modal(driver, slack, *modal)
    inputs = [b for b in view["blocks"] if b.get("type") == "input"
              and b["element"]["type"] == "plain_text_input"]
    values = {}
    for block in inputs:
        typed = data.draw(_typed(block), label=block["block_id"])
        if typed is not None:
            values[block["block_id"]] = {block["element"]["action_id"]: {"value": typed or None}}
    before = everything(db)
    sent = len(slack.received())
    answer = driver.submit(view, values)
    assert driver.slow_work.wait_until_idle()
    assert not logged_errors.records, [r.getMessage() for r in logged_errors.records]
    to_slack = slack.received(sent)
    assert not any(messages.INTERNAL_ERROR in str(r.body) for r in to_slack)
    if answer:
        assert answer.get("response_action") == "errors" and answer["errors"], answer
        assert set(answer["errors"]) <= {b.get("block_id") for b in view["blocks"]}
        assert everything(db) == before, f"{modal} refused {values!r} and changed data"
