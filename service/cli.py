"""The ``gradmatch`` command line: serve, build the demo engine, import, train, evaluate, query.

Every command that writes an engine directory leaves it complete (see ``MatchingEngine.save``).
The last line that ``evaluate`` prints is one JSON object with the metrics.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from service.settings import package_version

__all__ = ["main"]

DEMO_DATA = Path(__file__).resolve().parent.parent / "matching" / "demo" / "data"


def _engine_dir_arg(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument(
        "--engine-dir",
        type=Path,
        required=required,
        default=None if required else Path(".gradmatch/demo"),
        help="engine directory (config.json, store.sqlite, indexes, models)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradmatch",
        description="Job matching and recommendation for university graduates.",
    )
    parser.add_argument("--version", action="version", version=f"gradmatch {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve an engine directory over HTTP")
    _engine_dir_arg(p, required=False)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--api-key",
        default=os.environ.get("GRADMATCH_API_KEY"),
        help="with GRADMATCH_AUTH=off, require this shared key in the X-API-Key header",
    )

    p = sub.add_parser("demo", help="build the demo engine from the bundled data set")
    p.add_argument("--out", type=Path, default=Path(".gradmatch/demo"))
    p.add_argument(
        "--data",
        type=Path,
        default=DEMO_DATA,
        help="folder with jobs/candidates/events .jsonl.gz (default: bundled)",
    )
    p.add_argument("--no-train", action="store_true", help="keep the transparent scorer")

    p = sub.add_parser("import", help="add jobs, candidates and events to an engine directory")
    _engine_dir_arg(p)
    p.add_argument("--jobs", type=Path)
    p.add_argument("--candidates", type=Path)
    p.add_argument("--events", type=Path)

    p = sub.add_parser("train", help="train the ranker from the engine's events")
    _engine_dir_arg(p)
    p.add_argument("--random-state", type=int, default=0)

    p = sub.add_parser(
        "recommend", help="job recommendations for a candidate (the service's default filters)"
    )
    _engine_dir_arg(p)
    p.add_argument("candidate_id")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--include-expired", action="store_true", help="keep jobs past their deadline")
    p.add_argument("--include-applied", action="store_true", help="keep jobs already applied to")
    p.add_argument("--table", action="store_true", help="a table with titles instead of JSON")

    p = sub.add_parser(
        "recommend-cohort",
        help="job recommendations for a whole cohort, one JSON line per candidate",
        description="Recommendations for every candidate (or those listed in --ids, one id "
        "per line), with the filters of `recommend`, written as JSON lines "
        '{"candidate_id", "matches"} in order; a progress bar on stderr.',
    )
    _engine_dir_arg(p)
    p.add_argument("--ids", type=Path, help="a file of candidate ids, one per line")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--out", type=Path, help="the JSON-lines file to write (default: stdout)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--include-expired", action="store_true", help="keep jobs past their deadline")
    p.add_argument("--include-applied", action="store_true", help="keep jobs already applied to")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")

    p = sub.add_parser("rank", help="ranked candidates for a job (no sensitive attributes)")
    _engine_dir_arg(p)
    p.add_argument("job_id")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--table", action="store_true", help="a table with profiles instead of JSON")
    _policy_arg(p)

    p = sub.add_parser(
        "credentials",
        help="create, list and revoke the service's credentials (student, recruiter, operator)",
    )
    p.add_argument("action", choices=["create", "list", "revoke"])
    _engine_dir_arg(p)
    p.add_argument("--role", choices=["student", "recruiter", "operator"])
    p.add_argument(
        "--subject", help="a student's candidate id, or a recruiter's organisation (employer)"
    )
    p.add_argument("--label", help="a note for operators")
    p.add_argument("--key-id", help="the credential to revoke")

    p = sub.add_parser(
        "report",
        help="operator reports: supply-demand, risk (warnings for follow-up), quality",
        description="Write <report>.json, <report>.csv and PNG charts to --out: supply and "
        "demand with shortage and surplus lists; risk warnings (green/yellow/red) for "
        "real-name follow-up; employment quality from outcomes.",
    )
    p.add_argument("name", choices=["supply-demand", "risk", "quality"])
    _engine_dir_arg(p)
    p.add_argument("--out", type=Path, default=Path("reports"), help="folder for the files")
    p.add_argument(
        "--as-of", default=None, help="the day of the report, YYYY-MM-DD (default: today)"
    )

    p = sub.add_parser(
        "check-postings",
        help="fair-recruitment check of postings: one JSON object per posting with its flags",
        description="Check postings for discriminatory conditions (gender, age, marital status, "
        "ethnicity, residence registration, health, appearance, school tier) and fraud signals "
        "(fees, private contact, pay far outside the market). Prints one JSON object per "
        "posting, in input order: its id and a list of flags (rule, category, span, field, "
        "start, end, message, suggestion).",
    )
    p.add_argument(
        "postings",
        type=Path,
        nargs="?",
        help="JSONL, JSON or CSV records (title and description suffice); without it, the "
        "postings stored in --engine-dir",
    )
    p.add_argument(
        "--engine-dir",
        type=Path,
        default=None,
        help="an engine whose stored postings pay is compared with (and checked, without a file)",
    )

    p = sub.add_parser(
        "audit",
        help="fairness audit of recruiters' rankings (JSON and PNG), or check the audit log",
        description="Write audit_report.json and one audit_<attribute>.png per attribute to "
        "--out: selection and impact ratios, exposure and skew before and after each policy "
        "stage, a four-fifths check and the nDCG cost of the constraints. With --verify, "
        "check the ranking audit log's hash chain instead (exit status 1 when broken).",
    )
    _engine_dir_arg(p)
    p.add_argument("--out", type=Path, default=Path("audit"), help="folder for the report")
    p.add_argument(
        "--job",
        action="append",
        default=None,
        metavar="ID",
        help="a job to audit (repeatable; all jobs by default)",
    )
    p.add_argument("--k", type=int, default=20, help="the recruiters' cut-off (default 20)")
    p.add_argument(
        "--attribute",
        action="append",
        default=None,
        metavar="NAME",
        help="an attribute to report on (repeatable; default: gender, assisted, disability, "
        "school_tier, region)",
    )
    _policy_arg(p)
    p.add_argument("--verify", action="store_true", help="check the audit log's hash chain")

    p = sub.add_parser("evaluate", help="offline evaluation against BM25 and dense baselines")
    p.add_argument("--jobs", type=Path, required=True)
    p.add_argument("--candidates", type=Path, required=True)
    p.add_argument(
        "--relevant", type=Path, required=True, help="CSV with header candidate_id,job_id,relevance"
    )
    p.add_argument("--train-events", type=Path, default=None)
    p.add_argument("--k", type=int, default=10)
    p.add_argument(
        "--direction",
        choices=["jobs-for-candidates", "candidates-for-job"],
        default="jobs-for-candidates",
    )
    p.add_argument(
        "--encoder",
        default="use-multilingual",
        help="encoder spec: use-multilingual or st:<name-or-path>",
    )
    p.add_argument(
        "--popularity-damping",
        type=float,
        default=0.0,
        help="lower popular and filled jobs in students' lists by up to this much (0 to 1)",
    )
    p.add_argument(
        "--disable-feature",
        action="append",
        default=[],
        metavar="NAME",
        help="leave a feature column out (repeatable; for ablations)",
    )
    return parser


def _policy_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--policy",
        default=None,
        metavar="JSON",
        help="a ranking policy for this run, as JSON or @file.json: priority, fairness, "
        "attribute, job_boost (keys left out keep the engine's)",
    )


def _policy(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    text = Path(value[1:]).read_text(encoding="utf-8") if value.startswith("@") else value
    try:
        policy = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--policy: not valid JSON ({exc})") from None
    if not isinstance(policy, dict):
        raise ValueError("--policy: must be a JSON object")
    return policy


def _print_json(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False))


def build_demo(out: Path, data: Path, *, train: bool = True) -> dict[str, Any]:
    """Build an engine from the demo files in ``data`` and save it to ``out``."""
    from datetime import date

    from matching import MatchingEngine, demo_as_of, read_candidates, read_events, read_jobs

    files = {name: data / f"{name}.jsonl.gz" for name in ("jobs", "candidates", "events")}
    for name, path in files.items():
        if not path.exists():
            raise FileNotFoundError(f"--data: {path} is missing ({name} of the demo data set)")
    engine = MatchingEngine()
    print(
        f"embedding the demo data from {data} (a minute or two on first build) ...",
        file=sys.stderr,
        flush=True,
    )
    # dates as of today, so that the demo's postings are open whenever it is built
    jobs, candidates, events = demo_as_of(
        date.today(),
        [j.to_dict() for j in read_jobs(files["jobs"])],
        [c.to_dict() for c in read_candidates(files["candidates"])],
        [e.to_dict() for e in read_events(files["events"])],
    )
    engine.add_jobs(jobs)
    engine.add_candidates(candidates)
    n_events = engine.record_events(events)
    summary: dict[str, Any] = {
        "engine_dir": str(out),
        "n_jobs": engine.n_jobs,
        "n_candidates": engine.n_candidates,
        "n_events": n_events,
    }
    if train:
        print("training the ranker ...", file=sys.stderr, flush=True)
        summary["training"] = engine.train_ranker().to_dict()
    engine.save(out)
    return summary


def _settings(cls: Any, **values: Any) -> Any:
    """Build the service settings; a bad ``GRADMATCH_*`` variable becomes a one-line error."""
    import pydantic

    try:
        return cls(**values)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        name = "GRADMATCH_" + "_".join(str(p) for p in first["loc"]).upper()
        raise ValueError(f"{name}: {first['msg']}") from None


def main(argv: list[str] | None = None) -> int:
    """Run the ``gradmatch`` command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        The exit status: 0 on success, 2 on an error the user can fix (reported on stderr).
    """
    args = _parser().parse_args(argv)
    from matching import GradmatchError

    try:
        return _run(args)
    except (GradmatchError, FileNotFoundError, ValueError) as exc:
        print(f"gradmatch {args.command}: error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from matching import MatchingEngine

    if args.command == "serve":
        from service.app import run
        from service.settings import Settings

        if not (args.engine_dir / "config.json").exists():
            print(
                f"gradmatch serve: error: {args.engine_dir} holds no engine; build one with "
                "`gradmatch demo --out DIR` or `gradmatch import`",
                file=sys.stderr,
            )
            return 2
        run(
            _settings(
                Settings,
                engine_dir=args.engine_dir,
                host=args.host,
                port=args.port,
                api_key=args.api_key,
            )
        )
        return 0
    if args.command == "demo":
        _print_json(build_demo(args.out, args.data, train=not args.no_train))
        return 0
    if args.command == "evaluate":
        from matching import EngineConfig, evaluate

        result = evaluate(
            args.jobs,
            args.candidates,
            args.relevant,
            train_events_path=args.train_events,
            k=args.k,
            direction=args.direction,
            config=EngineConfig(
                encoder=args.encoder,
                popularity_damping=args.popularity_damping,
                disabled_features=tuple(args.disable_feature),
            ),
        )
        _print_json(result.to_dict())
        return 0

    if args.command == "check-postings":
        return _check_postings(args)
    if args.command == "credentials":
        return _credentials(args)
    if args.command == "import":
        engine = MatchingEngine.open(args.engine_dir)
    else:
        # read-only commands (and train) never create an engine on a mistyped path
        if not (args.engine_dir / "config.json").exists():
            raise FileNotFoundError(
                f"--engine-dir: {args.engine_dir} holds no engine; build one with "
                "`gradmatch demo --out DIR` or `gradmatch import`"
            )
        engine = MatchingEngine.load(args.engine_dir)
    if args.command == "import":
        from matching import read_candidates, read_events, read_jobs

        # Read and validate every file before the first write, so that a bad file leaves
        # the engine as it was.
        jobs = read_jobs(args.jobs) if args.jobs else None
        candidates = read_candidates(args.candidates) if args.candidates else None
        events = read_events(args.events) if args.events else None
        batches: list[tuple[Path, list[Any]]] = [
            (args.jobs, list(jobs or [])),
            (args.candidates, list(candidates or [])),
        ]
        for path, records in batches:
            seen: set[str] = set()
            for n, record in enumerate(records, start=1):
                if record.id in seen:
                    from matching import ValidationError

                    raise ValidationError(
                        f"{path.name}:{n}: id", f"{record.id!r} appears twice in the file"
                    )
                seen.add(record.id)
        if events:
            from matching import ValidationError

            job_ids = set(engine.job_ids()) | {j.id for j in jobs or ()}
            cand_ids = set(engine.candidate_ids()) | {c.id for c in candidates or ()}
            for n, e in enumerate(events, start=1):
                if e.job_id not in job_ids or e.candidate_id not in cand_ids:
                    missing = e.job_id if e.job_id not in job_ids else e.candidate_id
                    raise ValidationError(
                        f"{args.events.name}:{n}", f"names {missing!r}, which is not stored"
                    )
        out: dict[str, int] = {}
        if jobs is not None:
            out["jobs"] = len(engine.add_jobs(jobs))
        if candidates is not None:
            out["candidates"] = len(engine.add_candidates(candidates))
        if events is not None:
            out["events"] = engine.record_events(events)
        engine.save()
        _print_json(out)
    elif args.command == "train":
        report = engine.train_ranker(random_state=args.random_state)
        engine.save()
        _print_json(report.to_dict())
    elif args.command == "recommend":
        from datetime import date

        filters = {
            "open_on": None if args.include_expired else date.today(),
            "exclude_applied": not args.include_applied,
        }
        matches = engine.recommend_jobs(args.candidate_id, k=args.k, filters=filters)
        rows = [{**m.to_dict(), "job": _job_summary(engine, m.id)} for m in matches]
        _print_table(rows, "job") if args.table else _print_json(rows)
    elif args.command == "recommend-cohort":
        return _recommend_cohort(engine, args)
    elif args.command == "rank":
        matches = engine.rank_candidates(args.job_id, k=args.k, policy=_policy(args.policy))
        rows = [{**m.to_dict(), "candidate": _candidate_summary(engine, m.id)} for m in matches]
        _print_table(rows, "candidate") if args.table else _print_json(rows)
    elif args.command == "audit":
        return _audit(engine, args)
    elif args.command == "report":
        from datetime import date

        try:
            as_of = None if args.as_of is None else date.fromisoformat(args.as_of)
        except ValueError:
            raise ValueError(f"--as-of: {args.as_of!r} is not a date (YYYY-MM-DD)") from None
        made = engine.report(args.name, as_of=as_of)
        paths = made.write(args.out)
        summary = {k: v for k, v in made.to_dict().items() if not isinstance(v, (list, dict))}
        _print_json({"files": [str(p) for p in paths], **summary})
    return 0


def _recommend_cohort(engine: Any, args: argparse.Namespace) -> int:
    from datetime import date

    from tqdm import tqdm

    ids = None
    if args.ids is not None:
        lines = args.ids.read_text(encoding="utf-8").splitlines()
        ids = [line.strip() for line in lines if line.strip()]
    filters = {
        "open_on": None if args.include_expired else date.today(),
        "exclude_applied": not args.include_applied,
    }
    cohort = engine.recommend_cohort(ids, k=args.k, filters=filters, batch_size=args.batch_size)
    total = engine.n_candidates if ids is None else len(ids)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    try:
        with tqdm(total=total, unit="graduate", disable=args.no_progress, file=sys.stderr) as bar:
            for cid, matches in cohort:
                row = {"candidate_id": cid, "matches": [m.to_dict() for m in matches]}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                bar.update()
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _credentials(args: argparse.Namespace) -> int:
    from service.app import credentials_path
    from service.auth import CredentialError, CredentialStore

    if not (args.engine_dir / "config.json").exists():
        raise FileNotFoundError(f"--engine-dir: {args.engine_dir} holds no engine")
    store = CredentialStore(credentials_path(args.engine_dir))
    try:
        if args.action == "create":
            if args.role is None:
                raise ValueError("--role: required to create a credential")
            key_id, token = store.create(args.role, args.subject, label=args.label)
            _print_json(
                {"key_id": key_id, "token": token, "role": args.role, "subject": args.subject}
            )
        elif args.action == "list":
            for item in store.list():
                _print_json(item)
        else:
            if not args.key_id:
                raise ValueError("--key-id: required to revoke a credential")
            store.revoke(args.key_id)
            _print_json({"revoked": args.key_id})
    except CredentialError as exc:
        raise ValueError(str(exc)) from None
    finally:
        store.close()
    return 0


def _check_postings(args: argparse.Namespace) -> int:
    from matching import MatchingEngine, check_postings, read_records

    if args.postings is None and args.engine_dir is None:
        raise ValueError("give a postings file, or --engine-dir to check the stored postings")
    engine = None
    if args.engine_dir is not None:
        if not (args.engine_dir / "config.json").exists():
            raise FileNotFoundError(f"--engine-dir: {args.engine_dir} holds no engine")
        engine = MatchingEngine.load(args.engine_dir)
    if args.postings is None:
        assert engine is not None
        results = engine.check_postings()
    else:
        records = [(n, r) for n, r in read_records(args.postings)]
        checked = (
            engine.check_postings([r for _, r in records])
            if engine is not None
            else [(str(r.get("id") or ""), f) for r, f in check_postings(r for _, r in records)]
        )
        results = [
            (pid or f"{args.postings.name}:{n}", flags)
            for (n, _), (pid, flags) in zip(records, checked, strict=True)
        ]
    for pid, flags in results:
        _print_json({"id": pid, "flags": [f.to_dict() for f in flags]})
    return 0


def _audit(engine: Any, args: argparse.Namespace) -> int:
    if args.verify:
        check = engine.verify_audit_log()
        _print_json(check.to_dict())
        return 0 if check.ok else 1
    report = engine.audit_report(
        args.job, k=args.k, attributes=args.attribute, policy=_policy(args.policy)
    )
    path, *charts = report.write(args.out)
    data = report.to_dict()
    _print_json(
        {
            "report": str(path),
            "charts": [str(c) for c in charts],
            "n_jobs": data["n_jobs"],
            "ndcg_cost": data["relevance"]["ndcg_cost"],
            "below_four_fifths": {
                a: s["four_fifths"]["below"] for a, s in data["attributes"].items()
            },
        }
    )
    return 0


def _job_summary(engine: Any, job_id: str) -> dict[str, Any]:
    from service.models import JobSummary

    return JobSummary.pick(engine.get_job(job_id).to_dict()).model_dump(mode="json")


def _candidate_summary(engine: Any, candidate_id: str) -> dict[str, Any]:
    from service.models import CandidateSummary

    # the plain profile holds no sensitive record; the summary's allow-list is the second guard
    profile = engine.get_candidate(candidate_id).to_dict(include_sensitive=False)
    return CandidateSummary.pick(profile).model_dump(mode="json")


def _print_table(rows: list[dict[str, Any]], side: str) -> None:
    """One line per match: rank, score, id, what it is, and the skills matched."""
    for row in rows:
        item = row[side]
        if side == "job":
            what = " · ".join(str(v) for v in (item.get("title"), item.get("city")) if v)
        else:
            what = " · ".join(
                str(v) for v in (item.get("major"), item.get("degree"), item.get("school")) if v
            )
        skills = "、".join(row["reasons"]["matched_skills"]) or "-"
        print(f"{row['rank']:>3}  {row['score']:.3f}  {row['id']:<12}  {what}  [{skills}]")


if __name__ == "__main__":
    raise SystemExit(main())
