"""Precision and recall of the fair-recruitment check of postings, per category.

On the labelled sets in ``tests/data/postings`` (real Chinese job descriptions labelled by
hand, and postings written for the check; see its README), a posting counts as flagged for a
category when any of its flags is of that category. On the real Lagou postings of
``../shared/data/lagou_data_roles`` (not shipped; skipped when absent), which carry no labels,
the share of postings flagged and what was flagged are reported, for reading by hand.

Writes ``benchmarks/results/posting_checks.json`` and ``posting_checks.md``.

    python benchmarks/run_posting_checks.py
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import write  # noqa: E402  (scripts beside this one)

from matching import check_postings  # noqa: E402

SETS = HERE.parent / "tests" / "data" / "postings"
LAGOU = HERE.parent.parent / "shared" / "data" / "lagou_data_roles" / "lagou.csv"
CATEGORIES = ("discrimination", "fraud")


def _score(rows: list[dict]) -> dict:
    results = check_postings(rows)
    out: dict = {"n_postings": len(rows), "rules": Counter()}
    for category in CATEGORIES:
        tp = fp = fn = 0
        for row, flags in results:
            got = any(f.category == category for f in flags)
            want = category in row["categories"]
            tp, fp, fn = tp + (got and want), fp + (got and not want), fn + (want and not got)
        out[category] = {
            "n_labelled": tp + fn,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    for _, flags in results:
        out["rules"].update(f.rule for f in flags)
    out["rules"] = dict(out["rules"].most_common())
    return out


def _lagou() -> dict | None:
    if not LAGOU.exists():
        return None
    with open(LAGOU, encoding="utf-8-sig") as fh:
        rows = [
            {
                "id": str(n),
                "title": r["positionName"],
                "description": f"{r['positionAdvantage']} 薪资{r['salary']} {r['workYear']} "
                f"{r['education']}",
                "city": r["city"],
            }
            for n, r in enumerate(csv.DictReader(fh))
        ]
    results = check_postings(rows)
    flagged = [(row, flags) for row, flags in results if flags]
    return {
        "n_postings": len(rows),
        "n_flagged": len(flagged),
        "flags": [
            {"id": row["id"], "rule": f.rule, "span": f.span, "text": row["description"][:80]}
            for row, flags in flagged
            for f in flags
        ][:50],
    }


def main() -> None:
    start = time.perf_counter()
    sets = {}
    for path in sorted(SETS.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        sets[path.stem] = _score(rows)
    lagou = _lagou()
    seconds = time.perf_counter() - start
    lines = [
        "# The fair-recruitment check of postings",
        "",
        "Per category, a posting counts as flagged when any of its flags is of that category. "
        "`written_test`, `written_test2` and `written_test3` were each written after the rules "
        "were frozen and run once before any change (first runs, precision / recall): "
        "`written_test` discrimination 0.88 / 1.00 (a clause quoting the law on discrimination "
        "and hepatitis B testing as the job's own work flagged), fraud 1.00 / 1.00; "
        "`written_test2` discrimination 0.93 / 0.93, fraud 0.86 / 0.75 (a phone to buy at hiring "
        "and a 'starter kit' payable before training missed; 'do not add my WeChat' flagged); "
        "`written_test3` discrimination 0.88 / 0.58 (English conditions missed: 'young and "
        "attractive female wanted', 'applicants over 45 need not apply', 'hukou in Shanghai is "
        "a must', 'free of any chronic disease'; and 本县户口), fraud 1.00 / 1.00; `written_test4` "
        "(mostly English, after a round of English rules) discrimination 1.00 / 0.92, fraud "
        "1.00 / 0.75 (3 of 4: 'must deposit 5000 RMB as a guarantee' missed). The rules were "
        "then changed for those cases, so the figures below no longer measure unseen text: the "
        "first runs are the honest estimate, and English is the weaker side. `written_test5` "
        "(40 postings, half Chinese, written after all of that and left as it came out of its "
        "first run, the rules unchanged) discrimination 1.00 / 0.86 (12 of 14; missed: "
        "招聘汉族女性 and 'must be free of hepatitis B'), fraud 1.00 / 1.00 (8 of 8); "
        "`written_test6` (40, written after it, also left as its first run found it) "
        "discrimination 1.00 / 0.93 (13 of 14; missed: 'we prefer men for this position'), "
        "fraud 1.00 / 0.88 (7 of 8; "
        "missed: a recruiter on Telegram and 60,000 RMB a month for an intern). Together, the "
        "two sets written after the last change of the rules: discrimination 1.00 / 0.89 (25 "
        "of 28), fraud 1.00 / 0.94 (15 of 16).",
        "",
        "| set | postings | discrimination P | R | fraud P | R | rules fired |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in sets.items():
        d, f = s["discrimination"], s["fraud"]
        rules = ", ".join(f"{k} {v}" for k, v in s["rules"].items())
        lines.append(
            f"| {name} | {s['n_postings']} | {d['precision']} | {d['recall']} "
            f"| {f['precision']} | {f['recall']} | {rules} |"
        )
    if lagou is not None:
        lines += [
            "",
            f"Real Lagou postings (unlabelled; title, perks, pay, experience and education): "
            f"{lagou['n_flagged']} of {lagou['n_postings']} flagged.",
        ]
        lines += [f"- {x['rule']}: {x['span']!r} in {x['text']!r}" for x in lagou["flags"][:15]]
    lines += ["", f"Run time {seconds:.1f} s.", "", "    python benchmarks/run_posting_checks.py"]
    report = "\n".join(lines) + "\n"
    write("posting_checks", {"sets": sets, "lagou": lagou, "seconds": round(seconds, 1)}, report)
    print(report)


if __name__ == "__main__":
    main()
