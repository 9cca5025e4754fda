"""Each package's ``__all__`` is sorted and names only things that exist."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["matching", "embeddings", "ranking", "service"])
def test_all_is_sorted_and_importable(package: str) -> None:
    module = importlib.import_module(package)
    names = module.__all__
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(module, name), f"{package}.{name} is in __all__ but missing"
