"""`dealbot serve` while PostgreSQL refuses connections, or goes silent, during a stream of
commands and clicks: every request is answered within Slack's 3 s, with a change or with
"nothing was changed"; `/healthz` says 503 during and 200 after; nothing acknowledged is
lost or applied twice; the process lives on and recovers by itself."""

from __future__ import annotations

import pytest

from tests.faults.harness import HEADER, fault_seconds, outage, stack
from tests.faults.proxy import HANG, REFUSE


@pytest.mark.parametrize("mode", [REFUSE, HANG])
def test_serve_survives_the_database_refusing_or_hanging(mode, tmp_path):
    with stack() as running:
        figures = outage(running, mode, fault_seconds(), tmp_path)
    print(f"\n{HEADER}\n{figures.row()}")
    print("\n".join(figures.others))
    assert figures.others == [], figures.others
    assert figures.within_3s == figures.tried > 0
    assert figures.told_nothing_changed > 0 and figures.changed > 0
    assert (figures.lost, figures.duplicated, figures.unacknowledged) == (0, 0, 0)
    assert figures.healthz_503_during and figures.healthz_200_after
    assert figures.healthz_slowest < 3
    assert figures.alive
