"""The values package stays pure: the standard library, the domain errors and Babel's data."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import storage.values


def test_the_values_import_only_the_standard_library_babel_and_the_domain_errors():
    outside = set()
    for path in Path(storage.values.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        outside |= {name for name in imported if name.split(".")[0] not in sys.stdlib_module_names
                    and name.split(".")[0] != "babel" and name != "storage.errors"
                    and not name.startswith("storage.values")}
    assert outside == set()
