"""Package-level contract of ranking: exports and dependency boundaries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ranking

PACKAGE_DIR = Path(ranking.__file__).resolve().parent


def test_all_is_sorted_and_importable() -> None:
    assert ranking.__all__ == sorted(ranking.__all__)
    for name in ranking.__all__:
        assert hasattr(ranking, name), name


def test_ships_py_typed() -> None:
    assert (PACKAGE_DIR / "py.typed").is_file()


def test_never_imports_matching_or_embeddings() -> None:
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            assert not {"matching", "embeddings", "service"} & set(roots), path.name
    code = (
        "import sys, ranking; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('matching', 'embeddings')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE_DIR.parent, timeout=120)
