"""50 people move one deal at the same moment through `dealbot serve` on PostgreSQL: half
type `/deal move`, half click the stage picker of the same card. Every one is answered; of
the clicks on one version of the card one wins and every other is told the card was out of
date and nothing was changed; the history holds exactly the changes people were told were
made, and the deal's version and stage follow from them."""

from __future__ import annotations

import json
import threading
import time

from sqlalchemy import create_engine, text

from bot.slack_standin import click, slash_command, text_of
from tests.driver import SIGNING_SECRET
from tests.e2e.serving import Server
from tests.faults.harness import NOTHING_CHANGED, stack

PEOPLE = 50
STAGES = ["qualification", "meeting", "proposal", "negotiation"]


def test_fifty_concurrent_moves_of_one_deal_lose_no_update_and_answer_everyone(tmp_path):
    with stack() as running:
        slack = running.slack
        server = Server({"DATABASE_URL": running.url, "SLACK_API_URL": slack.api_url},
                        tmp_path, "--no-scheduler", "--threads", "8")
        try:
            status, body = slash_command(signing_secret=SIGNING_SECRET, text="new Acme 50k",
                                         response_url=slack.response_url("new")).post(
                server.base + "/slack/events")
            card = json.loads(body)["blocks"]
            picker = next(e for b in card if b.get("type") == "actions"
                          for e in b["elements"] if e["type"] == "static_select")
            barrier = threading.Barrier(PEOPLE)
            answers: dict[int, tuple[str, int, str]] = {}
            took: dict[int, float] = {}

            def person(i: int) -> None:
                user, name = f"U{i:02d}", f"p{i}"
                if i % 2:
                    request = slash_command(signing_secret=SIGNING_SECRET, user_id=user,
                                            text=f"move #1 {STAGES[i % len(STAGES)]}",
                                            response_url=slack.response_url(name))
                else:
                    open_stages = [o for o in picker["options"]
                                   if o["text"]["text"] not in ("Won", "Lost")]
                    option = open_stages[i % len(open_stages)]["value"]
                    request = click(signing_secret=SIGNING_SECRET, message_blocks=card,
                                    action_id=picker["action_id"], user_id=user,
                                    response_url=slack.response_url(name),
                                    selected_option_value=option)
                barrier.wait()
                started = time.monotonic()
                status, body = request.post(server.base + "/slack/events")
                took[i] = time.monotonic() - started
                told = body + " ".join(text_of(r.body.get("blocks") or []) + r.body.get(
                    "text", "") for r in slack.responses(name))
                answers[i] = ("command" if i % 2 else "click", status, told)

            threads = [threading.Thread(target=person, args=(i,)) for i in range(PEOPLE)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        finally:
            server.stop()
        engine = create_engine(running.url)
        with engine.connect() as conn:
            version, stage = conn.execute(text(
                "SELECT d.version, s.name FROM deals d JOIN stages s ON s.id = d.stage_id")).one()
            events = conn.execute(text(
                "SELECT e.actor, s.name FROM deal_events e JOIN stages s ON s.id = e.to_stage_id "
                "WHERE e.kind = 'stage' ORDER BY e.id")).all()
        engine.dispose()
    assert len(answers) == PEOPLE and all(status == 200 for _, status, _ in answers.values())
    refusals = (NOTHING_CHANGED, ":warning:")  # a race lost, a move made already, ...
    refused = {f"U{i:02d}" for i, (_, _, told) in answers.items()
               if any(words in told for words in refusals)}
    applied = {f"U{i:02d}" for i, (_, _, told) in answers.items()
               if f"U{i:02d}" not in refused and "*#1 Acme*" in told}
    unclear = {i: told[:200] for i, (_, _, told) in answers.items()
               if f"U{i:02d}" not in applied | refused}
    assert unclear == {}  # every one answered: the deal as it is now, or what stopped it
    clicks_applied = [u for u in applied if int(u[1:]) % 2 == 0]
    assert len(clicks_applied) <= 1  # one version of the card: at most one click wins
    assert {actor for actor, _ in events} == applied  # exactly what people were told
    assert len(events) == len(applied) and version == 1 + len(applied)
    assert stage == events[-1][1]
    print(f"\n50 concurrent moves of one deal: {len(applied)} applied "
          f"({len(clicks_applied)} click), {len(refused)} refused with a clear answer (lost the "
          f"race, or already there), 0 unanswered, slowest answer {max(took.values()):.2f} s; "
          f"history: {len(events)} moves, version {version}")
