"""`dealbot scheduler` while PostgreSQL refuses connections, then goes silent, as digests
fall due (one of them being posted at that moment): the process lives through both without a
restart, and once the database is back every due digest is in its channel exactly once and
recorded in the ledger."""

from __future__ import annotations

from tests.faults.harness import fault_seconds, stack
from tests.faults.proxy import HANG, REFUSE
from tests.faults.scheduler_outage import HEADER_SCHEDULER, scheduler_outages


def test_the_scheduler_survives_the_database_refusing_then_hanging(tmp_path):
    with stack() as running:
        results = scheduler_outages(running, (REFUSE, HANG), fault_seconds(3), tmp_path)
    print(f"\n{HEADER_SCHEDULER}\n" + "\n".join(f.row() for f in results))
    for figures in results:
        assert figures.due == 4, figures.row()
        assert (figures.posted, figures.lost, figures.duplicated) == (4, 0, 0), figures.row()
        assert figures.recorded == 4, figures.row()  # the one under way included
        assert figures.runs_failed > 0, figures.row()  # the fault did reach the scheduler
        assert figures.alive and figures.exit_status == 0, figures.row()
