"""The deals a type-ahead picker offers: scoped by team, best matches first, open before
closed, at most a hundred."""

from __future__ import annotations

from datetime import timedelta

from storage.deals import operations as deals
from storage.deals.choices import deal_choices
from storage.deals.views import MessageSource


def _make(s, now, names, team="T1"):
    for n, name in enumerate(names):
        deals.create_deal(s, team=team, name=name, actor="U1", now=now + timedelta(minutes=n))


def test_an_exact_name_comes_before_a_prefix_a_word_and_a_part_of_a_word(db, now):
    with db.transaction() as s:
        _make(s, now, ["Megacorp", "Acme North", "Acme", "Nordacme", "Big Acme deal"])
        picked = deal_choices(s, team="T1", typed="  ACME ")
    assert [c.name for c in picked] == ["Acme", "Acme North", "Big Acme deal", "Nordacme"]


def test_open_deals_come_before_closed_ones_and_the_typed_number_first(db, now):
    with db.transaction() as s:
        _make(s, now, ["Acme won", "Acme open", "Acme 1 lost", "Other"])
        deals.win_deal(s, team="T1", number=1, actor="U1", now=now + timedelta(hours=2))
        deals.lose_deal(s, team="T1", number=3, actor="U1", now=now + timedelta(hours=1))
        by_words = deal_choices(s, team="T1", typed="acme")
        by_number = deal_choices(s, team="T1", typed="#4")
        bare_number = deal_choices(s, team="T1", typed="1")
    # the closed ones: the more recently active first
    assert [(c.number, c.is_open) for c in by_words] == [(2, True), (1, False), (3, False)]
    assert [c.name for c in by_number] == ["Other"]
    # deal #1 first, then the open and closed names with a 1 in them
    assert [c.number for c in bare_number] == [1, 3]
    assert by_words[1].stage == "Won" and by_words[0].stage == "Prospecting"


def test_nothing_typed_offers_the_most_recently_active_open_deals_first(db, now):
    with db.transaction() as s:
        _make(s, now, ["Old", "Closed", "Newest"])
        deals.win_deal(s, team="T1", number=2, actor="U1", now=now + timedelta(hours=1))
        picked = deal_choices(s, team="T1", typed="")
    assert [c.name for c in picked] == ["Newest", "Old", "Closed"]


def test_another_workspaces_deals_never_appear_and_at_most_the_limit_is_offered(db, now):
    with db.transaction() as s:
        _make(s, now, [f"Acme {n}" for n in range(120)])
        _make(s, now, ["Acme secret", "Acme 7 other team"], team="T2")
        picked = deal_choices(s, team="T1", typed="acme")
        theirs = deal_choices(s, team="T2", typed="#1")
    assert len(picked) == 100
    assert not [c for c in picked if "secret" in c.name or "other team" in c.name]
    assert [c.name for c in theirs] == ["Acme secret"]


def test_typed_wildcards_are_matched_as_text(db, now):
    with db.transaction() as s:
        _make(s, now, ["100% uptime", "1000 seats", "a_b", "axb"])
        assert [c.name for c in deal_choices(s, team="T1", typed="100%")] == ["100% uptime"]
        assert [c.name for c in deal_choices(s, team="T1", typed="a_b")] == ["a_b"]


def test_a_note_from_a_slack_message_keeps_its_link_and_author(db, now):
    link = "https://acme.slack.com/archives/C1/p1700000000000100"
    with db.transaction() as s:
        _make(s, now, ["Acme"])
        change = deals.add_note(s, team="T1", number=1, text="They want 40 seats", actor="U1",
                                now=now, source=MessageSource(link, "U2"))
        plain = deals.add_note(s, team="T1", number=1, text="Called", actor="U1", now=now)
    assert change.event.source == MessageSource(link, "U2")
    assert change.deal.last_contact_at == now
    assert plain.event.source is None


def test_a_deal_whose_creation_was_undone_is_not_offered(db, now):
    from storage import undo

    with db.transaction() as s:
        _make(s, now, ["Acme kept"])
    with db.transaction() as s:
        _make(s, now, ["Acme undone"])
    with db.transaction() as s:
        undo.undo_last_change(s, team="T1", actor="U1", now=now)
        assert [c.name for c in deal_choices(s, team="T1", typed="acme")] == ["Acme kept"]


def test_leads_are_offered_the_same_way_open_before_dropped(db, now):
    from storage.deals.choices import lead_choices
    from storage.leads import operations as leads

    with db.transaction() as s:
        for n, name in enumerate(["Jane Roe", "Janet Dropped", "Bob Jane", "Other"]):
            leads.add_lead(s, team="T1", name=name, actor="U1", now=now + timedelta(minutes=n))
        leads.add_lead(s, team="T2", name="Jane Secret", actor="U9", now=now)
        leads.drop_lead(s, team="T1", number=2, actor="U1", now=now + timedelta(hours=1))
        by_words = lead_choices(s, team="T1", typed="jane")
        by_number = lead_choices(s, team="T1", typed="#4")
    assert [(c.name, c.is_open) for c in by_words] == [
        ("Jane Roe", True), ("Bob Jane", True), ("Janet Dropped", False)]
    assert by_words[0].stage == "Awareness" and by_words[2].stage == "Dropped"
    assert [c.name for c in by_number] == ["Other"]
