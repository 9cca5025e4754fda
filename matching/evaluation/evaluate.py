"""Offline evaluation on data the engine has never seen.

Builds an engine from a jobs file and a candidates file, optionally trains the ranker on an
events file, ranks the whole pool for every query that has a relevant item, and reports
nDCG@k, recall@k, MRR and MAP for the engine and, in the same run, for two baselines: BM25 over
word tokens and dense cosine similarity alone.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matching.catalogue import candidate_text, job_text
from matching.config import EngineConfig
from matching.engine import MatchingEngine
from matching.errors import LeakageError, ValidationError
from matching.evaluation.relevance import read_relevance
from matching.ingest import read_candidates, read_events, read_jobs
from matching.records import Direction
from matching.retrieval import BM25
from ranking import evaluate_rankings

__all__ = ["EvaluationResult", "evaluate"]


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """Metrics of the engine and of the baselines, plus what was run."""

    metrics: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Return a copy of the metrics mapping, JSON-ready."""
        return dict(self.metrics)


def _log(quiet: bool, message: str) -> None:
    if not quiet:
        # looked up at call time: the stream may have been replaced since import
        print(message, file=sys.stderr, flush=True)


def evaluate(
    jobs_path: str | Path,
    candidates_path: str | Path,
    relevant_path: str | Path,
    *,
    train_events_path: str | Path | None = None,
    k: int = 10,
    direction: Direction | str = Direction.JOBS_FOR_CANDIDATES,
    config: EngineConfig | None = None,
    engine_factory: Callable[[], MatchingEngine] | None = None,
    quiet: bool = False,
) -> EvaluationResult:
    """Evaluate the engine and the BM25 and dense baselines on one data set.

    Parameters
    ----------
    jobs_path, candidates_path : path
        JSONL (or CSV) files, one record a line; minimal free-text records are fine.
    relevant_path : path
        CSV ``candidate_id,job_id,relevance``; relevance >= 1 is relevant, grades allowed.
    train_events_path : path, optional
        JSONL events (``candidate_id``, ``job_id``, ``type``, optional ``timestamp``). When
        given the ranker is trained on them first; an evaluated pair that is also a training
        pair raises :class:`LeakageError`.
    k : int, default 10
        Cut-off of nDCG and recall.
    direction : {"jobs-for-candidates", "candidates-for-job"}
        Queries are candidates (rank all jobs) or jobs (rank all candidates).
    quiet : bool, default False
        Leave out the progress lines on standard error.
    """
    ranked: Direction = Direction.parse(direction, "direction")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValidationError("k", f"got {k!r}; a positive integer is required")
    jobs = read_jobs(jobs_path)
    candidates = read_candidates(candidates_path)
    relevance = read_relevance(relevant_path)
    job_ids = {j.id for j in jobs}
    cand_ids = {c.id for c in candidates}
    for cid, jid in relevance:
        if cid not in cand_ids:
            raise ValidationError("relevant.candidate_id", f"{cid!r} is not in {candidates_path}")
        if jid not in job_ids:
            raise ValidationError("relevant.job_id", f"{jid!r} is not in {jobs_path}")
    events = read_events(train_events_path) if train_events_path is not None else []
    evaluated = {pair for pair, rel in relevance.items() if rel >= 1}
    leaked = sorted({(e.candidate_id, e.job_id) for e in events} & evaluated)
    if leaked:
        raise LeakageError(
            f"{len(leaked)} evaluated pair(s) also appear among the training events, e.g. "
            f"{leaked[:3]}; remove them from one of the files"
        )

    engine = engine_factory() if engine_factory is not None else MatchingEngine(config=config)
    _log(quiet, f"embedding {len(jobs)} jobs and {len(candidates)} candidates ...")
    engine.add_jobs(jobs)
    engine.add_candidates(candidates)
    training: dict[str, Any] | None = None
    if events:
        engine.record_events(events)
        _log(quiet, f"training the ranker on {len(events)} events ...")
        training = engine.train_ranker().to_dict()

    by_query: dict[str, dict[str, float]] = defaultdict(dict)
    for (cid, jid), rel in relevance.items():
        if ranked is Direction.JOBS_FOR_CANDIDATES:
            by_query[cid][jid] = rel
        else:
            by_query[jid][cid] = rel
    queries = sorted(q for q, items in by_query.items() if any(r >= 1 for r in items.values()))
    side = ranked.ranked

    # BM25: documents are the ranked side, queries the texts of the query side.
    pool_ids = engine.job_ids() if side == "jobs" else engine.candidate_ids()
    bm25 = BM25(tokenizer=engine.tokenizer).fit(
        [
            job_text(engine.get_job(i))
            if side == "jobs"
            else candidate_text(engine.get_candidate(i))
            for i in pool_ids
        ]
    )
    _log(quiet, f"ranking {len(pool_ids)} items for {len(queries)} queries ...")
    runs: dict[str, list[np.ndarray]] = {"engine": [], "bm25": [], "dense": []}
    ideals: list[np.ndarray] = []
    for query in queries:
        ids, scores, semantic = engine.score_pool(query, ranked)
        wanted = by_query[query]
        grades = np.asarray([wanted.get(i, 0.0) for i in ids], dtype=np.float64)
        # A grade below 1 is "not relevant"; zero it so every metric agrees on that.
        grades = np.where(grades >= 1, grades, 0.0)
        query_text = (
            candidate_text(engine.get_candidate(query))
            if side == "jobs"
            else job_text(engine.get_job(query))
        )
        lexical = bm25.scores(query_text)
        lexical_by_id = dict(zip(pool_ids, lexical, strict=False))
        lexical = np.asarray([lexical_by_id[i] for i in ids])
        for name, s in (("engine", scores), ("bm25", lexical), ("dense", semantic)):
            runs[name].append(grades[np.argsort(-np.asarray(s), kind="stable")])
        ideals.append(grades[grades > 0])

    def summary(name: str) -> dict[str, float | None]:
        if not queries:
            # Nothing to measure: say so with nulls rather than leave the keys out.
            return {f"ndcg@{k}": None, f"recall@{k}": None, "mrr": None, "map": None}
        m = evaluate_rankings(runs[name], ideals, k=k)
        return {key: round(float(v), 4) for key, v in m.items() if key != "n_queries"}

    result: dict[str, Any] = {
        **summary("engine"),
        "n_queries": len(queries),
        "n_jobs": engine.n_jobs,
        "n_candidates": engine.n_candidates,
        "k": k,
        "direction": ranked.value,
        "model_version": engine.model_version(ranked),
        # a model ranks only if training adopted one for this direction
        "trained": any(
            d["adopted"]
            for d in (training or {}).get("directions", [])
            if d["direction"] == ranked.value
        ),
        "baselines": {"bm25": summary("bm25"), "dense": summary("dense")},
    }
    key = f"ndcg@{k}"
    for name in ("bm25", "dense"):
        base = result["baselines"][name][key]
        mine = result[key]
        ratio = round(mine / base, 4) if base and mine is not None else None
        result[f"{key}_ratio_vs_{name}"] = ratio
    if training is not None:
        result["training"] = training
    return EvaluationResult(result)
