"""Ranking policies as objects: set per deployment, or passed with one request.

A :class:`RankingPolicy` says what the policy stages do: the bounded priority for
hardship-assisted graduates and the fairness constraint (with the attribute that defines its
groups) in recruiters' lists, and the :class:`JobBoost` for key-sector and grassroots-programme
postings in students' recommendations. The engine's config holds the deployment's policy; a
request may pass its own, whole or as changes to the deployment's. Every recruiter ranking
records the policy it ran under in the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from matching.errors import ValidationError
from matching.policy.groups import FAIRNESS_ATTRIBUTES, check_constraint_labels
from ranking import FairnessConstraint, PriorityPolicy

__all__ = ["BOOST_NAME", "JobBoost", "RankingPolicy"]

#: Name of the job-side boost in audit records and reasons.
BOOST_NAME = "bounded_policy_boost"


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(name, f"got {value!r}; true or false is required")
    return value


def _keys(data: object, allowed: tuple[str, ...], name: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError(name, f"must be an object with keys {', '.join(allowed)}")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            f"{name}.{unknown[0]}", f"is not a setting; allowed: {', '.join(allowed)}"
        )
    return data


@dataclass(frozen=True, slots=True)
class JobBoost:
    """The bounded boost of key-sector (重点领域) and grassroots-programme (基层就业) postings.

    In a student's recommendations a boosted posting may pass another only when that one's
    relevance is higher by less than ``tolerance``: the same bounded mechanism as the priority
    for assisted graduates (:func:`ranking.apply_priority`), so it never overrides a clear
    difference in fit. Off by default.

    Parameters
    ----------
    enabled : bool, default False
    tolerance : float, default 0.02
        Finite, >= 0, on the scorer's fixed relevance scale.
    key_sector, grassroots_programme : bool, default True
        Which postings the boost serves (the job records' flags of the same names).
    """

    enabled: bool = False
    tolerance: float = 0.02
    key_sector: bool = True
    grassroots_programme: bool = True

    def __post_init__(self) -> None:
        for name in ("enabled", "key_sector", "grassroots_programme"):
            _flag(getattr(self, name), f"job_boost.{name}")
        try:
            # the same rules as the priority's tolerance
            PriorityPolicy(enabled=True, tolerance=self.tolerance)
        except (TypeError, ValueError) as exc:
            raise ValidationError("job_boost.tolerance", str(exc)) from None
        object.__setattr__(self, "tolerance", float(self.tolerance))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (for the config, the audit and :meth:`from_dict`)."""
        return {
            "policy": BOOST_NAME,
            "enabled": self.enabled,
            "tolerance": self.tolerance,
            "key_sector": self.key_sector,
            "grassroots_programme": self.grassroots_programme,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], name: str = "job_boost") -> JobBoost:
        """Build a boost from :meth:`to_dict` output or a JSON body (unknown keys refused)."""
        names = ("policy", "enabled", "tolerance", "key_sector", "grassroots_programme")
        values = dict(_keys(data, names, name))
        if values.pop("policy", BOOST_NAME) != BOOST_NAME:
            raise ValidationError(f"{name}.policy", f"must be {BOOST_NAME!r}")
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ValidationError(f"{name}.{exc.field.split('.')[-1]}", exc.message) from None

    def applies_to(self, key_sector: bool, grassroots_programme: bool) -> bool:
        """Whether a posting with these flags is boosted."""
        return self.enabled and (
            (self.key_sector and key_sector) or (self.grassroots_programme and grassroots_programme)
        )


def _default_priority() -> PriorityPolicy:
    return PriorityPolicy(enabled=True, tolerance=0.02)


