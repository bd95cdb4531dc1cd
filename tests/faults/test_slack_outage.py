"""`dealbot serve` while Slack answers 429 or 500, hangs, refuses connections, or drops each
connection after acting on the call, under a stream of `/deal new` and clicks on the new
cards: every request is answered within Slack's 3 s, every acknowledged deal and move is in
the database once, and Slack never gets a card redrawn or an activity line twice."""

from __future__ import annotations

import os

from tests.faults.harness import fault_seconds, stack
from tests.faults.slack_outage import HEADER_SLACK, MODES, slack_outage

# the suite runs the two modes that once held answers or doubled posts; DEALBOT_FAULT_SECONDS
# (and benchmarks/fault_table.py) runs all five
CI_MODES = ("hang", "drop")


def test_serve_answers_in_time_and_posts_nothing_twice_while_slack_fails(tmp_path):
    with stack() as running:
        modes = MODES if os.environ.get("DEALBOT_FAULT_SECONDS") else CI_MODES
        results = slack_outage(running, fault_seconds(1.5), tmp_path, modes=modes)
    print(f"\n{HEADER_SLACK}\n" + "\n".join(f.row() for f in results))
    for figures in results:
        assert figures.others == [], figures.others
        assert figures.within_3s == figures.tried > 0, figures.row()
        assert figures.created > 0 and figures.moves > 0, figures.row()
        assert (figures.lost, figures.duplicated) == (0, 0), figures.row()
    [dropped] = [f for f in results if "dropping" in f.scenario]  # Slack took every post
    assert dropped.redrawn == dropped.lines == dropped.moves
