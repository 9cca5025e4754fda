"""The ``gradmatch`` command: evaluate, import/train/recommend, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from service.cli import main
from tests.matching.conftest import CANDIDATES, JOBS

# training events: none of them is an evaluated pair of relevant.csv below
EVENTS = [
    ("c-stat", "j-mkt", "view"),
    ("c-cs", "j-ml", "view"),
    ("c-acct", "j-acct", "interview"),
    ("c-nurse", "j-teach", "view"),
    ("c-ml", "j-java", "view"),
    ("c-en", "j-acct", "apply"),
    ("c-en", "j-data", "view"),
    ("c-stat", "j-acct", "view"),
    ("c-acct", "j-data", "view"),
]


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    # minimal free-text records, as an outside evaluation set would have them
    jobs = [{"id": j["id"], "description": j["title"] + "，" + j["description"]} for j in JOBS]
    cands = [{"id": c["id"], "resume_text": c["resume_text"]} for c in CANDIDATES]
    relevant = tmp_path / "relevant.csv"
    relevant.write_text(
        "candidate_id,job_id,relevance\nc-stat,j-data,2\nc-cs,j-java,1\nc-nurse,j-nurse,3\n"
        "c-ml,j-ml,1\nc-acct,j-data,0\n",
        "utf-8",
    )
    return {
        "jobs": _write_jsonl(tmp_path / "jobs.jsonl", jobs),
        "candidates": _write_jsonl(tmp_path / "candidates.jsonl", cands),
        "relevant": relevant,
        "events": _write_jsonl(
            tmp_path / "events.jsonl",
            [{"candidate_id": c, "job_id": j, "type": t} for c, j, t in EVENTS],
        ),
    }


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_evaluate_prints_metrics_and_baselines(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "evaluate",
            "--jobs",
            str(files["jobs"]),
            "--candidates",
            str(files["candidates"]),
            "--relevant",
            str(files["relevant"]),
            "--k",
            "5",
        ]
    )
    assert code == 0
    result = _last_json(capsys.readouterr().out)
    assert result["n_queries"] == 4  # c-acct has no relevant item
    for key in ("ndcg@5", "recall@5", "mrr", "map"):
        assert 0.0 <= result[key] <= 1.0
        assert key in result["baselines"]["bm25"] and key in result["baselines"]["dense"]
    # these four profiles are unambiguous: each relevant job should be found in the top 5
    assert result["recall@5"] == 1.0


def test_evaluate_with_training_events(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "evaluate",
            "--jobs",
            str(files["jobs"]),
            "--candidates",
            str(files["candidates"]),
            "--relevant",
            str(files["relevant"]),
            "--train-events",
            str(files["events"]),
            "--direction",
            "candidates-for-job",
        ]
    )
    assert code == 0
    result = _last_json(capsys.readouterr().out)
    assert result["trained"] is True and result["direction"] == "candidates-for-job"
    assert result["n_queries"] == 4


def test_evaluate_refuses_leaked_pairs(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leaky = _write_jsonl(
        tmp_path / "leaky.jsonl",
        [{"candidate_id": "c-cs", "job_id": "j-java", "type": "apply"}]
        + [{"candidate_id": c, "job_id": j, "type": t} for c, j, t in EVENTS],
    )
    code = main(
        [
            "evaluate",
            "--jobs",
            str(files["jobs"]),
            "--candidates",
            str(files["candidates"]),
            "--relevant",
            str(files["relevant"]),
            "--train-events",
            str(leaky),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "also appear among the training events" in err and "c-cs" in err


def test_evaluate_names_a_bad_relevance_line(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate_id,job_id,relevance\nc-stat,j-data,high\n", "utf-8")
    code = main(
        [
            "evaluate",
            "--jobs",
            str(files["jobs"]),
            "--candidates",
            str(files["candidates"]),
            "--relevant",
            str(bad),
        ]
    )
    assert code == 2
    assert "bad.csv:2: relevance" in capsys.readouterr().err


def test_import_train_recommend_rank(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine_dir = tmp_path / "eng"
    assert (
        main(
            [
                "import",
                "--engine-dir",
                str(engine_dir),
                "--jobs",
                str(files["jobs"]),
                "--candidates",
                str(files["candidates"]),
                "--events",
                str(files["events"]),
            ]
        )
        == 0
    )
    assert _last_json(capsys.readouterr().out) == {"jobs": 8, "candidates": 6, "events": 9}
    assert main(["recommend", "--engine-dir", str(engine_dir), "c-nurse", "--k", "2"]) == 0
    recs = _last_json(capsys.readouterr().out)
    assert recs[0]["id"] == "j-nurse" and recs[0]["rank"] == 1
    assert main(["rank", "--engine-dir", str(engine_dir), "j-java", "--k", "3"]) == 0
    ranked = capsys.readouterr().out
    assert "c-cs" in ranked and "hardship" not in ranked
    assert main(["recommend", "--engine-dir", str(engine_dir), "nobody"]) == 2
    assert "unknown candidate id 'nobody'" in capsys.readouterr().err


def test_bad_record_file_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jobs = _write_jsonl(
        tmp_path / "jobs.jsonl",
        [{"id": "a", "description": "会计"}, {"id": "b", "description": "出纳", "headcount": -3}],
    )
    assert main(["import", "--engine-dir", str(tmp_path / "e"), "--jobs", str(jobs)]) == 2
    assert "jobs.jsonl:2: headcount" in capsys.readouterr().err


@pytest.mark.slow
def test_console_script_runs(files: dict[str, Path]) -> None:
    exe = shutil.which("gradmatch", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("the gradmatch console script is not installed next to this Python")
    proc = subprocess.run(
        [
            exe,
            "evaluate",
            "--jobs",
            str(files["jobs"]),
            "--candidates",
            str(files["candidates"]),
            "--relevant",
            str(files["relevant"]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "ndcg@10" in _last_json(proc.stdout)


def test_evaluate_without_any_relevant_pair_reports_nulls(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    none = tmp_path / "none.csv"
    none.write_text("candidate_id,job_id,relevance\nc-stat,j-data,0\n", "utf-8")
    code = main(
        [
            "evaluate",
            "--jobs",
            str(files["jobs"]),
            "--candidates",
            str(files["candidates"]),
            "--relevant",
            str(none),
        ]
    )
    assert code == 0
    result = _last_json(capsys.readouterr().out)
    assert result["n_queries"] == 0 and result["ndcg@10"] is None and result["mrr"] is None


def test_evaluate_names_a_missing_relevance_file(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "evaluate",
            "--jobs",
            str(files["jobs"]),
            "--candidates",
            str(files["candidates"]),
            "--relevant",
            str(tmp_path / "nope.csv"),
        ]
    )
    assert code == 2
    assert "relevant: no such file" in capsys.readouterr().err


def test_import_with_a_bad_file_writes_nothing(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write_jsonl(tmp_path / "bad.jsonl", [{"id": "x", "resume_text": "a", "degree": "高中"}])
    engine_dir = tmp_path / "eng"
    assert (
        main(
            [
                "import",
                "--engine-dir",
                str(engine_dir),
                "--jobs",
                str(files["jobs"]),
                "--candidates",
                str(bad),
            ]
        )
        == 2
    )
    assert "bad.jsonl:1: degree" in capsys.readouterr().err
    assert (
        main(
            [
                "import",
                "--engine-dir",
                str(engine_dir),
                "--jobs",
                str(files["jobs"]),
                "--events",
                str(files["events"]),
            ]
        )
        == 2
    )
    assert "not stored" in capsys.readouterr().err
    from matching import MatchingEngine

    assert MatchingEngine.open(engine_dir).n_jobs == 0


def test_import_refuses_a_repeated_id_before_writing(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dup = _write_jsonl(
        tmp_path / "dup.jsonl",
        [{"id": "c1", "resume_text": "会计"}, {"id": "c1", "resume_text": "出纳"}],
    )
    engine_dir = tmp_path / "eng"
    assert (
        main(
            [
                "import",
                "--engine-dir",
                str(engine_dir),
                "--jobs",
                str(files["jobs"]),
                "--candidates",
                str(dup),
            ]
        )
        == 2
    )
    assert "dup.jsonl:2: id" in capsys.readouterr().err
    from matching import MatchingEngine

    assert MatchingEngine.open(engine_dir).n_jobs == 0


def test_import_of_a_lone_surrogate_names_the_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    # the JSON escape of an unpaired surrogate, as some exporters write it
    jobs.write_text(
        '{"id": "a", "description": "会计"}\n{"id": "b", "description": "出纳\\ud800"}\n'
    )
    assert main(["import", "--engine-dir", str(tmp_path / "e"), "--jobs", str(jobs)]) == 2
    err = capsys.readouterr().err
    assert "jobs.jsonl:2: description" in err and "surrogate" in err


def test_read_only_commands_never_create_an_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "typo"
    for argv in (["recommend", "c1"], ["rank", "j1"], ["train"]):
        assert main([argv[0], "--engine-dir", str(typo), *argv[1:]]) == 2
        assert "holds no engine" in capsys.readouterr().err
    assert not typo.exists()


def test_recommend_filters_like_the_service_and_prints_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jobs = _write_jsonl(
        tmp_path / "jobs.jsonl",
        [
            {"id": "open", "title": "护士", "city": "北京", "description": "护理 护士 医院"},
            {"id": "past", "title": "护士长", "description": "护理 护士", "deadline": "2020-01-31"},
        ],
    )
    cands = _write_jsonl(tmp_path / "c.jsonl", [{"id": "n1", "resume_text": "护理学本科 护士"}])
    engine_dir = str(tmp_path / "eng")
    assert (
        main(
            ["import", "--engine-dir", engine_dir, "--jobs", str(jobs), "--candidates", str(cands)]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["recommend", "--engine-dir", engine_dir, "n1"]) == 0
    recs = _last_json(capsys.readouterr().out)
    assert [r["id"] for r in recs] == ["open"]  # past its deadline: left out, as over HTTP
    assert recs[0]["job"]["title"] == "护士"
    assert main(["recommend", "--engine-dir", engine_dir, "n1", "--include-expired"]) == 0
    assert {r["id"] for r in _last_json(capsys.readouterr().out)} == {"open", "past"}
    assert main(["recommend", "--engine-dir", engine_dir, "n1", "--table"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 1 and "open" in table[0] and "护士 · 北京" in table[0]
    assert main(["rank", "--engine-dir", engine_dir, "open", "--table"]) == 0
    assert "n1" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"gradmatch {version('gradmatch')}"


def test_audit_writes_a_report_and_charts_and_verifies_the_log(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine_dir = tmp_path / "eng"
    argv = ["--jobs", str(files["jobs"]), "--candidates", str(files["candidates"])]
    assert main(["import", "--engine-dir", str(engine_dir), *argv]) == 0
    assert main(["rank", "--engine-dir", str(engine_dir), "j-java", "--k", "3"]) == 0
    capsys.readouterr()
    out = tmp_path / "audit"
    policy = '{"fairness": {"kind": "det_cons", "target_proportions": "pool"}}'
    assert (
        main(["audit", "--engine-dir", str(engine_dir), "--out", str(out), "--k", "4",
              "--attribute", "gender", "--attribute", "school_tier", "--policy", policy])
        == 0
    )  # fmt: skip
    summary = _last_json(capsys.readouterr().out)
    report = json.loads((out / "audit_report.json").read_text(encoding="utf-8"))
    assert summary["n_jobs"] == report["n_jobs"] == 8
    assert set(report["attributes"]) == {"gender", "school_tier"}
    assert report["policy"]["fairness"]["kind"] == "det_cons"
    assert (out / "audit_gender.png").read_bytes().startswith(b"\x89PNG")
    assert (out / "audit_school_tier.png").is_file()
    assert main(["audit", "--engine-dir", str(engine_dir), "--verify"]) == 0
    check = _last_json(capsys.readouterr().out)
    assert check["ok"] is True and check["n_records"] == 1
    assert main(["audit", "--engine-dir", str(engine_dir), "--attribute", "height"]) == 2
    assert "attributes: got 'height'" in capsys.readouterr().err
    assert main(["audit", "--engine-dir", str(engine_dir), "--policy", "{oops"]) == 2
    assert "--policy: not valid JSON" in capsys.readouterr().err


def test_reports_write_json_csv_and_charts(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine_dir = tmp_path / "eng"
    argv = ["--jobs", str(files["jobs"]), "--candidates", str(files["candidates"])]
    assert (
        main(["import", "--engine-dir", str(engine_dir), *argv, "--events", str(files["events"])])
        == 0
    )
    capsys.readouterr()
    for name, stem in (
        ("supply-demand", "supply_demand"),
        ("risk", "risk_warnings"),
        ("quality", "employment_quality"),
    ):
        out = tmp_path / name
        assert (
            main(
                [
                    "report",
                    name,
                    "--engine-dir",
                    str(engine_dir),
                    "--out",
                    str(out),
                    "--as-of",
                    "2026-03-01",
                ]
            )
            == 0
        )
        summary = _last_json(capsys.readouterr().out)
        assert str(out / f"{stem}.json") in summary["files"]
        assert any(f.endswith(".png") for f in summary["files"])
    assert main(["report", "risk", "--engine-dir", str(engine_dir), "--as-of", "soon"]) == 2
    assert "--as-of: 'soon' is not a date" in capsys.readouterr().err


def test_recommend_cohort_writes_one_line_per_graduate_in_order(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine_dir = str(tmp_path / "eng")
    argv = ["--jobs", str(files["jobs"]), "--candidates", str(files["candidates"])]
    assert main(["import", "--engine-dir", engine_dir, *argv]) == 0
    capsys.readouterr()
    ids = tmp_path / "ids.txt"
    ids.write_text("c-nurse\nc-stat\n\n", "utf-8")
    out = tmp_path / "cohort.jsonl"
    args = ["recommend-cohort", "--engine-dir", engine_dir, "--k", "2", "--ids", str(ids)]
    assert main([*args, "--out", str(out)]) == 0
    assert "2/2" in capsys.readouterr().err  # the progress bar
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["candidate_id"] for r in rows] == ["c-nurse", "c-stat"]
    for row in rows:
        assert main(["recommend", "--engine-dir", engine_dir, row["candidate_id"], "--k", "2"]) == 0
        single = _last_json(capsys.readouterr().out)
        assert [m["id"] for m in row["matches"]] == [m["id"] for m in single]
    # every candidate, to stdout
    assert main(["recommend-cohort", "--engine-dir", engine_dir, "--no-progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(CANDIDATES)
    ids.write_text("c-stat\nnobody\n", "utf-8")
    assert main([*args]) == 2
    assert "nobody" in capsys.readouterr().err
