"""The public names of :mod:`service`."""

from __future__ import annotations

import ast
from pathlib import Path

import service


def test_all_is_sorted_and_complete() -> None:
    assert service.__all__ == sorted(service.__all__)
    assert {"Settings", "create_app", "run"} <= set(service.__all__)
    for name in service.__all__:
        assert hasattr(service, name), name


def test_service_imports_nothing_below_matching() -> None:
    # The service is a face over matching only: never embeddings or ranking directly.
    for path in Path(service.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & {"embeddings", "ranking"}, f"{path.name} imports {roots}"
