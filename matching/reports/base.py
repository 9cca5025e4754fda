"""What every operator report shares: JSON-ready data, CSV rows, PNG charts, one ``write``."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["Report", "left_school", "months_between"]


def left_school(graduation_year: int | None) -> date | None:
    """The day a graduate of ``graduation_year`` is taken to leave school: 1 July."""
    return None if graduation_year is None else date(graduation_year, 7, 1)


def months_between(start: date, end: date) -> float:
    """Whole and part months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days / 30.4375


@dataclass
class Report:
    """An operator report.

    Attributes
    ----------
    name : str
        Used in file names (``<name>.json``, ``<name>.csv``, ``<name>_<chart>.png``).
    data : dict
        The whole report, JSON-ready.
    rows : list of dict
        The table the CSV holds.
    charts : dict of str to callable
        Chart name -> a function drawing it on a matplotlib ``Axes``.
    """

    name: str
    data: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    charts: dict[str, Callable[[Any], None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return self.data

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write the JSON, the CSV and the PNG charts to ``out_dir``; return the paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / f"{self.name}.json"]
        paths[0].write_text(json.dumps(self.data, ensure_ascii=False, indent=2), "utf-8")
        if self.rows:
            path = out / f"{self.name}.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(self.rows[0]))
                writer.writeheader()
                writer.writerows(self.rows)
            paths.append(path)
        for chart, draw in self.charts.items():
            paths.append(self._png(out / f"{self.name}_{chart}.png", draw))
        return paths

    @staticmethod
    def _png(path: Path, draw: Callable[[Any], None]) -> Path:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9, 4.8))
        draw(ax)
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
        return path


def barh(ax: Any, labels: Sequence[str], values: Sequence[float], title: str, xlabel: str) -> None:
    """A horizontal bar chart, first label on top; labels as ``#n`` where no font draws them."""
    from matching.audit.charts import drawable_labels

    shown = drawable_labels(labels)
    ax.barh(range(len(values))[::-1], values)
    ax.set_yticks(range(len(values))[::-1], shown, fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
