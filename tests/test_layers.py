"""The three floors: bot -> handlers -> storage, imports only downward."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
FORBIDDEN = {
    "storage": ("bot", "handlers", "slack_bolt", "slack_sdk"),
    "handlers": ("bot", "sqlalchemy", "alembic"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("floor", sorted(FORBIDDEN))
def test_a_floor_never_imports_the_floors_above_it_or_the_wrong_libraries(floor):
    offences = []
    for path in sorted((ROOT / floor).rglob("*.py")):
        for name in _imports(path):
            if name.split(".")[0] in FORBIDDEN[floor]:
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []
