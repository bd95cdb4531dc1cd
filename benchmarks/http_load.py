"""How many Slack requests `dealbot serve` answers, how fast, and when the user sees the
work, on PostgreSQL with a large pipeline. Not a test: run it by hand,

    .venv/bin/python benchmarks/http_load.py [--deals 100000] [--connections 16]
        [--duration 20] [--scenarios show,move,click,pipeline,mix] [--keep]
        [--workers N] [--database-url URL] [--json FILE] [--note TEXT]

It makes a PostgreSQL database on 127.0.0.1:5432 (or uses --database-url; --keep keeps
`dealbot_bench_http_<deals>` for the next run), `dealbot db upgrade`s it, imports a
generated history with `dealbot import deals` and runs VACUUM ANALYZE (as autovacuum would;
a kept database then starts each run without the dead rows of the moves before). Then,
against a local stand-in for Slack's Web API and response_urls, it runs a fresh
`dealbot serve --no-scheduler` (with --workers N, `serve --workers N` on gunicorn) per
scenario and sends signed requests as Slack does from a load generator in its own process.
The anchor, a bare Bolt app that only acks (benchmarks/_load/anchor.py), is measured at the
start and the end of the same run; Dealbot's req/s is printed as a ratio to it.

A quick answer is the ack's own body; slow work is acked first and answered after, so the
HTTP answer alone says little: the second table is the work as users see it, the message an
ack carried or else the first response_url post of each request.
The app is driven only through its command line, environment and HTTP.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _load import history, servers, stats
from _load import postgres as pg
from _load.generator import Load, Result, run_in_child
from _load.standin import StandIn

SCENARIOS = ("show", "move", "click", "pipeline", "mix")
ANCHOR_TEXT = ("a bare sync slack_bolt.App whose listeners only ack(), under waitress "
               "(8 threads) with SlackRequestHandler, same signing secret, own process; "
               "sent the mix")


@contextmanager
def database(args: argparse.Namespace, work: Path) -> Iterator[str]:
    """The database to load: --database-url, the kept one, or a new one dropped after."""
    name = None
    if args.database_url:
        url = pg.plain_url(args.database_url)
    else:
        name = f"dealbot_bench_http_{args.deals}" if args.keep else f"dealbot_bench_{os.getpid()}"
        if not pg.exists(name):
            pg.create(name)
        url = f"{pg.SERVER}/{name}"
    try:
        pg.dealbot(url, "db", "upgrade", cwd=work)
        if pg.count(url, "deals") == 0:
            path = history.deals_csv(work / "deals.csv", count=args.deals,
                                     now=datetime.now(UTC))
            seconds = pg.import_file(url, "deals", path, cwd=work)
            print(f"imported {args.deals:,} deals with `dealbot import deals` in {seconds:.0f} s")
        else:
            print(f"reusing the deals in {url} (moves and clicks of earlier runs included)")
        pg.vacuum(url)
        yield url
    finally:
        if name is not None and not args.keep:
            pg.drop(name)


def open_deals(url: str, work: Path) -> dict[int, str]:
    """Open deal number: stage, from `dealbot export deals` (ids D<n> were imported as #n)."""
    path = work / "export.csv"
    pg.dealbot(url, "export", "deals", "--team", pg.TEAM, "--output", str(path), cwd=work)
    with path.open(encoding="utf-8") as rows:
        return {int(row["id"][1:]): row["stage"] for row in csv.DictReader(rows)
                if row["id"].startswith("D") and row["stage"] in history.OPEN}


def generate(load: Load, slack: StandIn | None = None) -> Result:
    """Runs the load generator in a process of its own (spawned: no threads are forked); the
    answers that acks carried are handed to the stand-in as the requests' answers."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=run_in_child, args=(load, results))
    child.start()
    result: Result = results.get(timeout=load.duration + load.timeout + 300)
    child.join()
    if slack is not None:
        slack.record_acks(result.sent, result.acked_cards or [])
    return result


def settle(slack: StandIn, result: Result, seconds: float) -> float:
    """Waits up to `seconds` for the work of every request sent; returns the wait."""
    rids, start = {s.rid for s in result.sent}, time.monotonic()
    while time.monotonic() - start < seconds and slack.answered(rids) < len(rids):
        time.sleep(0.2)
    return time.monotonic() - start


def measure_anchor(args: argparse.Namespace, base: Load, url: str, slack: StandIn,
                   work: Path) -> dict[str, Any]:
    with servers.anchor(url, base.secret, slack.api_url, work) as anchor:
        warm = Load(**{**vars(base), "port": anchor.port, "scenario": "mix", "connections": 1,
                       "max_requests": 50, "tag": "anchor-warm"})
        generate(warm)
        load = Load(**{**vars(base), "port": anchor.port, "scenario": "mix", "tag": "anchor"})
        figures = stats.http_figures(generate(load), args.duration)
    print(f"  anchor: {figures['req_per_s']:,} req/s, p99 {figures['p99_ms']} ms, "
          f"generator CPU {figures['generator_cpu']:.0%}", flush=True)
    return figures


def fill_cards(base: Load, url: str, slack: StandIn, work: Path, wanted: int = 300) -> None:
    """Shows deals that have an advance button until the stand-in holds `wanted` cards."""
    wanted = min(wanted, len(base.open_stages) // 3)
    with servers.dealbot(url, base.secret, slack.api_url, work) as app:
        for round_ in range(20):
            if len(slack.cards) >= wanted:
                break
            result = generate(Load(**{**vars(base), "port": app.port, "scenario": "prep",
                                      "connections": 4, "duration": 3, "tag": f"prep{round_}"}),
                              slack)
            settle(slack, result, 20)
    cards = slack.card_list()
    wrong = [c["number"] for c in cards[:50] if f"D{c['number']}*" not in json.dumps(c["blocks"])]
    if not cards or wrong:
        sys.exit(f"cards do not show the imported deal numbers as expected: {wrong or 'none'}")


def measure(args: argparse.Namespace, base: Load, scenario: str, url: str, slack: StandIn,
            work: Path) -> dict[str, Any]:
    if scenario in ("move", "mix"):  # where the deals are now, after earlier moves and clicks
        base.open_stages = open_deals(url, work)
    with servers.dealbot(url, base.secret, slack.api_url, work, args.workers) as app:
        warm = Load(**{**vars(base), "port": app.port, "scenario": scenario, "connections": 1,
                       "max_requests": 3, "tag": f"{scenario}-warm"})
        settle(slack, generate(warm, slack), 30)
        time.sleep(1)  # the warm-up's Home tab publishes follow its replies
        slack.reset()
        load = Load(**{**vars(base), "port": app.port, "scenario": scenario, "tag": scenario})
        result = generate(load, slack)
        drained = settle(slack, result, args.drain)
        with slack.lock:
            arrivals, outcomes = dict(slack.arrivals), dict(slack.outcomes)
            calls, refusals = slack.calls.copy(), slack.refusals.most_common(3)
        errors = app.errors_logged()
    row = {"scenario": scenario, "http": stats.http_figures(result, args.duration),
           "work": stats.work_figures(result, arrivals, outcomes, calls),
           "drain_s": round(drained, 1), "server_errors_logged": errors,
           "refusals": dict(refusals)}
    h, w = row["http"], row["work"]
    print(f"  {scenario}: {h['req_per_s']:,} req/s, p99 {h['p99_ms']} ms, {h['non_2xx']} non-2xx; "
          f"work never done {w['never']}", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per scenario")
    parser.add_argument("--drain", type=float, default=15.0,
                        help="seconds to wait after the load for work still running")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--workers", type=int, default=0,
                        help="run `dealbot serve --workers N` (gunicorn) instead of one process")
    pg.add_common_options(parser, url_help="use this database (loaded when empty)",
                          kept="dealbot_bench_http_<deals>")
    args = parser.parse_args()
    scenarios = [s for s in args.scenarios.split(",") if s]
    if unknown := set(scenarios) - set(SCENARIOS):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")

    with tempfile.TemporaryDirectory(prefix="dealbot-bench-") as folder, \
            database(args, Path(folder)) as url, StandIn(pg.TEAM) as slack:
        work = Path(folder)
        machine = pg.machine(url)
        deals, events = pg.count(url, "deals"), pg.count(url, "deal_events")
        base = Load(port=0, secret=secrets.token_hex(16), team=pg.TEAM, stand_in=slack.url,
                    scenario="", connections=args.connections, duration=args.duration,
                    deals=deals, open_stages=open_deals(url, work))
        print(f"{deals:,} deals ({len(base.open_stages):,} open), {events:,} deal events",
              flush=True)
        fill_cards(base, url, slack, work)
        anchors = [measure_anchor(args, base, url, slack, work)]
        rows = [measure(args, base, s, url, slack, work) for s in scenarios]
        anchors.append(measure_anchor(args, base, url, slack, work))
    anchor_rps = sum(a["req_per_s"] for a in anchors) / len(anchors)
    for row in rows:
        row["ratio"] = round(row["http"]["req_per_s"] / anchor_rps, 3)
    machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print_tables(args, machine, deals, events, anchors, rows)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "machine": machine, "deals": deals, "deal_events": events,
            "connections": args.connections, "duration_s": args.duration, "note": args.note,
            "anchor": {"what": ANCHOR_TEXT, "runs": anchors, "req_per_s": round(anchor_rps, 1)},
            "scenarios": rows}, indent=2))


def print_tables(args: argparse.Namespace, machine: dict[str, Any], deals: int, events: int,
                 anchors: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    print(f"\nDealbot over HTTP: {deals:,} deals, {events:,} deal events, PostgreSQL; "
          f"c{args.connections}, {args.duration:g} s per scenario, a fresh server each"
          + (f" (`serve --workers {args.workers}`)" if args.workers else " (`serve`, one process)"))
    print(pg.machine_line(machine) + f", {' '.join(map(str, machine['load_average_end']))} at end")
    if args.note:
        print(f"note: {args.note}")
    print(f"anchor: {ANCHOR_TEXT}: " + " and ".join(
        f"{a['req_per_s']:,} req/s (generator CPU {a['generator_cpu']:.0%})" for a in anchors)
        + " (start, end)")
    print("\nHTTP answers (gen CPU: the load generator's own CPU, of one core)")
    print("\n".join(stats.http_table(rows)))
    print(f"\nWork as users see it: the message the ack carried, else the first response_url "
          f"post of each request, from the request's start (never: not within the run and "
          f"{args.drain:g} s after)")
    print("\n".join(stats.work_table(rows)))
    for row in rows:
        calls = ", ".join(f"{m} {n}" for m, n in row["work"]["web_api_per_request"].items())
        extra = (f"; clicks on an already clicked card {row['work']['clicked_again']}"
                 if row["work"]["clicked_again"] else "")
        print(f"  {row['scenario']}: Slack calls per request: {calls}; server errors logged "
              f"{row['server_errors_logged']}{extra}")
        for text, n in row["refusals"].items():
            print(f"    refused {n:,}x: {text}")


if __name__ == "__main__":
    main()
