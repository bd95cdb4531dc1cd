"""Prints the fault table: each scenario of the fault suite (tests/faults/) run on the local
PostgreSQL, and what was observed from outside: `dealbot serve` and `dealbot scheduler` with
the database refusing or silent, `serve` with Slack failing five ways, schedulers killed,
concurrent moves.

    .venv/bin/python benchmarks/fault_table.py          # 5 s faults, as in the suite
    DEALBOT_FAULT_SECONDS=20 .venv/bin/python benchmarks/fault_table.py

PostgreSQL comes from $DEALBOT_TEST_POSTGRES (default: 127.0.0.1:5432, user postgres, trust),
as for the tests; each scenario creates and drops a database of its own.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.faults.harness import HEADER, fault_seconds, outage, stack  # noqa: E402
from tests.faults.proxy import HANG, REFUSE  # noqa: E402
from tests.faults.scheduler_outage import HEADER_SCHEDULER, scheduler_outages  # noqa: E402
from tests.faults.slack_outage import HEADER_SLACK, slack_outage  # noqa: E402
from tests.faults.test_concurrent_moves import (  # noqa: E402
    test_fifty_concurrent_moves_of_one_deal_lose_no_update_and_answer_everyone as moves,
)
from tests.faults.test_scheduler_kills import (  # noqa: E402
    test_killing_schedulers_mid_send_loses_and_doubles_no_digest as kills,
)


def printed(run, folder: Path) -> str:
    """What a scenario printed (its row), running it quietly."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run(folder)
    return out.getvalue().strip()


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for mode in (REFUSE, HANG):
            with stack() as running:
                rows.append(outage(running, mode, fault_seconds(), Path(folder)).row())
        with stack() as running:
            scheduler = [f.row() for f in scheduler_outages(running, (REFUSE, HANG),
                                                            fault_seconds(), Path(folder))]
        with stack() as running:
            slack = [f.row() for f in slack_outage(running, fault_seconds(), Path(folder))]
        digests = printed(kills, Path(folder))
        concurrent = printed(moves, Path(folder))
    print(HEADER)
    print("\n".join(rows))
    print()
    print(HEADER_SCHEDULER)
    print("\n".join(scheduler))
    print()
    print(HEADER_SLACK)
    print("\n".join(slack))
    print()
    print(digests)
    print()
    print(concurrent)


if __name__ == "__main__":
    main()
