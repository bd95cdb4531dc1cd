"""The pipeline summary and the funnel report, end to end through the command line, against
hand-written SQL for their core figures, as the history grows. Not a test: run it by hand,

    .venv/bin/python benchmarks/report_sql.py [--sizes 100000,350000,1000000] [--runs 5]
        [--keep] [--database-url URL] [--json FILE] [--note TEXT]

For each size (deal events, about 3.5 a deal, and a quarter as many leads as deals with
their funnel history) it fills a PostgreSQL database of its own through `dealbot import
leads` and `dealbot import deals` (--keep keeps them for the next run), runs VACUUM ANALYZE
as autovacuum would soon after a large import, then times
`dealbot report pipeline --format json --as-of T` and
`dealbot report funnel --format json --week W --tz UTC` as processes (median of --runs; their
peak RSS and output size), `dealbot --help` (the start-up every command pays), and the
statements of benchmarks/_load/reference.py over an open connection. It also times the report
computation itself, in this process: the same report functions the command calls, in one
transaction over an open connection, to their JSON data (median of --runs, taken in turns with
the reference so that both see the same machine load). It checks that the reference's figures
equal the app's JSON and says so loudly when they do not. The reference covers the stage lines
now (pipeline) and the week's entered counts (funnel); the app's reports compute more (the
previous period, activity, attention lists; cohort, sources, wins and losses, medians).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from _load import history, reference
from _load import postgres as pg

LEADS_PER_DEAL = 0.25


def grow(url: str, size: int, work: Path) -> None:
    """Imports what the database lacks to hold about `size` deal events."""
    now = datetime.now(UTC)
    deals = round(size / history.EVENTS_PER_DEAL)
    leads = round(deals * LEADS_PER_DEAL)
    have_deals, have_leads = pg.count(url, "deals"), pg.count(url, "leads")
    if have_leads < leads:
        path = history.leads_csv(work / "leads.csv", count=leads - have_leads, now=now,
                                 prefix=f"L{size}-", seed=size)
        seconds = pg.import_file(url, "leads", path, cwd=work)
        print(f"  imported {leads - have_leads:,} leads in {seconds:.0f} s", flush=True)
    if have_deals < deals:
        path = history.deals_csv(work / "deals.csv", count=deals - have_deals, now=now,
                                 prefix=f"D{size}-", seed=size)
        seconds = pg.import_file(url, "deals", path, cwd=work)
        print(f"  imported {deals - have_deals:,} deals in {seconds:.0f} s", flush=True)


TIME = "/usr/bin/time"  # GNU time: the peak RSS of the process it starts, and only of it


def run_cli(url: str, args: list[str], work: Path) -> tuple[float, int, bytes]:
    """One `dealbot ARGS` process: seconds, peak RSS in KiB, standard output.

    The peak RSS comes from GNU time when installed. Without it, from wait4(), which on Linux
    also counts the size of this script at the fork: an upper bound (the script keeps small)."""
    out, err = work / "out.json", work / "err.txt"
    measured = [TIME, "-f", "%M"] if Path(TIME).exists() else []
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen([*measured, pg.DEALBOT, *args], env=pg.app_env(url), cwd=work,
                                 stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"`dealbot {' '.join(args)}` failed with {child.returncode}:\n{err.read_text()}")
    peak = int(err.read_text().split()[-1]) if measured else usage.ru_maxrss
    return seconds, peak, out.read_bytes()


def timed(runs: int, once: Any) -> tuple[list[float], Any]:
    times, last = [], None
    for _ in range(runs):
        start = time.perf_counter()
        last = once()
        times.append(time.perf_counter() - start)
    return times, last


def in_process(url: str, t: datetime, week: date) -> dict[str, Any]:
    """The two reports as the command computes them, as functions of no arguments."""
    from bot.cli.reports import ATTENTION_LISTED
    from storage.db import Database
    from storage.reports.as_data import funnel_data, pipeline_data
    from storage.reports.funnel import funnel_report
    from storage.reports.pipeline import pipeline_summary

    db = Database(pg.app_url(url))

    def pipeline() -> dict[str, Any]:
        with db.transaction() as s:
            return pipeline_data(pipeline_summary(s, team=pg.TEAM, now=t, as_of=t,
                                                  attention_limit=ATTENTION_LISTED))

    def funnel() -> dict[str, Any]:
        with db.transaction() as s:
            return funnel_data(funnel_report(s, team=pg.TEAM, now=t, week=week, timezone="UTC"))

    return {"pipeline": pipeline, "funnel": funnel}


def in_turns(runs: int, app: Any, ref: Any) -> tuple[list[float], list[float]]:
    """Times `app` and `ref` alternately, after one untimed call of each."""
    app(), ref()
    app_times, ref_times = [], []
    for _ in range(runs):
        app_times += timed(1, app)[0]
        ref_times += timed(1, ref)[0]
    return app_times, ref_times


def measure(url: str, runs: int, work: Path, startup: float) -> list[dict[str, Any]]:
    t = datetime.now(UTC).replace(microsecond=0)
    monday = (t - timedelta(days=t.weekday())).replace(hour=0, minute=0, second=0)
    year, week, _ = monday.isocalendar()
    naive = {"t": t.replace(tzinfo=None), "start": monday.replace(tzinfo=None),
             "end": (monday + timedelta(days=7)).replace(tzinfo=None)}
    cli = {"pipeline": ["report", "pipeline", "--format", "json", "--team", pg.TEAM,
                        "--as-of", t.isoformat()],
           "funnel": ["report", "funnel", "--format", "json", "--team", pg.TEAM,
                      "--week", f"{year}-W{week:02d}", "--tz", "UTC"]}
    rows = []
    functions = in_process(url, t, monday.date())
    with psycopg.connect(pg.plain_url(url)) as conn:
        sql = {"pipeline": lambda: reference.pipeline(conn, pg.TEAM, naive["t"]),
               "funnel": lambda: reference.funnel(conn, pg.TEAM, naive["start"], naive["end"])}
        for kind in ("pipeline", "funnel"):
            results = [run_cli(url, cli[kind], work) for _ in range(runs)]
            app_s = statistics.median(r[0] for r in results)
            inside_times, ref_times = in_turns(runs, functions[kind], sql[kind])
            inside_s, ref_s = statistics.median(inside_times), statistics.median(ref_times)
            app = reference.from_app(kind, json.loads(results[-1][2]))
            inside = reference.from_app(kind, functions[kind]())
            ref = sql[kind]()
            rows.append({
                "report": kind, "cli_s": round(app_s, 3),
                "cli_min_max_s": [round(min(r[0] for r in results), 3),
                                  round(max(r[0] for r in results), 3)],
                "sql_ms": round(ref_s * 1000, 1), "ratio": round(app_s / ref_s, 1),
                "ratio_after_startup": round(max(app_s - startup, 0) / ref_s, 1),
                "in_process_ms": round(inside_s * 1000, 1),
                "in_process_ratio": round(inside_s / ref_s, 2),
                "peak_rss_mib": round(max(r[1] for r in results) / 1024, 1),
                "json_bytes": len(results[-1][2]), "matches": app == ref == inside,
                "app": app, "reference": ref})
            report_mismatch(f"{kind} report", app, ref)
            report_mismatch(f"{kind} report computed in this process", inside, ref)
        # not timed: the reference also agrees for the past, where history is looked up
        past = t - timedelta(days=30)
        _, _, out = run_cli(url, cli["pipeline"][:-1] + [past.isoformat()], work)
        rows[0]["matches_30_days_ago"] = report_mismatch(
            "pipeline 30 days ago", reference.from_app("pipeline", json.loads(out)),
            reference.pipeline(conn, pg.TEAM, past.replace(tzinfo=None)))
    return rows


def report_mismatch(what: str, app: list, ref: list) -> bool:
    if app != ref:
        print(f"!!! MISMATCH in the {what}: the app says {app}\n"
              f"!!!   the reference says {ref}", flush=True)
    return app == ref


@contextmanager
def database(args: argparse.Namespace, size: int) -> Iterator[str]:
    """--database-url, the kept database of this size, or a new one dropped after."""
    if args.database_url:
        yield pg.plain_url(args.database_url)
        return
    name = f"dealbot_bench_reports_{size}" if args.keep else f"dealbot_bench_{os.getpid()}_{size}"
    url = f"{pg.SERVER}/{name}" if pg.exists(name) else pg.create(name)
    try:
        yield url
    finally:
        if not args.keep:
            pg.drop(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,350000,1000000",
                        help="deal events, comma-separated, ascending")
    parser.add_argument("--runs", type=int, default=5)
    pg.add_common_options(parser, url_help="use this database (one size; imports what it lacks)",
                          kept="of each size, dealbot_bench_reports_<size>,")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.database_url and len(sizes) > 1:
        parser.error("--database-url takes one size")
    results, machine, startup = [], {}, 0.0
    with tempfile.TemporaryDirectory(prefix="dealbot-bench-") as folder:
        work = Path(folder)
        for size in sizes:
            print(f"size {size:,} deal events:", flush=True)
            with database(args, size) as url:
                pg.dealbot(url, "db", "upgrade", cwd=work)
                if not machine:
                    machine = pg.machine(url)
                    helps = [run_cli(url, ["--help"], work) for _ in range(args.runs)]
                    startup = statistics.median(h[0] for h in helps)
                    machine["startup_rss_mib"] = round(max(h[1] for h in helps) / 1024, 1)
                grow(url, size, work)
                pg.vacuum(url)
                counts = {t: pg.count(url, t)
                          for t in ("deals", "deal_events", "leads", "lead_events")}
                for row in measure(url, args.runs, work, startup):
                    results.append({"size": size, **counts, **row})
    machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print_table(args, machine, startup, results)
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "note": args.note,
                                               "startup_s": startup, "runs": args.runs,
                                               "results": results}, indent=2, default=str))
    if not all(same(r) for r in results):
        sys.exit("!!! the app's figures differ from the reference: see MISMATCH above")


def same(row: dict[str, Any]) -> bool:
    return bool(row["matches"] and row.get("matches_30_days_ago", True))


def print_table(args: argparse.Namespace, machine: dict[str, Any], startup: float,
                results: list[dict[str, Any]]) -> None:
    print(f"\nReports end to end (`dealbot report ... --format json`, median of {args.runs} "
          f"processes) against hand-written SQL (median of {args.runs}, open connection)")
    print(pg.machine_line(machine) + f", {' '.join(map(str, machine['load_average_end']))} at end")
    if args.note:
        print(f"note: {args.note}")
    print(f"start-up of every dealbot command (`dealbot --help`): {startup:.2f} s, peak RSS "
          f"{machine['startup_rss_mib']} MiB")
    print(f"{'report':<9}{'deals':>9}{'deal ev.':>10}{'lead ev.':>10}{'CLI s':>8}{'SQL ms':>9}"
          f"{'ratio':>8}{'-start-up':>10}{'app ms':>9}{'app/SQL':>9}{'RSS MiB':>9}"
          f"{'JSON KB':>9}  check")
    for r in results:
        print(f"{r['report']:<9}{r['deals']:>9,}{r['deal_events']:>10,}{r['lead_events']:>10,}"
              f"{r['cli_s']:>8.2f}{r['sql_ms']:>9.1f}{r['ratio']:>8.1f}"
              f"{r['ratio_after_startup']:>10.1f}{r['in_process_ms']:>9.1f}"
              f"{r['in_process_ratio']:>9.2f}{r['peak_rss_mib']:>9.1f}"
              f"{r['json_bytes'] / 1024:>9,.0f}  {'same figures' if same(r) else 'MISMATCH'}")
    print("ratio: CLI median / SQL median; -start-up: (CLI - start-up) / SQL; app ms: the report "
          "computed in this process (one transaction, to its JSON data), median, in turns with "
          "the SQL;\napp/SQL: app ms / SQL ms. The reference computes the stage lines now "
          "(pipeline) and the week's entered counts (funnel) only;\n"
          "check: the app's JSON has the reference's figures (pipeline: also 30 days ago).")


if __name__ == "__main__":
    main()
