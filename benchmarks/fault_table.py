"""Prints the fault table: each scenario of the fault suite (tests/faults/) run on the local
PostgreSQL, and what was observed from outside.

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
        digests = printed(kills, Path(folder))
        concurrent = printed(moves, Path(folder))
    print(HEADER)
    print("\n".join(rows))
    print()
    print(digests)
    print()
    print(concurrent)


if __name__ == "__main__":
    main()
