"""Text people type is text: whatever a name, note or stage holds, nothing Dealbot sends pings,
links or mentions anyone, the notification fallback included; Slack's own link markup is
stored as what the person typed.

Commands are typed as Slack delivers them with escaping on: `@channel` arrives as
`<!channel>`, a pasted link as `<https://...|text>`, `acme.io` as `<http://acme.io|acme.io>`.
The autouse check in tests/conftest.py inspects every message; these tests also assert it
themselves, and that the hostile text really reached each surface.
"""

from __future__ import annotations

import pytest

from bot.app import web_client
from bot.digests import run_due_digests
from bot.slack_standin import text_of
from bot.slack_standin.markup import findings, mrkdwn_texts
from handlers import ids

pytestmark = pytest.mark.usefixtures("db")

HOSTILE = "<!channel> heist <https://evil.example/x|click>"
SHOWN = "@channel heist click (https://evil.example/x)"  # what was typed, and is shown


def live_markup_sent(slack) -> list[str]:
    return [f"{r.kind} {r.name} {found}" for r in slack.received() for found in findings(r.body)]


def mrkdwn_sent(slack, kind: str, name: str | None = None) -> str:
    """Every mrkdwn text (fallbacks included) of the requests of `kind` (and `name`)."""
    return "\n".join(text for r in slack.received() if r.kind == kind
                     and name in (None, r.name) for _, text in mrkdwn_texts(r.body))


def posted_in(slack, channel: str) -> str:
    return "\n".join(text for c in slack.calls("chat.postMessage")
                     if c.body.get("channel") == channel for _, text in mrkdwn_texts(c.body))


def test_a_deal_named_with_a_ping_and_a_disguised_link_never_pings_or_links(
        driver, slack, db, settings, clock):
    driver.one("settings channel <#CACTIVITY|deal-activity>", user="UADMIN")
    driver.one("subscribe <#CDIGEST|digest> daily at 9:00 tz:Europe/Oslo", command="/pipeline",
               user="UADMIN")
    card = driver.one(f"new {HOSTILE} 5k close:2026-11-25")
    assert f"#1 {SHOWN}" in card.body["text"] and f"*#1 {SHOWN}*" in card.text
    driver.one("move heist proposal")
    driver.one("note heist <!here> called <@UEVIL|bob> about <https://evil.example/y|the offer>")
    driver.one("next heist ask <!subteam^SEVIL|@sales> for <https://evil.example/z|a quote> "
               "due:friday")
    assert "ask @sales for a quote (https://evil.example/z)" in driver.one("show heist").text
    history = driver.one("history heist")
    assert SHOWN in history.body["text"]
    assert "@here called @bob about the offer (https://evil.example/y)" in history.text
    assert SHOWN in driver.one("list").text
    assert "@channel" in driver.one("value heist <!channel>").body["text"]  # echoed, as text
    driver.one("new <!here> heist too 1k")
    several = driver.one("show heist")  # two match: both are offered, as text
    assert "`#1` @channel heist" in several.text and "`#2` @here heist too" in several.text
    unknown = driver.one(f"{HOSTILE} 5k")
    assert unknown.ephemeral and "`/deal @channel` is not something I know" in unknown.text
    assert SHOWN in driver.one("", command="/pipeline").text
    clock.advance(hours=20, minutes=30)  # Monday 08:30 UTC: the 09:00 Oslo digest is due
    run_due_digests(db, lambda team: web_client(settings), clock())
    assert SHOWN in posted_in(slack, "CDIGEST")
    assert SHOWN in text_of(driver.open_home()["blocks"])
    driver.one("lost #1 reason: <!everyone> went with <https://evil.example/w|them>")
    assert "@everyone went with them (https://evil.example/w)" in driver.one(
        "", command="/pipeline").text
    assert SHOWN in posted_in(slack, "CACTIVITY")
    assert live_markup_sent(slack) == []


def test_a_lead_with_the_same_text_is_shown_as_typed_and_never_pings(driver, slack):
    card = driver.one(f"add {HOSTILE} (<!here> corp) source:<https://evil.example/s|webinar> "
                      "contact:<mailto:jane@acme.test|jane@acme.test>", command="/lead")
    assert f"Lead #1 {SHOWN}" in card.body["text"] and "@here corp" in card.text
    assert "webinar (https://evil.example/s)" in card.text and "jane@acme.test" in card.text
    for action_id in (ids.LEAD_CONVERT, ids.LEAD_DROP):
        assert driver.click(card, action_id) == []
        assert SHOWN in text_of(driver.opened_view()["blocks"])
    driver.one("move heist interest", command="/lead")
    driver.one("note heist <!channel> said <@UEVIL|bob> knows", command="/lead")
    assert SHOWN in driver.one("show heist", command="/lead").body["text"]
    assert "@channel said @bob knows" in driver.one("history heist", command="/lead").text
    converted = driver.one("convert heist 5k", command="/lead")
    assert SHOWN in converted.body["text"]
    unknown = driver.one("<!here> everyone", command="/lead")
    assert "`/lead @here` is not something I know" in unknown.text
    listed = driver.one("list source:<https://evil.example/s|webinar>", command="/lead")
    assert SHOWN in listed.text
    assert "webinar (https://evil.example/s)" in driver.one("", command="/funnel").text
    assert live_markup_sent(slack) == []


