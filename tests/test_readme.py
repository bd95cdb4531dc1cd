"""The README sends readers only to files that are in the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
TOP_FOLDERS = ("bot", "handlers", "storage", "tests", "benchmarks", ".ci")
MADE_BY_THE_READER = {"my-manifest.json"}  # `dealbot manifest --url ... > my-manifest.json`


def named_paths(text: str) -> set[str]:
    """Paths under the repository's folders (`bot/web.py`, `tests/e2e/`), anywhere."""
    folders = "|".join(re.escape(folder) for folder in TOP_FOLDERS)
    return set(re.findall(rf"(?<![\w/.-])((?:{folders})/[\w/.-]*\w/?)", text))


def named_files(text: str) -> set[str]:
    """File names in code spans: `constraints.txt`, `Dockerfile`, `report_sql.py`."""
    spans = re.findall(r"`([^`\n]+)`", text)
    return {span for span in spans
            if re.fullmatch(r"[\w.-]+\.(py|json|txt|toml|yaml|md|example)|Dockerfile|LICENSE|"
                            r"\.dockerignore", span)}


def in_repository(name: str) -> bool:
    if (ROOT / name).exists():
        return True
    return any(".venv" not in path.parts for path in ROOT.rglob(name))


def test_every_file_the_readme_names_is_in_the_repository():
    text = (ROOT / "README.md").read_text()
    missing = sorted(name for name in named_paths(text) | named_files(text)
                     if name not in MADE_BY_THE_READER and not in_repository(name))
    assert missing == []


def test_the_check_finds_names_in_prose_and_in_code_spans():
    text = "see `bot/web.py`, tests/e2e/ and `compose.yaml`; run `dealbot serve`"
    assert named_paths(text) == {"bot/web.py", "tests/e2e/"}
    assert named_files(text) == {"compose.yaml"}
    assert not in_repository("bot/no_such_module.py")
