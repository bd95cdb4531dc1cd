"""`/deal nudges` through the real Bolt app: each person sees and changes their own nudges."""

from __future__ import annotations

import pytest

from storage.nudges.settings import nudge_setting


def setting_of(db, user="U1"):
    with db.transaction() as s:
        return nudge_setting(s, team="T1", user=user)


@pytest.mark.parametrize(("text", "said"), [
    ("nudges sometimes", "`sometimes` is not one of `on`, `off`, `at HH:MM`"),
    ("nudges at", "At what time?"),
    ("nudges at 25:00", "`25:00` is not a time of day"),
    ("nudges at noon", "`noon` is not a time of day"),
    ("nudges on <!channel>", "is not one of"),
])
def test_a_nudge_setting_i_cannot_read_is_refused_and_changes_nothing(driver, db, text, said):
    reply = driver.one(text)
    assert reply.ephemeral and said in reply.text
    assert "/deal nudges [on | off | at HH:MM | weekdays | daily]" in reply.text
    assert setting_of(db).set_at is None


def test_the_default_is_on_weekdays_at_nine_in_my_slack_time_zone(driver, slack):
    reply = driver.one("nudges")
    assert reply.ephemeral
    assert ("on weekdays at 09:00 (Europe/Oslo, your Slack time zone)" in reply.text
            and "Right now 0 things need you." in reply.text)
    assert [c.body["user"] for c in slack.calls("users.info")] == ["U1"]
    driver.one("nudges")
    assert len(slack.calls("users.info")) == 1  # kept


def test_i_change_my_own_nudges_and_nobody_elses(driver, db):
    reply = driver.one("nudges daily at 7:30")
    assert ":white_check_mark: Your nudges are on: a direct message every day at 07:30" in (
        reply.text)
    assert driver.one("nudges off").text.startswith(":white_check_mark: Your nudges are off")
    mine, theirs = setting_of(db), setting_of(db, "U2")
    assert (mine.enabled, mine.at_time, mine.every_day) == (False, "07:30", True)
    assert theirs.set_at is None
    assert "every day at 07:30" in driver.one("nudges on").text


def test_without_a_slack_time_zone_the_workspaces_counts(driver, slack):
    slack.users["U1"] = {"tz": None}
    assert "(UTC, the workspace's time zone)" in driver.one("nudges").text


def test_help_tells_about_nudges(driver):
    assert "/deal nudges [on | off | at HH:MM | weekdays | daily]" in driver.one("help").text
