"""How every `dealbot` command describes itself: a one-line summary in `dealbot --help`, and
in `dealbot COMMAND --help` a description and examples that run as written.

Nothing here imports the database or Slack code: `dealbot --help` and `--version` stay fast."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any


def add_command(sub: Any, name: str, *, summary: str, description: str,
                examples: Sequence[str]) -> argparse.ArgumentParser:
    """A subcommand whose --help shows `description` as written, then its `examples`."""
    epilog = "examples:\n" + "\n".join(f"  {example}" for example in examples)
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=summary, description=description, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    return parser


class ShowVersion(argparse.Action):
    """`--version`: the installed package's version, read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        from importlib.metadata import version

        print(f"dealbot {version('dealbot')}")
        parser.exit()
