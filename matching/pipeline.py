"""One request, top to bottom: hard filters, retrieval, features, model, policy stages, reasons.

The :class:`RankingPipeline` holds the parts the engine assembled and runs them in order for
each kind of request; the engine checks the arguments and hands them on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import NamedTuple

import numpy as np

from matching import policy
from matching.catalogue import Catalogue
from matching.config import EngineConfig
from matching.explain import Explainer
from matching.features import Featurizer
from matching.records import Direction, Match
from matching.retrieval import CandidateFilters, JobFilters, Retriever
from matching.scoring import ModelSet, TrainingReport, fit_rankers, prepare_training_sets

__all__ = ["PoolScores", "RankingPipeline"]

_JOBS = Direction.JOBS_FOR_CANDIDATES
_CANDIDATES = Direction.CANDIDATES_FOR_JOB


class PoolScores(NamedTuple):
    """Scores of a whole pool for one query (see :meth:`MatchingEngine.score_pool`)."""

    ids: list[str]
    scores: np.ndarray
    semantic: np.ndarray


class RankingPipeline:
    """The stages of a ranking request over one catalogue.

    Parameters
    ----------
    config : EngineConfig
        Priority and fairness settings.
    catalogue : Catalogue
    retriever : Retriever
    featurizer : Featurizer
    models : ModelSet
        The model of each direction.
    explainer : Explainer
    """

    def __init__(
        self,
        *,
        config: EngineConfig,
        catalogue: Catalogue,
        retriever: Retriever,
        featurizer: Featurizer,
        models: ModelSet,
        explainer: Explainer,
    ) -> None:
        self.config = config
        self.catalogue = catalogue
        self.retriever = retriever
        self.featurizer = featurizer
        self.models = models
        self.explainer = explainer

    def features(
        self, cids: Sequence[str], jids: Sequence[str], semantic: np.ndarray
    ) -> np.ndarray:
        """Feature rows of aligned (candidate, job) pairs."""
        return self.featurizer.transform(self.catalogue.pair_inputs(cids, jids, semantic))

    def recommend_jobs(
        self, candidate_id: str, k: int, flt: JobFilters, depth: int | None
    ) -> list[Match]:
        """Jobs for a candidate (see :meth:`MatchingEngine.recommend_jobs`)."""
        cat = self.catalogue
        with cat.lock:
            cand = cat.candidates.get(candidate_id)
            applied = cat.applied_jobs(candidate_id)
            allowed = [key for key, job in cat.jobs.items() if flt.accepts(job, cand, applied)]
            found = self.retriever.retrieve(
                cat.job_index, cat.candidate_vector(candidate_id), allowed, depth
            )
            jobs = [cat.jobs.by_key(key) for key in found.keys]
            X = self.features([cand.id] * len(jobs), [j.id for j in jobs], found.semantic)
            model = self.models[_JOBS]
            scored = model.score(X)
            top = np.argsort(-scored.scores, kind="stable")[:k]
            return self.explainer.matches(
                [(cand, jobs[i]) for i in top],
                [jobs[i].id for i in top],
                scored.scores[top],
                np.clip(model.relevance(scored.scores)[top], 0.0, 1.0),
                X[top],
                scored.contributions[top],
            )

    def rank_candidates(
        self, job_id: str, k: int, flt: CandidateFilters, depth: int | None
    ) -> list[Match]:
        """Candidates for a job, through the policy stages.

        See :meth:`MatchingEngine.rank_candidates`.
        """
        cat = self.catalogue
        with cat.lock:
            job = cat.jobs.get(job_id)
            allowed = [key for key, c in cat.candidates.items() if flt.accepts(c, job)]
            found = self.retriever.retrieve(
                cat.candidate_index, cat.job_vector(job_id), allowed, depth
            )
            cands = [cat.candidates.by_key(key) for key in found.keys]
            X = self.features([c.id for c in cands], [job.id] * len(cands), found.semantic)
            model = self.models[_CANDIDATES]
            scored = model.score(X)
            top, audit = policy.order(
                model.relevance(scored.scores),
                cat.sensitive_of([c.id for c in cands]),
                k,
                priority=self.config.priority,
                fairness=self.config.fairness,
                attribute=self.config.fairness_attribute,
            )
            cat.store.append_audit(
                datetime.now(timezone.utc).isoformat(),
                {
                    "kind": "rank_candidates",
                    "job_id": job_id,
                    "k": k,
                    "n_ranked": len(cands),
                    "model_version": model.version,
                    **audit,
                },
            )
            # What a recruiter sees must not show whom the priority or fairness stage moved.
            shown = policy.display_scores(len(top))
            return self.explainer.matches(
                [(cands[i], job) for i in top],
                [cands[i].id for i in top],
                shown,
                shown,
                X[top],
                scored.contributions[top],
            )

    def score_pool(self, query_id: str, ranked: Direction) -> PoolScores:
        """The whole other side scored for one query (see :meth:`MatchingEngine.score_pool`)."""
        cat = self.catalogue
        with cat.lock:
            if ranked is _JOBS:
                query, index, ids = cat.candidate_vector(query_id), cat.job_index, cat.jobs.ids()
                keys = [cat.jobs.key(i) for i in ids]
                pairs = ([query_id] * len(ids), ids)
            else:
                query, index = cat.job_vector(query_id), cat.candidate_index
                ids = cat.candidates.ids()
                keys = [cat.candidates.key(i) for i in ids]
                pairs = (ids, [query_id] * len(ids))
            vectors = index.get_vectors(np.asarray(keys, dtype=np.int64))
            semantic = (vectors @ query[0]).astype(np.float32)
            X = self.features(pairs[0], pairs[1], semantic)
            scores = self.models[ranked].score(X, explain=False).scores
            return PoolScores(ids, scores, semantic)

    def train(
        self,
        *,
        negatives_per_query: int,
        min_queries: int,
        random_state: int,
        n_estimators: int,
        learning_rate: float,
        require_improvement: bool,
    ) -> TrainingReport:
        """Train from the stored events (see :meth:`MatchingEngine.train_ranker`).

        The training matrices are built under the catalogue's lock, the models fitted outside
        it, and the adopted ones swapped in under it again.
        """
        cat = self.catalogue
        with cat.lock:
            sets = prepare_training_sets(
                cat.store.iter_events(),
                cat.jobs.ids(),
                cat.candidates.ids(),
                lambda cids, jids: self.features(cids, jids, cat.semantic(cids, jids)),
                negatives_per_query=negatives_per_query,
                min_queries=min_queries,
                random_state=random_state,
            )
            n_events = cat.store.count_events()
        # Fitting takes a while and needs nothing of the engine: requests go on meanwhile.
        models, report = fit_rankers(
            sets,
            n_events,
            random_state=random_state,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            require_improvement=require_improvement,
        )
        with cat.lock:
            for d in report.directions:
                if d.trained and not d.adopted:
                    # the new model lost to the transparent scorer: so would an older one
                    self.models.retire(d.direction)
            for direction, model in models.items():
                self.models.adopt(direction, model)
        return report
