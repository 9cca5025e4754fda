"""The README's Python examples run as written, and its feature table is the code's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.slow
@pytest.mark.parametrize("block", range(len(BLOCKS)))
def test_python_example_runs(
    block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # examples may write an engine directory
    exec(compile(BLOCKS[block], f"README.md python block {block}", "exec"), {})
    if "print(" in BLOCKS[block]:
        assert capsys.readouterr().out.strip()


def test_the_feature_table_is_the_code_s() -> None:
    from matching.features import COLUMNS

    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    ]
    table = {r[0].strip("`"): r for r in rows if len(r) == 3}
    assert list(table) == [c.feature.value for c in COLUMNS]
    for column in COLUMNS:
        _, description, weight = table[column.feature.value]
        assert description == column.description
        assert float(weight) == column.weight


def test_the_licence_the_readme_names_ships_with_the_code() -> None:
    root = Path(__file__).resolve().parents[1]
    assert "Apache-2.0" in (root / "README.md").read_text(encoding="utf-8")
    text = (root / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert 'license = { text = "Apache-2.0" }' in (root / "pyproject.toml").read_text()