def test_the_deals_modals_show_the_name_as_text(driver, slack):
    card = driver.one(f"new {HOSTILE} 5k")
    for action_id in (ids.DEAL_LOST, ids.DEAL_ADD_NOTE, ids.DEAL_EDIT):
        assert driver.click(card, action_id) == []
        view = driver.opened_view()
        assert SHOWN in text_of(view["blocks"]) or any(
            SHOWN in str(b.get("element", {}).get("initial_value", "")) for b in view["blocks"])
    assert live_markup_sent(slack) == []


@pytest.mark.parametrize(("typed", "stored"), [
    ("<http://acme.io|acme.io>", "acme.io"),
    ("<http://www.acme.io|www.acme.io> renewal", "www.acme.io renewal"),
    ("<https://acme.io/pricing>", "https://acme.io/pricing"),
    ("<mailto:jane@acme.test|jane@acme.test>", "jane@acme.test"),
    ("call <@U123|bob>", "call @bob"),
    ("<#C1|sales> deal", "#sales deal"),
    ("<!subteam^S1|@sales> upsell", "@sales upsell"),
    ("A &amp; B &lt;b&gt;", "A & B <b>"),
])
def test_link_markup_in_a_name_is_stored_as_what_the_person_typed(driver, typed, stored):
    from handlers.blocks.format import escape

    card = driver.one(f"new {typed} 5k")
    assert f"#1 {escape(stored)}*" in card.text
    assert f"#1 {escape(stored)} —" in card.body["text"]
    assert f"#1 {escape(stored)}*" in driver.one(f"show {typed}").text  # found by it, too


def test_mentions_stay_mentions_where_the_grammar_expects_them(driver):
    card = driver.one("new call <@U123|bob> 5k owner:<@U2|ann>")
    assert "call @bob" in card.text and "<@U2>" in card.text and "<@U123" not in card.text


@pytest.mark.parametrize("typed", ["<!here> stage", "&lt;!here&gt; stage"])
def test_a_stage_renamed_by_an_admin_to_a_ping_is_shown_as_text_everywhere(driver, slack, typed):
    from bot.slack_standin.blockkit import options

    stored = "@here stage" if typed.startswith("<") else "<!here> stage"
    shown = stored.replace("<", "&lt;").replace(">", "&gt;")
    driver.one("settings channel <#CACTIVITY|deal-activity>", user="UADMIN")
    renamed = driver.one(f"stages rename meeting {typed}", user="UADMIN")
    assert f"Renamed to *{shown}*" in renamed.text and shown in renamed.text
    card = driver.one("new Acme 5k stage:qualification")
    advance = [e for b in card.blocks if b["type"] == "actions" for e in b["elements"]
               if e.get("action_id") == ids.DEAL_ADVANCE][0]
    assert advance["text"]["text"] == f"→ {stored}"  # plain_text: as typed
    picker = [e for b in card.blocks if b["type"] == "actions" for e in b["elements"]
              if e.get("action_id") == ids.DEAL_PICK_STAGE][0]
    assert stored in [o["text"]["text"] for o in options(picker)]
    moved = driver.click(card, ids.DEAL_ADVANCE)[-1]
    assert f"— {shown}," in moved.body["text"] and shown in moved.text
    assert shown in posted_in(slack, "CACTIVITY")
    pipeline = driver.one("", command="/pipeline")  # table cells are raw_text: as typed
    assert f"{shown}: 1 deal" in pipeline.body["text"] and f"\n{stored} | 1 |" in pipeline.text
    assert shown in driver.one("stages").text
    assert f"\n{stored} | 1 |" in text_of(driver.open_home()["blocks"])
    assert live_markup_sent(slack) == []


def test_imported_records_with_markup_in_any_column_are_shown_as_text(driver, slack, db, now):
    from bot.imports.importer import import_rows

    import_rows(db, "deals", [{"id": "D1", "name": "<!channel> imported", "amount": "5000",
                               "stage": "Proposal", "owner": "<!here>",
                               "next action": "<https://evil.example|call>",
                               "source": "<@UEVIL>", "created": "2026-11-01"}],
                team="T1", now=now)
    import_rows(db, "leads", [{"id": "L1", "name": "<!everyone> lead", "company": "<#CEVIL>",
                               "source": "<!subteam^SEVIL>", "contact": "x@acme.test",
                               "created": "2026-11-01"}], team="T1", now=now)
    card = driver.one("show imported")
    assert "&lt;!channel&gt; imported" in card.body["text"] and "&lt;!here&gt;" in card.text
    assert "&lt;!everyone&gt; lead" in driver.one("show lead", command="/lead").body["text"]
    driver.one("list")
    driver.one("", command="/pipeline")
    driver.open_home()
    assert live_markup_sent(slack) == []
