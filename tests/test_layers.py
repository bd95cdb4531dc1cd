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


def _unit(module: str) -> str | None:
    """The room a module belongs to: `storage.deals.views` -> `storage.deals`."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] in ("bot", "handlers", "storage") and len(parts) > 1 \
        else None


def test_no_two_rooms_import_each_other_even_through_others():
    """Rooms are a floor's direct children (`storage.deals`, `handlers.commands`, ...); their
    imports form no cycle, so each can be read, and moved, with what is below it."""
    edges: dict[str, set[str]] = {}
    for floor in ("bot", "handlers", "storage"):
        for path in sorted((ROOT / floor).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            source = _unit(module.removesuffix(".__init__"))
            if source is None:
                continue
            for name in _imports(path):
                target = _unit(name)
                if target is not None and target != source:
                    edges.setdefault(source, set()).add(target)
    cycles: list[list[str]] = []

    def visit(unit: str, path: list[str]) -> None:
        for target in sorted(edges.get(unit, ())):
            if target in path:
                cycles.append(path[path.index(target):] + [target])
            elif len(path) < 12:
                visit(target, path + [target])

    for unit in sorted(edges):
        visit(unit, [unit])
    assert cycles == []
