"""`/deal export` and `/lead export`: the caller gets the CSV as a file in a direct message."""

from __future__ import annotations

from bot.slack_standin import FakeSlack


def uploaded(slack: FakeSlack) -> str:
    (upload,) = slack.uploads()
    assert upload.body["filename"].endswith(".csv")
    return upload.body["content"].decode("utf-8")


def test_deal_export_sends_the_caller_the_csv_in_a_direct_message(driver, slack):
    driver.one("new Blåbær AS 50k")
    reply = driver.one("export", user="U7")
    assert reply.ephemeral and "I sent you the 1 deal as a CSV file" in reply.text
    assert slack.calls("conversations.open")[0].body["users"] == "U7"
    content = uploaded(slack)
    assert content.startswith("id,name,value,stage,")
    assert "#1,Blåbær AS,50000.00,Prospecting," in content
    assert slack.uploads()[0].body["filename"] == "dealbot-deals-2026-11-22.csv"
    (complete,) = slack.calls("files.completeUploadExternal")
    assert complete.body["channel_id"] == "DU7"


def test_lead_export_sends_the_leads_csv(driver, slack):
    driver.one("add Jürgen Groß source:webinar", command="/lead")
    reply = driver.one("export", command="/lead")
    assert reply.ephemeral and "I sent you the 1 lead as a CSV file" in reply.text
    assert "#1,Jürgen Groß,,webinar,Awareness," in uploaded(slack)
