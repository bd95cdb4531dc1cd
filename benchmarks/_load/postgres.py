"""The benchmark's PostgreSQL database, the `dealbot` command line run against it, and a few
facts about the machine for the printed header.

Databases are made on 127.0.0.1:5432 as user postgres (trust auth, as on the team's machines)
or reused from a URL. The app runs as the `dealbot` program beside this Python (report_sql.py
also calls its report functions in-process, to time the computation without start-up).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import psycopg

SERVER = "postgresql://postgres@127.0.0.1:5432"
DEALBOT = str(Path(sys.executable).parent / "dealbot")
TEAM = "TBENCH"


def app_url(url: str) -> str:
    """The SQLAlchemy URL for DATABASE_URL (psycopg 3 driver)."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def plain_url(url: str) -> str:
    """The libpq URL for psycopg, from either spelling."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def exists(name: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


def create(name: str) -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def drop(name: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scalar(url: str, sql: str, params: tuple = ()) -> object:
    with psycopg.connect(plain_url(url)) as conn:
        row = conn.execute(sql, params).fetchone()
        return row[0] if row else None


def count(url: str, table: str) -> int:
    """Rows in one of the app's tables, 0 when the schema is not there yet."""
    try:
        return int(scalar(url, f"SELECT count(*) FROM {table}"))  # type: ignore[arg-type]
    except psycopg.errors.UndefinedTable:
        return 0


def vacuum(url: str) -> None:
    """VACUUM ANALYZE, as autovacuum would soon after an import or a run's writes (it is off
    on some machines here: a kept database would carry every earlier run's dead rows)."""
    with psycopg.connect(plain_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def app_env(url: str, **extra: str) -> dict[str, str]:
    """The environment of a dealbot process: this one's, minus anything Slack or database
    related it may carry, plus the database."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "DEALBOT_", "DATABASE_URL", "PORT"))}
    env.update(DATABASE_URL=app_url(url), **extra)
    return env


def dealbot(url: str, *args: str, cwd: str | Path, **env: str) -> subprocess.CompletedProcess:
    """Runs `dealbot ARGS` to completion; stops the benchmark with its output if it fails."""
    done = subprocess.run([DEALBOT, *args], env=app_env(url, **env), cwd=cwd,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"`dealbot {' '.join(args)}` failed ({done.returncode}):\n"
                 f"{done.stdout}{done.stderr}")
    return done


def import_file(url: str, kind: str, path: Path, *, cwd: str | Path) -> float:
    """`dealbot import KIND FILE --team TBENCH`; returns the seconds it took."""
    start = time.perf_counter()
    dealbot(url, "import", kind, str(path), "--team", TEAM, cwd=cwd)
    return time.perf_counter() - start


def machine(url: str) -> dict[str, object]:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    version = str(scalar(url, "SHOW server_version"))
    return {"cores": os.cpu_count(), "cpu": model, "postgresql": version,
            "jit": str(scalar(url, "SHOW jit")), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def machine_line(info: dict[str, object]) -> str:
    return (f"machine: {info['cores']} cores, {info['cpu']}, PostgreSQL {info['postgresql']} "
            f"(jit {info['jit']}), Python {info['python']}, load average "
            f"{' '.join(map(str, info['load_average']))} at start")  # type: ignore[arg-type]


def add_common_options(parser: argparse.ArgumentParser, *, url_help: str, kept: str) -> None:
    """The options both benchmarks share: where the data lives, and what to print."""
    parser.add_argument("--database-url", help=url_help)
    parser.add_argument("--keep", action="store_true",
                        help=f"keep the database {kept} for the next run")
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    parser.add_argument("--note", default="", help="a line printed with the figures")
