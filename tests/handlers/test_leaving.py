"""A workspace that uninstalls Dealbot, or revokes its bot token, gets no more digests:
signed `app_uninstalled` and `tokens_revoked` events through the app."""

from __future__ import annotations

from bot.slack_standin import event_callback, slash_command
from storage.digests.subscriptions import active_subscriptions, list_subscriptions
from storage.leaving import enterprise_of
from tests.driver import SIGNING_SECRET


def _event(driver, event: dict, *, team: str = "T1", event_id: str = "EvLeave",
           enterprise: str | None = None) -> None:
    request = event_callback(signing_secret=SIGNING_SECRET, team_id=team, event_id=event_id,
                             event=event, enterprise_id=enterprise)
    response = driver.app.dispatch(request.to_bolt())
    assert response.status == 200, response.body


def _subscribe(driver, team: str = "T1") -> None:
    driver.one("subscribe <#CSALES|sales> daily at 9:00", command="/pipeline", user="UADMIN",
               team=team)


def _running(db) -> list[str]:
    with db.transaction() as s:
        return [sub.team for sub in active_subscriptions(s)]


def test_app_uninstalled_pauses_that_workspaces_digests_only(driver, db):
    _subscribe(driver)
    _subscribe(driver, team="T2")
    _event(driver, {"type": "app_uninstalled"})
    assert _running(db) == ["T2"]
    with db.transaction() as s:
        [sub] = list_subscriptions(s, team="T1")
    assert sub.paused_reason == "app_uninstalled"
    _event(driver, {"type": "app_uninstalled"})  # Slack's retry changes nothing
    assert _running(db) == ["T2"]


def test_a_revoked_bot_token_pauses_the_digests_and_revoked_user_tokens_do_not(driver, db):
    _subscribe(driver)
    _event(driver, {"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": []}},
           event_id="EvUsers")
    assert _running(db) == ["T1"]
    _event(driver, {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}},
           event_id="EvBot")
    assert _running(db) == []


def test_the_grid_organisation_a_request_names_is_remembered_for_its_workspace(driver, db,
                                                                                slack):
    request = slash_command(signing_secret=SIGNING_SECRET, text="help", team_id="T7",
                            enterprise_id="E1", response_url=slack.response_url("grid"))
    assert driver.app.dispatch(request.to_bolt()).status == 200
    with db.transaction() as s:
        assert enterprise_of(s, team="T7") == "E1"
        assert enterprise_of(s, team="T1") is None


def test_an_organisation_wide_uninstall_pauses_every_workspace_of_the_organisation(driver, db):
    _subscribe(driver, team="T1")
    _subscribe(driver, team="T2")
    _subscribe(driver, team="T3")
    for n, team in enumerate(("T1", "T2")):  # requests from two workspaces of E1
        _event(driver, {"type": "app_home_opened", "user": "U1", "channel": "DU1",
                        "tab": "messages"}, team=team, event_id=f"EvHome{n}", enterprise="E1")
    _event(driver, {"type": "app_uninstalled"}, team="", enterprise="E1")
    assert _running(db) == ["T3"]
