"""PNG charts of an audit report: impact and exposure ratios per group, before and after."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["chart_png", "drawable_labels", "write_charts"]

_STAGE_LABELS = {"model": "model order", "priority": "after priority", "final": "after fairness"}


# Fonts that draw Chinese group labels (ethnicity, origin), where the system has one.
_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Source Han Sans SC",
)


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in _CJK_FONTS if n in names), None)


def drawable_labels(labels: Sequence[str]) -> list[str]:
    """``labels`` as a chart can draw them.

    With a CJK font where the system has one (made matplotlib's first choice, once); without
    one, a list holding text no installed font draws becomes ``#1``, ``#2``... in its order.
    """
    import matplotlib.pyplot as plt

    font = _cjk_font()
    if font is not None:
        if plt.rcParams["font.sans-serif"][:1] != [font]:
            plt.rcParams["font.sans-serif"] = [font, *plt.rcParams["font.sans-serif"]]
        return list(labels)
    if all(s.isascii() for s in labels):
        return list(labels)
    return [f"#{i}" for i in range(1, len(labels) + 1)]


def _tick_labels(groups: list[str], pooled: list[int]) -> list[str]:
    """Group names under the bars, with each group's pool."""
    names = drawable_labels(groups)
    return [f"{name}\n(n={n})" for name, n in zip(names, pooled, strict=True)]


def _chart(
    attribute: str, section: dict[str, Any], stages: list[str], k: int, target: Path | BinaryIO
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    groups = list(section["groups"])  # largest pool first, as the report lists them
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    width = 0.8 / len(stages)
    x = np.arange(len(groups))
    for ax, metric, title in (
        (axes[0], "impact_ratio", f"impact ratio in the top {k}"),
        (axes[1], "exposure_ratio", f"exposure ratio in the top {k}"),
    ):
        for i, stage in enumerate(stages):
            values = [section["groups"][g]["stages"][stage][metric] or 0.0 for g in groups]
            offset = (i - (len(stages) - 1) / 2) * width
            ax.bar(x + offset, values, width, label=_STAGE_LABELS.get(stage, stage))
        ax.axhline(0.8, color="black", linestyle="--", linewidth=1)
        ax.set_xticks(x, _tick_labels(groups, [section["groups"][g]["pooled"] for g in groups]))
        ax.set_ylim(0, 1.05)
        ax.set_title(title)
    axes[0].set_ylabel("ratio to the best-served group (0.8 = four-fifths)")
    axes[1].legend(loc="lower right", fontsize=8)
    below = section["four_fifths"]["below"]
    fig.suptitle(
        f"{attribute}: "
        + (f"below four-fifths: {', '.join(below)}" if below else "no group below four-fifths")
    )
    fig.tight_layout()
    fig.savefig(target, format="png", dpi=110)
    plt.close(fig)


def write_charts(report: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """One PNG per attribute of a report's data in ``out_dir`` (``audit_<attribute>.png``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for attribute, section in report["attributes"].items():
        path = out / f"audit_{attribute}.png"
        _chart(attribute, section, report["stages"], report["k"], path)
        written.append(path)
    return written


def chart_png(report: dict[str, Any], attribute: str) -> bytes:
    """The PNG chart of one attribute of a report's data, as bytes (for the operator endpoint).

    Raises
    ------
    KeyError
        The report has no section for ``attribute``.
    """
    buffer = io.BytesIO()
    _chart(attribute, report["attributes"][attribute], report["stages"], report["k"], buffer)
    return buffer.getvalue()