@dataclass(frozen=True, slots=True)
class RankingPolicy:
    """What the policy stages do in one ranking.

    Parameters
    ----------
    priority : ranking.PriorityPolicy, default on with tolerance 0.02
        The bounded "under equal conditions" priority for hardship-assisted graduates in
        recruiters' lists.
    fairness : ranking.FairnessConstraint, optional
        A fairness constraint on recruiters' top k (algorithm, targets or ``"pool"``, alpha);
        off when ``None``.
    attribute : str, default "gender"
        The attribute that defines the groups of ``fairness``: one of
        :data:`~matching.policy.groups.FAIRNESS_ATTRIBUTES`.
    job_boost : JobBoost, default off
        The bounded boost of key-sector and grassroots-programme postings for students.

    Examples
    --------
    >>> p = RankingPolicy.from_dict({"fairness": {"kind": "det_cons", "target_proportions": "pool"},
    ...                              "attribute": "school_tier"})
    >>> p.fairness.kind, p.attribute, p.priority.enabled
    ('det_cons', 'school_tier', True)
    """

    priority: PriorityPolicy = field(default_factory=_default_priority)
    fairness: FairnessConstraint | None = None
    attribute: str = "gender"
    job_boost: JobBoost = field(default_factory=JobBoost)

    def __post_init__(self) -> None:
        if not isinstance(self.priority, PriorityPolicy):
            raise ValidationError("priority", "must be a ranking.PriorityPolicy")
        if self.attribute not in FAIRNESS_ATTRIBUTES:
            raise ValidationError(
                "attribute", f"got {self.attribute!r}; allowed: {', '.join(FAIRNESS_ATTRIBUTES)}"
            )
        if self.fairness is not None:
            if not isinstance(self.fairness, FairnessConstraint):
                raise ValidationError("fairness", "must be a ranking.FairnessConstraint or None")
            check_constraint_labels(self.fairness, self.attribute)
        if not isinstance(self.job_boost, JobBoost):
            raise ValidationError("job_boost", "must be a matching.policy.JobBoost")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description, as the audit log records it."""
        return {
            "priority": self.priority.to_dict(),
            "fairness": None if self.fairness is None else self.fairness.to_dict(),
            "attribute": self.attribute,
            "job_boost": self.job_boost.to_dict(),
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, base: RankingPolicy | None = None
    ) -> RankingPolicy:
        """A policy from plain data: the keys given replace those of ``base``.

        Parameters
        ----------
        data : mapping
            Any of ``priority`` (``{"enabled", "tolerance"}``), ``fairness`` (a
            :class:`~ranking.FairnessConstraint` as a mapping, or ``None`` for none),
            ``attribute`` and ``job_boost`` (``{"enabled", "tolerance", "key_sector",
            "grassroots_programme"}``). Within ``priority`` and ``job_boost`` too, keys left
            out keep the base's values.
        base : RankingPolicy, optional
            The policy the changes apply to (the deployment's); the defaults by default.

        Raises
        ------
        ValidationError
            Naming the field (``policy.fairness``, ``policy.priority.tolerance``, ...) and
            what is allowed.
        """
        base = base or cls()
        data = _keys(data, ("priority", "fairness", "attribute", "job_boost"), "policy")
        changes: dict[str, Any] = {}
        if "priority" in data:
            given = _keys(data["priority"], ("policy", "enabled", "tolerance"), "policy.priority")
            merged = {**base.priority.to_dict(), **given}
            try:
                changes["priority"] = PriorityPolicy.from_dict(merged)
            except (TypeError, ValueError) as exc:
                raise ValidationError("policy.priority", str(exc)) from None
        if "fairness" in data:
            try:
                changes["fairness"] = (
                    None
                    if data["fairness"] is None
                    else FairnessConstraint.from_dict(data["fairness"])
                )
            except (TypeError, ValueError) as exc:
                raise ValidationError("policy.fairness", str(exc)) from None
        if "attribute" in data:
            changes["attribute"] = data["attribute"]
        if "job_boost" in data:
            given = _keys(
                data["job_boost"],
                ("policy", "enabled", "tolerance", "key_sector", "grassroots_programme"),
                "policy.job_boost",
            )
            changes["job_boost"] = JobBoost.from_dict(
                {**base.job_boost.to_dict(), **given}, name="policy.job_boost"
            )
        try:
            return replace(base, **changes)
        except ValidationError as exc:
            if exc.field.startswith("policy"):
                raise
            raise ValidationError(f"policy.{exc.field}", exc.message) from None

    @classmethod
    def resolve(
        cls, policy: RankingPolicy | Mapping[str, Any] | None, base: RankingPolicy
    ) -> RankingPolicy:
        """The policy of one request: ``base`` when none is given."""
        if policy is None:
            return base
        if isinstance(policy, RankingPolicy):
            return policy
        return cls.from_dict(policy, base=base)
