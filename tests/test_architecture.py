"""The shape of the code: no import cycles, the layer rules of the design, complete exports.

Every import statement counts, wherever it is: at module level, under ``TYPE_CHECKING``, or
inside a function. A cycle hidden in any of those places fails here.
"""

from __future__ import annotations
import __future__

import ast
import importlib
import pkgutil
import types
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("matching", "embeddings", "ranking", "service")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    # A package's own __init__ is its level-1 anchor; a plain module's is its package.
    anchor = base if _is_package(importer) else base[:-1]
    anchor = anchor[: len(anchor) - (node.level - 1)]
    return ".".join(anchor + ([node.module] if node.module else []))


def imports_of(name: str) -> list[tuple[str, list[str], int]]:
    """``(module, imported names, line)`` for every import statement of a module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            out.append((_resolve(name, node), [a.name for a in node.names], node.lineno))
    return out


def _graph() -> dict[str, set[str]]:
    """Module -> the internal modules it imports (``from pkg import submodule`` included)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for name in MODULES:
        for module, names, _ in imports_of(name):
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
            if module in MODULES and len(targets) < len(names or [None]):
                targets.append(module)
            edges[name].update(t for t in targets if t != name)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(MODULES):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_hidden_imports() -> None:
    # The parser must find imports inside functions and TYPE_CHECKING blocks, or the
    # cycle test below would pass for the wrong reason.
    tree = ast.parse("if TYPE_CHECKING:\n    from a import b\ndef f():\n    import c\n")
    found = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert len(found) == 2
    assert _cycles({"matching.engine": {"matching.state"}, "matching.state": {"matching.engine"}})


def test_no_import_cycle_between_modules() -> None:
    assert _cycles(_graph()) == []


def test_subpackages_of_matching_form_a_layered_order() -> None:
    # Collapsed to matching's subpackages (and top-level modules), imports still never loop.
    def unit(name: str) -> str:
        parts = name.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 else name

    collapsed: dict[str, set[str]] = defaultdict(set)
    for source, targets in _graph().items():
        if not source.startswith("matching."):
            continue
        for target in targets:
            if target.startswith("matching.") and unit(target) != unit(source):
                collapsed[unit(source)].add(unit(target))
    assert _cycles(collapsed) == []


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("embeddings", {"matching", "ranking", "service"}),
        ("ranking", {"matching", "embeddings", "service"}),
        ("matching", {"service"}),
    ],
)
def test_layer_rules(package: str, forbidden: set[str]) -> None:
    for name in MODULES:
        if name.split(".")[0] != package:
            continue
        for module, _, line in imports_of(name):
            assert module.split(".")[0] not in forbidden, f"{name}:{line} imports {module}"


def test_service_uses_only_the_facade_public_names() -> None:
    import matching

    public = set(matching.__all__)
    for name in MODULES:
        if not name.startswith("service"):
            continue
        for module, names, line in imports_of(name):
            root = module.split(".")[0]
            if root in ("embeddings", "ranking"):
                pytest.fail(f"{name}:{line} imports {module}")
            if root == "matching":
                assert module == "matching", f"{name}:{line} reaches into {module}"
                assert set(names) <= public, f"{name}:{line}: {set(names) - public} not public"


def _packages() -> list[str]:
    names = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if info.ispkg:
                names.append(info.name)
    return names


@pytest.mark.parametrize("package", _packages())
def test_every_public_name_of_a_package_is_in_all(package: str) -> None:
    # As in httpx: what a package's namespace offers is exactly its sorted __all__.
    module = importlib.import_module(package)
    offered = sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and not isinstance(value, __future__._Feature)
    )
    assert hasattr(module, "__all__"), f"{package} has no __all__"
    assert module.__all__ == sorted(module.__all__), f"{package}.__all__ is not sorted"
    missing = sorted(set(offered) - set(module.__all__))
    assert not missing, f"{package} offers {missing} without listing them in __all__"
    for name in module.__all__:  # names a module provides lazily count once they resolve
        assert getattr(module, name, None) is not None, f"{package}.{name} does not exist"


def _private_names_defined(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {name for name in names if name.startswith("_")}


def test_no_module_reads_another_modules_private_attributes() -> None:
    # ``obj._x`` is allowed only for ``self``/``cls``/``super()`` or where this module itself
    # defines ``_x`` (a class reaching into another instance of itself).
    offences = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = _private_names_defined(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            attr = node.attr
            if not attr.startswith("_") or attr.startswith("__") or attr in own:
                continue
            value = node.value
            if isinstance(value, ast.Name) and value.id in ("self", "cls"):
                continue
            if isinstance(value, ast.Call) and ast.unparse(value.func) == "super":
                continue
            offences.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert offences == []
