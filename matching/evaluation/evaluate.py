"""Offline evaluation on data the engine has never seen, with baselines in the same run.

Builds an engine from a jobs file and a candidates file, optionally trains the ranker on an
events file, ranks the whole pool for every query that has a relevant item, and reports
nDCG@k, recall@k, MRR, MAP, coverage of the pool in the top k and the Gini of exposure, for
the engine and, in the same run, for the baselines: BM25 over word tokens, dense cosine
similarity alone, their reciprocal-rank fusion, and (with training events) the popularity of
each item among those events. The engine is measured as a live request works: its retrieval
(dense, lexical and, with events, collaborative sources) finds a candidate set, and the model
orders it; ``candidate_set`` says how many relevant items that set holds at its depth, and
``whole_pool`` how the model alone would rank the whole pool.
"""

from __future__ import annotations

import resource
import sys
import time
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
from matching.interactions import GRADE_GAIN
from matching.records import Direction, Event
from matching.retrieval import BM25, RRF_K
from ranking import evaluate_rankings

__all__ = ["EvaluationResult", "evaluate", "gini"]


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
    """Evaluate the engine and the baselines on one data set (see the module notes).

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
    train_seconds = None
    if events:
        engine.record_events(events)
        _log(quiet, f"training the ranker on {len(events)} events ...")
        started = time.perf_counter()
        training = engine.train_ranker().to_dict()
        train_seconds = round(time.perf_counter() - started, 1)

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
    position = {item: i for i, item in enumerate(pool_ids)}
    bm25 = BM25(tokenizer=engine.tokenizer).fit(
        [
            job_text(engine.get_job(i))
            if side == "jobs"
            else candidate_text(engine.get_candidate(i))
            for i in pool_ids
        ]
    )
    popularity = _popularity(events, pool_ids, side) if events else None
    depth = min(engine.config.retrieval_depth, len(pool_ids))
    _log(quiet, f"ranking {len(pool_ids)} items for {len(queries)} queries ...")
    names = ["engine", "bm25", "dense", "fusion"] + (["popularity"] if events else [])
    names.append("engine_whole_pool")
    runs: dict[str, list[np.ndarray]] = {name: [] for name in names}
    shown: dict[str, list[np.ndarray]] = {name: [] for name in names}
    ideals: list[np.ndarray] = []
    found_in_set = found_dense = 0
    n_relevant = 0
    for query in queries:
        ids, scores, semantic = engine.score_pool(query, ranked)
        order = np.asarray([position[i] for i in ids])
        wanted = by_query[query]
        grades = np.asarray([wanted.get(i, 0.0) for i in ids], dtype=np.float64)
        # A grade below 1 is "not relevant"; zero it so every metric agrees on that.
        grades = np.where(grades >= 1, grades, 0.0)
        query_text = (
            candidate_text(engine.get_candidate(query))
            if side == "jobs"
            else job_text(engine.get_job(query))
        )
        lexical = bm25.scores(query_text)[order]
        relevant = {i for i, r in wanted.items() if r >= 1}
        n_relevant += len(relevant)
        retrieved = set(engine.retrieve(query, ranked, depth=depth))
        found_in_set += len(relevant & retrieved)
        # What a live request shows: the retrieved items in the model's order; the rest of
        # the pool (which a request never sees) after them.
        in_set = np.asarray([i in retrieved for i in ids])
        rankers = {
            "engine": np.where(in_set, np.asarray(scores), -np.inf),
            "engine_whole_pool": np.asarray(scores),
            "bm25": lexical,
            "dense": np.asarray(semantic),
            "fusion": _rrf_scores(lexical, np.asarray(semantic)),
        }
        if popularity is not None:
            rankers["popularity"] = popularity[order]
        for name, s in rankers.items():
            ranking = (
                np.lexsort((-np.asarray(scores), ~np.isfinite(s)))
                if name == "engine"
                else np.argsort(-s, kind="stable")
            )
            runs[name].append(grades[ranking])
            shown[name].append(order[ranking[:k]])
        ideals.append(grades[grades > 0])
        dense_top = {ids[i] for i in np.argsort(-np.asarray(semantic), kind="stable")[:depth]}
        found_dense += len(relevant & dense_top)

    def summary(name: str) -> dict[str, float | None]:
        if not queries:
            # Nothing to measure: say so with nulls rather than leave the keys out.
            return {
                f"ndcg@{k}": None,
                f"recall@{k}": None,
                "mrr": None,
                "map": None,
                f"coverage@{k}": None,
                f"exposure_gini@{k}": None,
            }
        m = evaluate_rankings(runs[name], ideals, k=k)
        out: dict[str, float | None] = {
            key: round(float(v), 4) for key, v in m.items() if key != "n_queries"
        }
        exposure = np.bincount(np.concatenate(shown[name]), minlength=len(pool_ids))
        out[f"coverage@{k}"] = round(float((exposure > 0).mean()), 4)
        out[f"exposure_gini@{k}"] = round(gini(exposure), 4)
        return out

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
        "baselines": {
            name: summary(name) for name in names if name not in ("engine", "engine_whole_pool")
        },
        # the ranker over the whole pool, as if retrieval missed nothing
        "whole_pool": summary("engine_whole_pool"),
        "candidate_set": {
            "depth": depth,
            "recall": round(found_in_set / n_relevant, 4) if n_relevant else None,
            "recall_dense_only": round(found_dense / n_relevant, 4) if n_relevant else None,
        },
    }
    key = f"ndcg@{k}"
    for name in result["baselines"]:
        base = result["baselines"][name][key]
        mine = result[key]
        ratio = round(mine / base, 4) if base and mine is not None else None
        result[f"{key}_ratio_vs_{name}"] = ratio
    if training is not None:
        result["training"] = training
        result["training_seconds"] = train_seconds
    # the most memory this process held (Linux reports kilobytes)
    result["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return EvaluationResult(result)


def _rrf_scores(*scores: np.ndarray, k: int = RRF_K) -> np.ndarray:
    """Reciprocal-rank fusion of full-pool scores (ties share the better rank's order)."""
    fused = np.zeros(len(scores[0]))
    for s in scores:
        ranks = np.empty(len(s), dtype=np.float64)
        ranks[np.argsort(-s, kind="stable")] = np.arange(1, len(s) + 1)
        fused += 1.0 / (k + ranks)
    return fused


def _popularity(events: list[Event], pool_ids: list[str], side: str) -> np.ndarray:
    """Each item's engagement in the training events: the gain of each pair's furthest grade."""
    furthest: dict[tuple[str, str], int] = {}
    for e in events:
        pair = (e.candidate_id, e.job_id)
        furthest[pair] = max(furthest.get(pair, 0), e.type.grade)
    position = {item: i for i, item in enumerate(pool_ids)}
    out = np.zeros(len(pool_ids))
    for (cid, jid), grade in furthest.items():
        item = jid if side == "jobs" else cid
        if item in position:
            out[position[item]] += GRADE_GAIN[grade]
    return out


def gini(counts: np.ndarray) -> float:
    """Gini coefficient of non-negative counts: 0 for equal exposure, near 1 for a few items.

    Examples
    --------
    >>> gini(np.array([5, 5, 5, 5]))
    0.0
    >>> round(gini(np.array([0, 0, 0, 20])), 2)
    0.75
    """
    x = np.sort(np.asarray(counts, dtype=np.float64))
    if x.sum() == 0 or len(x) == 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))
