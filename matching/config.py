"""Engine configuration: a small immutable record saved with the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from matching.errors import ValidationError
from matching.features import FEATURE_NAMES
from matching.policy.groups import FAIRNESS_ATTRIBUTES, check_constraint_labels
from matching.policy.policies import JobBoost, RankingPolicy
from ranking import FairnessConstraint, PriorityPolicy

__all__ = ["EngineConfig", "FairnessAttribute", "IndexKind"]

IndexKind = Literal["flat", "hnsw", "ivf"]
FairnessAttribute = Literal[
    "gender", "assisted", "disability", "ethnicity", "origin", "school_tier", "region"
]


def _default_priority() -> PriorityPolicy:
    return PriorityPolicy(enabled=True, tolerance=0.02)


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """How a :class:`~matching.engine.MatchingEngine` retrieves and ranks.

    Parameters
    ----------
    encoder : str, default "use-multilingual"
        Encoder spec: ``"use-multilingual"`` (offline default) or ``"st:<name-or-path>"``
        for a sentence-transformers model.
    index_kind : {"flat", "hnsw", "ivf"}, default "flat"
        Vector index type; ``flat`` is exact, the others are approximate for large pools.
    retrieval_depth : int, default 300
        How many items retrieval hands to the ranker per query.
    priority : PriorityPolicy
        The bounded "under equal conditions" priority for hardship-assisted graduates, applied
        when ranking candidates for a job. ``tolerance`` is on the engine's fixed relevance
        scale (1.0 is a top score of the current model), not relative to a
        list. Disable it where a deployment's jurisdiction forbids it.
    fairness : FairnessConstraint, optional
        A fairness constraint on the top-k of candidates for a job; off when ``None``.
    fairness_attribute : {"gender", "assisted", "disability", "ethnicity", "origin", \
"school_tier", "region"}
        The attribute that defines the groups of ``fairness``
        (:data:`matching.policy.GROUP_LABELS`).
    n_top_features : int, default 3
        How many feature contributions each match's reasons list.
    chunk_chars : int, default 1000
        Texts longer than this are encoded by parts: cut at sentence ends into chunks of at
        most this many characters, whose vectors are averaged (no text is read only up to
        the encoder's limit). Lower it for a sentence-transformers model, which reads a few
        hundred tokens at most.
    max_chunks : int, default 8
        Most chunks a text is read from (spread over the whole text): the cost of encoding
        a text is bounded by ``chunk_chars * max_chunks`` characters.
    disabled_features : tuple of str, default ()
        Feature columns (names of :data:`matching.features.FEATURE_NAMES`) a deployment does
        not use: they are always unknown (NaN), so no model can learn from them and the
        transparent scorer treats them as no evidence.
    popularity_damping : float, default 0.0
        How much a job's popularity among other graduates lowers it in a student's list, in
        [0, 1] on the relevance scale: the most engaged-with jobs lose up to this much, and a
        job whose openings are all filled loses it whole. It keeps a model that learned
        popularity from showing everyone the same few jobs (see ``benchmarks/README.md``).
    fit_first : bool, default True
        In a recruiter's list, candidates with a skill the job names or a related major come
        first, then those whose only evidence of fit is a profile clearly closer to it than
        its usual candidate, then the rest, whatever else (a desired city, say) a model weighs
        (:func:`matching.policy.fit_first`); a fairness constraint may still move one up. And
        a desired city counts only for candidates with one of the job's own skills
        (:func:`matching.policy.city_needs_skills`).
    job_boost : JobBoost, default off
        The bounded boost of key-sector and grassroots-programme postings in students'
        recommendations (:class:`matching.policy.JobBoost`).

    ``priority``, ``fairness``, ``fairness_attribute`` and ``job_boost`` together are the
    deployment's :attr:`policy`; a request may pass its own.
    """

    encoder: str = "use-multilingual"
    index_kind: IndexKind = "flat"
    retrieval_depth: int = 300
    priority: PriorityPolicy = field(default_factory=_default_priority)
    fairness: FairnessConstraint | None = None
    fairness_attribute: FairnessAttribute = "gender"
    n_top_features: int = 3
    chunk_chars: int = 1000
    max_chunks: int = 8
    disabled_features: tuple[str, ...] = ()
    popularity_damping: float = 0.0
    fit_first: bool = True
    job_boost: JobBoost = field(default_factory=JobBoost)

    def __post_init__(self) -> None:
        if not isinstance(self.encoder, str) or not self.encoder.strip():
            raise ValidationError("encoder", f"got {self.encoder!r}; a non-empty spec is required")
        if self.index_kind not in get_args(IndexKind):
            raise ValidationError(
                "index_kind", f"got {self.index_kind!r}; allowed: {', '.join(get_args(IndexKind))}"
            )
        if (
            isinstance(self.retrieval_depth, bool)
            or not isinstance(self.retrieval_depth, int)
            or self.retrieval_depth < 1
        ):
            raise ValidationError(
                "retrieval_depth", f"got {self.retrieval_depth!r}; a positive integer is required"
            )
        if self.fairness_attribute not in FAIRNESS_ATTRIBUTES:
            raise ValidationError(
                "fairness_attribute",
                f"got {self.fairness_attribute!r}; allowed: {', '.join(FAIRNESS_ATTRIBUTES)}",
            )
        if not isinstance(self.priority, PriorityPolicy):
            raise ValidationError("priority", "must be a ranking.PriorityPolicy")
        if self.fairness is not None:
            if not isinstance(self.fairness, FairnessConstraint):
                raise ValidationError("fairness", "must be a ranking.FairnessConstraint or None")
            check_constraint_labels(self.fairness, self.fairness_attribute)
        if (
            isinstance(self.n_top_features, bool)
            or not isinstance(self.n_top_features, int)
            or (self.n_top_features < 0)
        ):
            raise ValidationError(
                "n_top_features", f"got {self.n_top_features!r}; a non-negative integer is required"
            )
        for name, low in (("chunk_chars", 16), ("max_chunks", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValidationError(name, f"got {value!r}; an integer >= {low} is required")
        if isinstance(self.disabled_features, str) or not all(
            isinstance(f, str) for f in self.disabled_features
        ):
            raise ValidationError("disabled_features", "a list of feature names is required")
        object.__setattr__(self, "disabled_features", tuple(self.disabled_features))
        unknown = sorted(set(self.disabled_features) - set(FEATURE_NAMES))
        if unknown:
            raise ValidationError(
                "disabled_features",
                f"{unknown[0]!r} is not a feature; allowed: {', '.join(FEATURE_NAMES)}",
            )
        damping = self.popularity_damping
        if (
            isinstance(damping, bool)
            or not isinstance(damping, (int, float))
            or not 0.0 <= damping <= 1.0
        ):
            raise ValidationError(
                "popularity_damping", f"got {damping!r}; a number in [0, 1] is required"
            )
        if not isinstance(self.fit_first, bool):
            raise ValidationError("fit_first", f"got {self.fit_first!r}; true or false is required")
        if not isinstance(self.job_boost, JobBoost):
            raise ValidationError("job_boost", "must be a matching.policy.JobBoost")

    @property
    def policy(self) -> RankingPolicy:
        """The deployment's ranking policy: priority, fairness and its attribute, job boost."""
        return RankingPolicy(
            priority=self.priority,
            fairness=self.fairness,
            attribute=self.fairness_attribute,
            job_boost=self.job_boost,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping that :meth:`from_dict` reads back."""
        return {
            "encoder": self.encoder,
            "index_kind": self.index_kind,
            "retrieval_depth": self.retrieval_depth,
            "priority": self.priority.to_dict(),
            "fairness": None if self.fairness is None else self.fairness.to_dict(),
            "fairness_attribute": self.fairness_attribute,
            "n_top_features": self.n_top_features,
            "chunk_chars": self.chunk_chars,
            "max_chunks": self.max_chunks,
            "disabled_features": list(self.disabled_features),
            "popularity_damping": self.popularity_damping,
            "fit_first": self.fit_first,
            "job_boost": self.job_boost.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EngineConfig:
        """Build a config from :meth:`to_dict` output; unknown settings are refused.

        Raises
        ------
        ValidationError
            A key is not a setting, or a value is invalid.
        """
        data = dict(data)
        if isinstance(data.get("priority"), Mapping):
            data["priority"] = PriorityPolicy.from_dict(data["priority"])
        if isinstance(data.get("fairness"), Mapping):
            # target shares are saved as [label, share] pairs so that non-string labels
            # survive JSON
            try:
                data["fairness"] = FairnessConstraint.from_dict(data["fairness"])
            except (TypeError, ValueError) as exc:
                raise ValidationError("fairness", str(exc)) from None
        if isinstance(data.get("job_boost"), Mapping):
            data["job_boost"] = JobBoost.from_dict(data["job_boost"])
        allowed = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ValidationError(
                unknown[0], f"is not a setting; allowed: {', '.join(sorted(allowed))}"
            )
        return cls(**data)
