"""The container image, compose.yaml and constraints.txt, checked without a Docker engine:
what `docker build` and `docker compose up` would do with them, read from the files."""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import sys
import threading
from importlib.metadata import distribution, requires
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.cli.main import build_parser
from bot.config import load_settings
from bot.slack_standin import text_of
from bot.slack_standin.signed import sign
from tests.driver import SIGNING_SECRET
from tests.e2e.serving import Server, free_port

ROOT = Path(__file__).parents[1]
SECRET_NAMES = re.compile(r"PASSWORD|SECRET|TOKEN|CLIENT_ID")
TOKEN_LIKE = re.compile(r"xox[abposr]-|xapp-|[0-9a-f]{32}")


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions in order, as (INSTRUCTION, arguments), with the
    continuation lines joined and the comments left out."""
    logical, parts = [], []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if not parts and (not line.strip() or line.lstrip().startswith("#")):
            continue
        parts.append(line.strip().removesuffix("\\").strip())
        if not line.rstrip().endswith("\\"):
            logical.append(" ".join(parts))
            parts = []
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in logical]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def interpolate(value: str, env: dict[str, str]) -> str:
    """`${NAME}`, `${NAME:-default}` and `${NAME:?error}` as Compose fills them in."""
    def one(match: re.Match[str]) -> str:
        name, op, rest = match.group(1), match.group(2), match.group(3)
        if env.get(name):
            return env[name]
        if op == ":?":
            raise AssertionError(rest)
        return rest if op == ":-" else ""
    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", one, value)


# The image.

def test_the_image_is_python_311_slim_with_the_package_installed_within_the_constraints():
    steps = dockerfile()
    assert steps[0] == ("FROM", "python:3.11-slim")
    installs = [i for i, (op, args) in enumerate(steps)
                if op == "RUN" and "pip install" in args and re.search(r"\s\.(\s|$)", args)]
    assert installs, "no RUN pip install . in the Dockerfile"
    install = steps[installs[-1]][1]
    assert re.search(r"(-c|--constraint)[ =]constraints\.txt", install), install
    copied = [i for i, (op, args) in enumerate(steps) if op == "COPY" and "constraints.txt" in
              args.split()]
    assert copied and copied[0] < installs[-1]


def test_the_image_runs_dealbot_serve_as_an_unprivileged_user_on_the_exposed_port():
    steps = dockerfile()
    users = [(i, args) for i, (op, args) in enumerate(steps) if op == "USER"]
    last_run = max(i for i, (op, _) in enumerate(steps) if op == "RUN")
    assert users and users[-1][0] > last_run  # nothing runs as root after the switch
    assert users[-1][1].split(":")[0] not in ("root", "0")
    assert json.loads(dict(steps)["CMD"]) == ["dealbot", "serve"]
    assert dict(steps)["EXPOSE"] == "3000" and "PORT=3000" in dict(steps)["ENV"].split()


def test_no_secret_is_baked_into_the_image_and_dotenv_never_reaches_the_build():
    for op, args in dockerfile():
        if op in ("ENV", "ARG", "LABEL"):
            assert not SECRET_NAMES.search(args) and not TOKEN_LIKE.search(args), args
        if op in ("COPY", "ADD"):
            assert ".env" not in args.split()
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored and ".git" in ignored and ".venv" in ignored


def healthcheck() -> list[str]:
    args = dict(dockerfile())["HEALTHCHECK"]
    assert "--interval=" in args and "--timeout=" in args
    command = json.loads(args.split(" CMD ", 1)[1])
    assert command[0] == "python" and "curl" not in args and "/healthz" in args
    return [sys.executable, *command[1:]]


def run_healthcheck(port: int) -> int:
    return subprocess.run(healthcheck(), env={"PORT": str(port)}, capture_output=True,
                          timeout=30).returncode


def test_the_readmes_first_start_passes_the_healthcheck_slacks_verification_and_help(
        slack, tmp_path):
    """The set-up as the README orders it, from an empty directory: `dealbot serve` on a new
    SQLite file is healthy for the image's check, answers Slack's Request URL verification,
    and answers `/deal help`."""
    server = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}",
                     "SLACK_API_URL": slack.api_url}, tmp_path)
    try:
        assert run_healthcheck(server.port) == 0
        challenge = {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": "3eZbrw1aBm2rZgRNFd",
                     "type": "url_verification"}
        status, body = sign(json.dumps(challenge), signing_secret=SIGNING_SECRET,
                            content_type="application/json").post(server.base + "/slack/events")
        assert status == 200 and json.loads(body) == {"challenge": "3eZbrw1aBm2rZgRNFd"}
        answer = server.ask(slack, "help", "help")
        assert answer["response_type"] == "ephemeral" and "/deal move" in text_of(
            answer["blocks"])
    finally:
        server.stop()


class Unhealthy(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # what /healthz answers while the database is down
        self.send_response(503 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_the_image_healthcheck_fails_on_a_503_and_when_nothing_answers():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unhealthy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert run_healthcheck(server.server_address[1]) != 0
    finally:
        server.shutdown()
        server.server_close()
    assert run_healthcheck(free_port()) != 0


# compose.yaml.

@pytest.fixture(scope="module")
def services() -> dict:
    return compose()["services"]


def test_compose_runs_postgres_a_migration_the_web_server_and_a_separate_scheduler(services):
    assert set(services) == {"db", "migrate", "web", "scheduler"}
    assert services["db"]["image"].startswith("postgres:")
    commands = {name: services[name]["command"] for name in ("migrate", "web", "scheduler")}
    assert commands == {"migrate": ["dealbot", "db", "upgrade"],
                        "web": ["dealbot", "serve", "--no-scheduler"],
                        "scheduler": ["dealbot", "scheduler"]}
    for command in commands.values():  # each is a command this version of dealbot has
        build_parser().parse_args(command[1:])
    assert all(services[name]["build"] == "." for name in commands)


def test_compose_keeps_the_database_in_a_named_volume_and_checks_its_health(services):
    volumes = compose()["volumes"]
    source, target = services["db"]["volumes"][0].split(":")
    assert source in volumes and target == "/var/lib/postgresql/data"
    check = services["db"]["healthcheck"]["test"]
    assert check[0] == "CMD" and "pg_isready" in check


def test_the_app_waits_for_a_healthy_database_and_a_finished_migration(services):
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "scheduler"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"}}
    assert services["scheduler"]["healthcheck"] == {"disable": True}  # no HTTP to ask
    assert "healthcheck" not in services["web"]  # the image's /healthz check
    assert services["web"]["ports"] == ["127.0.0.1:3000:3000"]


def test_compose_reads_secrets_from_dotenv_and_holds_none_itself(services):
    text = (ROOT / "compose.yaml").read_text()
    assert not TOKEN_LIKE.search(text)
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAMES.search(key):
                assert re.fullmatch(r"\$\{\w+(:\?[^}]*)?\}", value), (name, key)
            assert not key.startswith("SLACK_"), (name, key)  # those come from .env
        if name != "db":
            assert service["env_file"] == ".env"
    url = services["web"]["environment"]["DATABASE_URL"]
    assert re.search(r":\$\{POSTGRES_PASSWORD:\?[^}]*\}@", url), url


def test_the_apps_database_url_is_the_compose_database(services):
    """With .env's password filled in, every dealbot service reaches the db service as the
    user and database it creates."""
    env = {"POSTGRES_PASSWORD": "s3cretpassw0rd"}
    db = {k: interpolate(v, env) for k, v in services["db"]["environment"].items()}
    for name in ("migrate", "web", "scheduler"):
        environment = {k: interpolate(v, env) for k, v in services[name]["environment"].items()}
        settings = load_settings(environment, env_file=None)
        url = settings.database_url
        assert url == (f"postgresql+psycopg://{db['POSTGRES_USER']}:{db['POSTGRES_PASSWORD']}"
                       f"@db:5432/{db['POSTGRES_DB']}"), name
    with pytest.raises(AssertionError, match="POSTGRES_PASSWORD"):
        interpolate(services["web"]["environment"]["DATABASE_URL"], {})
    example = (ROOT / ".env.example").read_text()
    assert re.search(r"^POSTGRES_PASSWORD=$", example, re.M)


# constraints.txt.

def runtime_packages() -> set[str]:
    """Every package `pip install .` brings in: Dealbot's requirements, theirs, and those of
    the extras asked for (sqlalchemy[asyncio], psycopg[binary])."""
    found: set[str] = set()
    expanded: set[tuple[str, str]] = set()
    todo = [(Requirement(line), "") for line in requires("dealbot") or []]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        found.add(name)
        for wanted in ("", *requirement.extras):
            if (name, wanted) not in expanded:
                expanded.add((name, wanted))
                todo += [(Requirement(line), wanted)
                         for line in distribution(name).requires or []]
    return found


def pins() -> dict[str, str]:
    lines = [line.split("#")[0].strip()
             for line in (ROOT / "constraints.txt").read_text().splitlines()]
    parsed = [line.split("==") for line in lines if line]
    assert all(len(p) == 2 for p in parsed), "every line pins one version: name==version"
    return {canonicalize_name(name): version for name, version in parsed}


# Pinned beyond the runtime: the property tests' library and what it needs, so that CI
# generates the same kinds of examples.
TEST_PINS = {"hypothesis", "sortedcontainers"}


def test_constraints_pin_every_runtime_package_and_only_those():
    assert set(pins()) == runtime_packages() | TEST_PINS
    test_extra = [Requirement(line) for line in requires("dealbot") or []
                  if "extra" in str(Requirement(line).marker or "")]
    assert "hypothesis" in {canonicalize_name(r.name) for r in test_extra}


def test_every_pinned_version_is_allowed_by_pyproject():
    pinned = pins()
    for line in requires("dealbot") or []:
        requirement = Requirement(line)
        if "extra" in str(requirement.marker or ""):
            continue
        version = pinned[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), (requirement, version)

