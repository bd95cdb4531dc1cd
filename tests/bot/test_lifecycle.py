"""Stopping: the work under way finishes before the process goes (bot.lifecycle); the real
processes are stopped in tests/e2e/test_shutdown.py."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.lifecycle import Background, stop_scheduler
from handlers.home_refresh import HomeRefresh
from handlers.slow_work import SlowWork


def test_stopping_waits_for_the_report_under_way_and_publishes_waiting_home_tabs():
    release, published, answered = threading.Event(), [], []
    background = Background(SlowWork(), HomeRefresh(interval=60))
    posted = threading.Event()
    background.outbox.send(lambda: (release.wait(10), posted.set()))
    assert background.slow_work.submit(lambda: (release.wait(10), answered.append("report")))
    background.home_refresh.request("U1", lambda notice: published.append("U1"))
    assert background.home_refresh.wait_until_idle(10)
    background.home_refresh.request("U1", lambda notice: published.append("U1 again"))
    stopper = threading.Thread(target=background.stop)
    stopper.start()
    stopper.join(0.2)
    assert stopper.is_alive() and answered == []  # the report holds the stop
    release.set()
    stopper.join(10)
    assert not stopper.is_alive()
    assert answered == ["report"]
    assert published == ["U1", "U1 again"]  # the second, due a minute later, went out too
    assert posted.is_set()  # the activity line too
    assert background.slow_work.submit(lambda: None) is False  # nothing new is taken


def test_the_scheduler_stops_after_the_run_under_way():
    running, release, finished = threading.Event(), threading.Event(), []
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(lambda: (running.set(), release.wait(10), finished.append(1)),
                      "interval", hours=1, next_run_time=datetime.now(UTC))
    scheduler.start()
    assert running.wait(10)
    stopper = threading.Thread(target=stop_scheduler, args=(scheduler,))
    stopper.start()
    stopper.join(0.2)
    assert stopper.is_alive()
    release.set()
    stopper.join(10)
    assert finished == [1] and not stopper.is_alive()
    stop_scheduler(scheduler)  # a second stop does nothing
