"""`dealbot --version`, every command's --help, and `dealbot manifest --url` refusing what
Slack cannot send requests to."""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.cli.main import build_parser, main

ROOT = Path(__file__).parents[3]


def test_version_prints_the_installed_version_which_is_the_projects():
    done = subprocess.run([sys.executable, "-m", "bot.cli", "--version"], capture_output=True,
                          text=True, timeout=30)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"dealbot {project['version']}\n" == f"dealbot {version('dealbot')}\n"


def test_version_loads_no_database_or_slack_code():
    code = ("import sys\nfrom bot.cli.main import main\ntry: main(['--version'])\n"
            "except SystemExit: pass\n"
            "print(sorted(m for m in ('sqlalchemy', 'slack_bolt', 'alembic', 'storage.db') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "[]"


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command line with the words that reach it: `dealbot`, `dealbot db`,
    `dealbot db upgrade`, ..."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from commands(child, (*path, name))


def examples(help_text: str) -> list[str]:
    """The command lines under `examples:` at the end of a --help text."""
    assert "\nexamples:\n" in help_text
    return [line.strip() for line in help_text.split("\nexamples:\n", 1)[1].splitlines()
            if line.strip()]


def argv_of(example: str) -> list[str]:
    """The arguments a shell gives `dealbot` for an example line: without the variables set
    before it and the redirections after it."""
    words = shlex.split(example)
    while "=" in words[0]:
        words.pop(0)
    assert words[0] == "dealbot", example
    cut = [i for i, word in enumerate(words) if word in (">", "<", "|")]
    return words[1:cut[0]] if cut else words[1:]


def test_every_command_has_a_description_and_examples_that_parse_as_written():
    seen = []
    for path, parser in commands(build_parser()):
        text = parser.format_help()
        assert parser.description and len(parser.description) > 40, path
        assert parser.description.split("\n")[0] in text, path  # shown as written
        lines = examples(text)
        assert lines, path
        for line in lines:
            argv = argv_of(line)
            assert tuple(argv[:len(path)]) == path, (path, line)  # an example of this command
            build_parser().parse_args(argv)  # argparse exits on an example that does not parse
        seen.append(" ".join(path))
    assert {"serve", "db upgrade", "manifest", "console", "import", "export", "report",
            "digest send", "scheduler"} <= set(seen)


def test_an_example_that_does_not_parse_is_caught():
    with pytest.raises(SystemExit):
        build_parser().parse_args(argv_of("dealbot report pipline"))


@pytest.mark.parametrize("url", ["http://dealbot.example.com", "http://localhost:3000",
                                 "dealbot.example.com", "ftp://dealbot.example.com",
                                 "https://", "https://dealbot.example.com/?x=1"])
def test_manifest_refuses_a_url_slack_cannot_send_requests_to_in_one_line(url, capsys):
    assert main(["manifest", "--url", url]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("dealbot: --url ") and err.count("\n") == 1 and repr(url) in err


def test_manifest_takes_an_https_url_with_a_path(capsys):
    assert main(["manifest", "--url", "https://apps.example.com/dealbot/"]) == 0
    assert '"url": "https://apps.example.com/dealbot/slack/events"' in capsys.readouterr().out
