"""One request, top to bottom: hard filters, retrieval, features, model, policy stages, reasons.

The :class:`RankingPipeline` holds the parts the engine assembled and runs them in order for
each kind of request; the engine checks the arguments and hands them on.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, NamedTuple

import numpy as np

from matching import policy
from matching.catalogue import Catalogue, candidate_text, job_text
from matching.config import EngineConfig
from matching.errors import RecordsChangedError, UnknownIdError
from matching.explain import Explainer, Language, detect_language
from matching.features import Featurizer
from matching.interactions import (
    InteractionLog,
    Snapshot,
    engaged_with_similar_jobs,
    peer_jobs,
    popular_jobs,
)
from matching.lexicon import SkillVocabulary
from matching.policy import RankingPolicy
from matching.records import CandidateProfile, Direction, Job, Match, SensitiveAttributes
from matching.retrieval import CandidateFilters, JobFilters, LexicalIndex, Retrieved, Retriever
from matching.scoring import (
    ModelSet,
    RankingModel,
    TrainingReport,
    fit_rankers,
    prepare_training_sets,
)
from matching.timing import StageTimings

__all__ = ["PoolScores", "RankingPipeline"]

_JOBS = Direction.JOBS_FOR_CANDIDATES
_CANDIDATES = Direction.CANDIDATES_FOR_JOB


class Candidates(NamedTuple):
    """A job's retrieved candidates as the policy stages receive them."""

    candidates: list[CandidateProfile]
    X: np.ndarray
    model: RankingModel
    relevance: np.ndarray
    qualified: np.ndarray | None
    sensitive: list[SensitiveAttributes]


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
    skills : SkillVocabulary, optional
        Which of a job's skills say what it is (for :func:`matching.policy.city_needs_skills`);
        the shipped lexicon by default.
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
        skills: SkillVocabulary | None = None,
    ) -> None:
        self.config = config
        self.skills = skills if skills is not None else SkillVocabulary.default()
        self.catalogue = catalogue
        self.retriever = retriever
        self.featurizer = featurizer
        self.models = models
        self.explainer = explainer
        cat = catalogue
        self.job_words = LexicalIndex(
            lambda: _documents(cat.jobs),
            lambda: cat.jobs.version,
            lambda since: _changed_documents(cat.jobs, since),
        )
        self.candidate_words = LexicalIndex(
            lambda: _documents(cat.candidates),
            lambda: cat.candidates.version,
            lambda since: _changed_documents(cat.candidates, since),
        )
        self.timings = StageTimings()
        self._popular: tuple[Snapshot, int, np.ndarray] | None = None

    def features(
        self,
        cids: Sequence[str],
        jids: Sequence[str],
        semantic: np.ndarray,
        *,
        snapshot: Snapshot | None = None,
    ) -> np.ndarray:
        """Feature rows of aligned (candidate, job) pairs (history as of ``snapshot``)."""
        inputs = self.catalogue.pair_inputs(cids, jids, semantic, snapshot=snapshot)
        return self.featurizer.transform(inputs)

    def pair_features(self, cids: list[str], jids: list[str]) -> np.ndarray:
        """Feature rows of aligned pairs as a live request computes them."""
        cat = self.catalogue
        with cat.lock.read():
            for c in cids:
                cat.candidates.get(c)
            for j in jids:
                cat.jobs.get(j)
            return self.features(cids, jids, cat.semantic(cids, jids))

    def retrieve_jobs(
        self,
        candidate_id: str,
        flt: JobFilters,
        depth: int | None,
        *,
        snapshot: Snapshot | None = None,
    ) -> Retrieved:
        """The jobs a ranker sees for a candidate: dense, lexical and event sources fused.

        With ``snapshot`` (training), "already applied" and the event sources are as of it.
        """
        cat = self.catalogue
        cand = cat.candidates.get(candidate_id)
        log, snap = self._history(snapshot)
        applied = (
            cat.applied_jobs(candidate_id)
            if snapshot is None
            else _applied(log, snap, candidate_id)
        )
        with self.timings.stage("filters"):
            columns = cat.job_columns()
            keys = np.asarray([cat.jobs.key(j) for j in applied if j in cat.jobs], np.int64)
            mask = flt.mask(columns, cand, applied, applied_keys=keys)
            allowed = columns.keys[mask]
        n = min(depth or self.retriever.depth, len(allowed))
        # (no skill source here: on real job views it took candidate-set places from
        # better sources; see benchmarks/README.md)
        sources = [self.job_words.top(cat.candidates.prepared(candidate_id).tokens, None, n)]
        if not snap.empty and n:
            vectors = cat.history.vectors()[0]
            cpos = log.candidate_position[candidate_id]
            for positions in (self._popular_jobs(snap, n), peer_jobs(snap, cpos, vectors, n)):
                sources.append(self._log_keys(log, _JOBS, positions))
        key = cat.candidates.key(candidate_id)
        return self.retriever.retrieve(
            cat.job_index,
            cat.candidate_index.get_vectors([key]),
            allowed,
            depth,
            sources=sources,
            similarity=lambda keys: cat.semantic_of_keys(np.full(len(keys), key), keys),
        )

    def retrieve_candidates(
        self,
        job_id: str,
        flt: CandidateFilters,
        depth: int | None,
        *,
        snapshot: Snapshot | None = None,
    ) -> Retrieved:
        """The candidates a ranker sees for a job: dense, lexical, skill and event sources fused."""
        cat = self.catalogue
        job = cat.jobs.get(job_id)
        log, snap = self._history(snapshot)
        with self.timings.stage("filters"):
            columns = cat.candidate_columns()
            mask = flt.mask(columns, job)
            allowed = columns.keys[mask]
        n = min(depth or self.retriever.depth, len(allowed))
        sources = [
            self.candidate_words.top(cat.jobs.prepared(job_id).tokens, None, n),
            columns.holding((*job.required_skills, *job.preferred_skills), n, mask),
        ]
        if not snap.empty and n:
            vectors = cat.history.vectors()[1]
            jpos = log.job_position[job_id]
            positions = engaged_with_similar_jobs(snap, jpos, vectors, n)
            sources.append(self._log_keys(log, _CANDIDATES, positions))
        key = cat.jobs.key(job_id)
        return self.retriever.retrieve(
            cat.candidate_index,
            cat.job_index.get_vectors([key]),
            allowed,
            depth,
            sources=sources,
            similarity=lambda keys: cat.semantic_of_keys(keys, np.full(len(keys), key)),
        )

    def _popular_jobs(self, snap: Snapshot, n: int) -> np.ndarray:
        """:func:`popular_jobs` of a snapshot, worked out once for the queries that share it."""
        cached = self._popular
        if cached is not None and cached[0] is snap and cached[1] == n:
            return cached[2]
        found = popular_jobs(snap, n)
        self._popular = (snap, n, found)
        return found

    def _log_keys(
        self, log: InteractionLog, ranked: Direction, positions: np.ndarray
    ) -> np.ndarray:
        """Store keys of the records of side ``ranked`` at some log positions, in order.

        A position whose record is no longer held is left out.
        """
        side = self.catalogue.jobs if ranked is _JOBS else self.catalogue.candidates
        ids = log.job_ids if ranked is _JOBS else log.candidate_ids
        keys = side.keys_of([ids[p] for p in positions.tolist()])
        return keys[keys >= 0]

    def retrieve_ids(
        self, query_id: str, ranked: Direction, flt: Any, depth: int | None
    ) -> list[str]:
        """The candidate set of one query, as ids."""
        cat = self.catalogue
        with cat.lock.read():
            if ranked is _JOBS:
                return [cat.jobs.id_of(k) for k in self.retrieve_jobs(query_id, flt, depth).keys]
            found = self.retrieve_candidates(query_id, flt, depth)
            return [cat.candidates.id_of(k) for k in found.keys]

    def _history(self, snapshot: Snapshot | None) -> tuple[InteractionLog, Snapshot]:
        log, live = self.catalogue.history.current()
        return log, snapshot if snapshot is not None else live

    def recommend_jobs(
        self,
        candidate_id: str,
        k: int,
        flt: JobFilters,
        depth: int | None,
        language: Language | None = None,
        ranking_policy: RankingPolicy | None = None,
    ) -> list[Match]:
        """Jobs for a candidate (see :meth:`MatchingEngine.recommend_jobs`)."""
        with self.timings.request(), self.catalogue.lock.read():
            return self._recommend([candidate_id], k, flt, depth, language, ranking_policy)[0]

    def recommend_cohort(
        self,
        candidate_ids: Sequence[str],
        k: int,
        flt: JobFilters,
        depth: int | None,
        language: Language | None = None,
        ranking_policy: RankingPolicy | None = None,
    ) -> list[list[Match]]:
        """Jobs for each of several candidates, as :meth:`recommend_jobs` gives them one by one.

        Retrieval runs per candidate; features, the model and the contributions of the rows
        shown run once over the whole batch.
        """
        with self.timings.request(), self.catalogue.lock.read():
            return self._recommend(candidate_ids, k, flt, depth, language, ranking_policy)

    def _recommend(
        self,
        candidate_ids: Sequence[str],
        k: int,
        flt: JobFilters,
        depth: int | None,
        language: Language | None,
        ranking_policy: RankingPolicy | None,
    ) -> list[list[Match]]:
        cat = self.catalogue
        watch = self.timings
        boost = (ranking_policy or self.config.policy).job_boost
        cands = [cat.candidates.get(c) for c in candidate_ids]
        if not cands:
            return []
        with watch.stage("retrieval"):
            found = [self.retrieve_jobs(c, flt, depth) for c in candidate_ids]
            jobs = [[cat.jobs.by_key(key) for key in f.keys] for f in found]
        bounds = np.cumsum([0, *(len(js) for js in jobs)])
        with watch.stage("features"):
            X = self.features(
                [c.id for c, js in zip(cands, jobs, strict=True) for _ in js],
                [j.id for js in jobs for j in js],
                np.concatenate([f.semantic for f in found]).astype(np.float32),
            )
        model = self.models[_JOBS]
        with watch.stage("model"):
            # contributions only for the rows shown: explaining all of them costs the most
            scores = model.score(X, explain=False).scores
        tops, boosted, relevances = [], [], []
        with watch.stage("policy"):
            for q, js in enumerate(jobs):
                rows = slice(int(bounds[q]), int(bounds[q + 1]))
                relevance = policy.damp_popularity(
                    model.relevance(scores[rows]), X[rows], self.config.popularity_damping
                )
                ranked, passed = policy.boost_jobs(
                    relevance, [(j.key_sector, j.grassroots_programme) for j in js], boost
                )
                tops.append(ranked[:k])
                boosted.append(passed)
                relevances.append(relevance)
        if boost.enabled:
            with watch.stage("audit"):
                for cid, js, top, passed in zip(candidate_ids, jobs, tops, boosted, strict=True):
                    # a policy acted on a student's list: recorded like recruiters' lists
                    cat.store.append_audit(
                        datetime.now(timezone.utc).isoformat(),
                        {
                            "kind": "recommend_jobs",
                            # a pseudonym: the log outlives a deleted graduate's records
                            "candidate": self.pseudonym(cid),
                            "k": k,
                            "n_ranked": len(js),
                            "model_version": model.version,
                            "policy_source": "deployment" if ranking_policy is None else "request",
                            "policy": {"job_boost": boost.to_dict()},
                            "boost_changed": bool(passed[top].any()),
                            "n_boosted": int(np.count_nonzero(passed[top])),
                            "positions_moved": int(passed[top].sum()),
                        },
                    )
        shown = np.concatenate([bounds[q] + top for q, top in enumerate(tops)]).astype(np.int64)
        with watch.stage("contributions"):
            contributions = model.score(X[shown]).contributions
        out = []
        with watch.stage("reasons"):
            at = 0
            for q, (cand, js, top) in enumerate(zip(cands, jobs, tops, strict=True)):
                picked = shown[at : at + len(top)]
                parts = contributions[at : at + len(top)]
                at += len(top)
                lang = language or detect_language(candidate_text(cand))
                matches = self.explainer.matches(
                    [(cand, js[i]) for i in top],
                    [js[i].id for i in top],
                    scores[picked],
                    np.clip(relevances[q][top], 0.0, 1.0),
                    X[picked],
                    parts,
                    lang,
                )
                passed = boosted[q]
                out.append(
                    [
                        self.explainer.with_boost_note(
                            m,
                            "key_sector" if boost.key_sector and js[i].key_sector else "grassroots",
                        )
                        if passed[i]
                        else m
                        for m, i in zip(matches, top, strict=True)
                    ]
                )
        return out

    def rank_candidates(
        self,
        job_id: str,
        k: int,
        flt: CandidateFilters,
        depth: int | None,
        language: Language | None = None,
        ranking_policy: RankingPolicy | None = None,
    ) -> list[Match]:
        """Candidates for a job, through the policy stages.

        See :meth:`MatchingEngine.rank_candidates`.
        """
        cat = self.catalogue
        watch = self.timings
        chosen = ranking_policy or self.config.policy
        with watch.request(), cat.lock.read():
            job = cat.jobs.get(job_id)
            lang = language or detect_language(job_text(job))
            scored = self.candidates_for(job_id, flt, depth)
            cands, X, model = scored.candidates, scored.X, scored.model
            with watch.stage("policy"):
                top, audit = policy.order(
                    scored.relevance,
                    cands,
                    scored.sensitive,
                    k,
                    chosen,
                    qualified=scored.qualified,
                )
            with watch.stage("audit"):
                cat.store.append_audit(
                    datetime.now(timezone.utc).isoformat(),
                    {
                        "kind": "rank_candidates",
                        "job_id": job_id,
                        "k": k,
                        "n_ranked": len(cands),
                        "model_version": model.version,
                        "policy_source": "deployment" if ranking_policy is None else "request",
                        **audit,
                    },
                )
            with watch.stage("contributions"):
                # as shares of each row's evidence: raw contributions add up to the model
                # score, and beside the final order would show whom the policy stages moved
                contributions = policy.contribution_shares(model.score(X[top]).contributions)
            with watch.stage("reasons"):
                # What a recruiter sees must not show whom the priority or fairness stage moved.
                shown = policy.display_scores(len(top))
                return self.explainer.matches(
                    [(cands[i], job) for i in top],
                    [cands[i].id for i in top],
                    shown,
                    shown,
                    X[top],
                    contributions,
                    lang,
                )

    def warm_views(self) -> None:
        """Build every view a request reads (filters' columns, BM25, event log, standings).

        A request builds them on first use; a server builds them before it answers, so
        its first requests (and a write waiting behind them) do not pay for it.
        """
        cat = self.catalogue
        with cat.lock.read():
            cat.job_columns()
            cat.candidate_columns()
            cat.reference_day()
            self.job_words.top((), None, 1)
            self.candidate_words.top((), None, 1)
            cat.history.current()
            cat.standing.measure_all()

    def _removed_since(self, versions: tuple[int, int]) -> bool:
        """Whether a record was removed since ``(candidates.version, jobs.version)``."""
        with self.catalogue.lock.read():
            return self.catalogue.added_since(versions) is None

    def pseudonym(self, candidate_id: str) -> str:
        """A keyed hash of a candidate id, as the audit log refers to graduates."""
        secret = getattr(self, "_audit_secret", None)
        if secret is None:
            # kept in the store's metadata, so pseudonyms survive restarts; a store without
            # metadata gets a secret for this process
            store = self.catalogue.store
            get, put = getattr(store, "get_meta", None), getattr(store, "set_meta", None)
            secret = get("audit_secret") if get is not None else None
            if secret is None:
                secret = secrets.token_hex(16)
                if put is not None:
                    put("audit_secret", secret)
            self._audit_secret = secret
        return hmac.new(secret.encode(), candidate_id.encode(), hashlib.sha256).hexdigest()[:16]

    def _specific_skills(self, job: Job) -> frozenset[str]:
        """The job's skills that say what it is (see :meth:`SkillVocabulary.specific`)."""
        return self.skills.specific((*job.required_skills, *job.preferred_skills))

    @staticmethod
    def _city_for_the_skilled(
        model: RankingModel, X: np.ndarray, scores: np.ndarray, skilled: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``X`` and ``scores`` with the desired city counted for ``skilled`` candidates only.

        See :func:`matching.policy.city_needs_skills`; only the rows without the job's skills
        change, so only they are scored again.
        """
        local = policy.city_needs_skills(X, skilled)
        if local is None:
            return X, scores
        scores = scores.copy()
        scores[~skilled] = model.score(local[~skilled], explain=False).scores
        return local, scores

    def candidates_for(self, job_id: str, flt: CandidateFilters, depth: int | None) -> Candidates:
        """A job's retrieved candidates, scored, before the priority and fairness stages.

        The caller holds the catalogue's lock.
        """
        cat = self.catalogue
        watch = self.timings
        job = cat.jobs.get(job_id)
        with watch.stage("retrieval"):
            found = self.retrieve_candidates(job_id, flt, depth)
            cands = [cat.candidates.by_key(key) for key in found.keys]
        with watch.stage("features"):
            X = self.features([c.id for c in cands], [job.id] * len(cands), found.semantic)
        model = self.models[_CANDIDATES]
        with watch.stage("model"):
            scores = model.score(X, explain=False).scores
        with watch.stage("policy"):
            qualified = policy.fit_evidence(X)
            if self.config.fit_first:
                specific = self._specific_skills(job)
                skilled = np.fromiter(
                    (not specific.isdisjoint(c.skills) for c in cands), dtype=bool, count=len(cands)
                )
                X, scores = self._city_for_the_skilled(model, X, scores, skilled)
                relevance = policy.fit_first(model.relevance(scores), X)
            else:
                relevance = model.relevance(scores)
            sensitive = cat.sensitive_of([c.id for c in cands])
        return Candidates(cands, X, model, relevance, qualified, sensitive)

    def score_pool(self, query_id: str, ranked: Direction) -> PoolScores:
        """The whole other side scored for one query (see :meth:`MatchingEngine.score_pool`)."""
        cat = self.catalogue
        with cat.lock.read():
            if ranked is _JOBS:
                cat.candidates.get(query_id)
                ids = cat.jobs.ids()
                pairs = ([query_id] * len(ids), ids)
            else:
                cat.jobs.get(query_id)
                ids = cat.candidates.ids()
                pairs = (ids, [query_id] * len(ids))
            semantic = cat.semantic(pairs[0], pairs[1])
            X = self.features(pairs[0], pairs[1], semantic)
            model = self.models[ranked]
            scores = model.score(X, explain=False).scores
            # the order a student or a recruiter sees (before priority and fairness), back on
            # the model's scale
            relevance = None
            if ranked is _JOBS and self.config.popularity_damping > 0:
                relevance = policy.damp_popularity(
                    model.relevance(scores), X, self.config.popularity_damping
                )
            elif ranked is _CANDIDATES and self.config.fit_first:
                columns = cat.candidate_columns()
                holders = columns.holding(
                    self._specific_skills(cat.jobs.get(query_id)), len(columns.keys)
                )
                skilled = np.isin(cat.candidates.keys_of(ids), holders)
                X, scores = self._city_for_the_skilled(model, X, scores, skilled)
                relevance = policy.fit_first(model.relevance(scores), X)
            if relevance is not None:
                lo, hi = model.scale
                scores = (relevance * max(hi - lo, 1e-12) + lo).astype(np.float32)
            return PoolScores(ids, scores, semantic)

    def train(
        self,
        *,
        negatives_per_query: int,
        min_queries: int,
        random_state: int,
        n_estimators: int,
        learning_rate: float,
        num_leaves: int,
        min_child_samples: int,
        require_improvement: bool,
    ) -> TrainingReport:
        """Train from the stored events (see :meth:`MatchingEngine.train_ranker`).

        The training matrices are built from the log as it was when training started; each
        piece of them (one list's features, one serving list) holds the catalogue's lock to
        read for its own time only, so writes go on between them. The models are fitted
        without the lock, and the adopted ones swapped in under it.

        Raises
        ------
        RecordsChangedError
            A record of the log was removed while the matrices were being built.
        """
        cat = self.catalogue
        with cat.lock.read():
            log, _ = cat.history.current()
            versions = (cat.candidates.version, cat.jobs.version)
        # Records added meanwhile are not in the log: lists and features keep to those that are.
        in_log = {_JOBS: log.job_position, _CANDIDATES: log.candidate_position}

        def features(cids: list[str], jids: list[str], snap: Snapshot) -> np.ndarray:
            with cat.lock.read():
                return self.features(cids, jids, cat.semantic(cids, jids), snapshot=snap)

        def serving_list(ranked: Direction, query: str, snap: Snapshot) -> list[str]:
            with cat.lock.read():
                if ranked is _JOBS:
                    # what the service would have shown that day: posted, and still open
                    day = snap.as_of_day
                    flt = JobFilters(open_on=day, posted_by=day)
                    found = self.retrieve_jobs(query, flt, None, snapshot=snap)
                    ids = [cat.jobs.id_of(k) for k in found.keys]
                else:
                    found = self.retrieve_candidates(query, CandidateFilters(), None, snapshot=snap)
                    ids = [cat.candidates.id_of(k) for k in found.keys]
                return [i for i in ids if i in in_log[ranked]]

        def live(ranked: Direction, snap: Snapshot) -> np.ndarray | None:
            day = snap.as_of_day
            if ranked is not _JOBS or day is None:
                return None
            with cat.lock.read():
                jobs = [cat.jobs.get(j) for j in log.job_ids]
            return np.asarray(
                [
                    (j.posted_at is None or j.posted_at <= day)
                    and (j.deadline is None or j.deadline >= day)
                    for j in jobs
                ],
                dtype=bool,
            )

        try:
            sets = prepare_training_sets(
                log,
                features=features,
                serving_list=serving_list,
                live=live,
                negatives_per_query=negatives_per_query,
                min_queries=min_queries,
                random_state=random_state,
            )
        except (UnknownIdError, KeyError, IndexError) as exc:
            if not self._removed_since(versions):
                raise
            raise RecordsChangedError(
                f"a record was removed while the ranker's training data was being built "
                f"({exc!r}); train again"
            ) from None
        if self._removed_since(versions):
            # positions in the log moved: features built after the removal would be wrong
            raise RecordsChangedError(
                "a record was removed while the ranker's training data was being built; train again"
            )
        n_events = len(log)
        # Fitting takes a while and needs nothing of the engine: requests go on meanwhile.
        models, report = fit_rankers(
            sets,
            n_events,
            random_state=random_state,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            num_leaves=num_leaves,
            min_child_samples=min_child_samples,
            require_improvement=require_improvement,
        )
        with cat.lock.write():
            for d in report.directions:
                if d.trained and not d.adopted:
                    # the new model lost to the transparent scorer: so would an older one
                    self.models.retire(d.direction)
            for direction, model in models.items():
                self.models.adopt(direction, model)
        return report


def _documents(side: Any) -> tuple[list[int], list[Any]]:
    ids = side.ids()
    return [side.key(i) for i in ids], [side.prepared(i).tokens for i in ids]


def _changed_documents(side: Any, since: Any) -> list[tuple[int, Any]] | None:
    """The documents put (and the keys dropped, with None) since a version of the side."""
    changes = side.changes_since(since) if isinstance(since, int) else None
    if changes is None:
        return None
    out: list[tuple[int, Any]] = []
    for change in changes:
        if change.old_key is not None and change.old_key != change.key:
            out.append((change.old_key, None))
        held = not change.dropped and side.holds(change.item_id, change.key)
        out.append((change.key, side.prepared(change.item_id).tokens if held else None))
    return out


def _applied(log: InteractionLog, snap: Snapshot, candidate_id: str) -> frozenset[str]:
    """Jobs the candidate had applied to (or further) as of the snapshot."""
    row = snap.grades[log.candidate_position[candidate_id]]
    return frozenset(log.job_ids[j] for j, g in zip(row.indices, row.data, strict=True) if g >= 2)
