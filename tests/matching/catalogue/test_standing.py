"""Similarity standings: each side's moments against the other side's reference sample."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from matching.catalogue.standing import PRIOR_WEIGHT, REFRESH_SHARE, Standing, reference_sample


class Vectors:
    """Unit vectors by id for both sides; similarities are their dot products."""

    def __init__(self, n_candidates: int, n_jobs: int, dim: int = 8, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.vectors: dict[str, np.ndarray] = {}
        for prefix, n in (("c", n_candidates), ("j", n_jobs)):
            for i in range(n):
                v = rng.normal(size=dim)
                self.vectors[f"{prefix}{i}"] = v / np.linalg.norm(v)
        self.version = 0

    def ids(self, prefix: str) -> list[str]:
        return [i for i in self.vectors if i.startswith(prefix)]

    def matrix(self, cids: Sequence[str], jids: Sequence[str]) -> np.ndarray:
        c = np.stack([self.vectors[i] for i in cids])
        j = np.stack([self.vectors[i] for i in jids])
        return c @ j.T

    def lexical(self, cids: Sequence[str], jids: Sequence[str]) -> np.ndarray:
        return np.abs(self.matrix(cids, jids))  # any second similarity will do

    def standing(self, **options: Any) -> Standing:
        return Standing(
            candidate_ids=lambda: self.ids("c"),
            job_ids=lambda: self.ids("j"),
            semantic=self.matrix,
            lexical=self.lexical,
            version=lambda: self.version,
            **options,
        )

    def pairs(self, cids: Sequence[str], jids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        sem = np.asarray(
            [float(self.vectors[c] @ self.vectors[j]) for c, j in zip(cids, jids, strict=True)]
        )
        return sem, np.abs(sem)


def test_reference_sample_ignores_order_and_is_bounded() -> None:
    ids = [f"id{i}" for i in range(50)]
    sample = reference_sample(ids, size=10)
    assert len(sample) == 10 and set(sample) <= set(ids)
    assert reference_sample(ids[::-1], size=10) == sample
    # one more record moves the sample by at most one member
    assert len(set(reference_sample([*ids, "new"], size=10)) - set(sample)) <= 1
    assert sorted(reference_sample(ids[:5], size=10)) == sorted(ids[:5])


def test_candidate_standing_is_the_z_score_among_its_jobs() -> None:
    v = Vectors(30, 40)
    standing = v.standing()
    jobs = v.ids("j")
    sem, lex = v.pairs(["c0"] * len(jobs), jobs)
    got = standing.standings(["c0"] * len(jobs), jobs, sem, lex)
    # every job is in the reference sample: the shrunk mean and variance are these
    n, own = len(jobs), np.asarray([sem.mean(), sem.var()])
    c, j = v.ids("c"), v.ids("j")
    pooled = v.matrix(c, j)
    prior = np.asarray([pooled.mean(), pooled.var()])
    mean, var = (n * own + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)
    np.testing.assert_allclose(got[:, 0], (sem - mean) / np.sqrt(var), rtol=1e-4, atol=1e-5)
    # the order among one candidate's jobs is the similarity's order
    assert np.array_equal(np.argsort(-got[:, 0]), np.argsort(-sem))
    assert np.array_equal(np.argsort(-got[:, 2]), np.argsort(-lex))


def test_job_standing_discounts_a_job_close_to_everyone() -> None:
    v = Vectors(30, 10)
    # j0 is close to every candidate: the mean of all of them
    mean = np.mean([v.vectors[c] for c in v.ids("c")], axis=0)
    v.vectors["j0"] = mean / np.linalg.norm(mean)
    standing = v.standing()
    cands = v.ids("c")
    sem, lex = v.pairs(cands, ["j0"] * len(cands))
    got = standing.standings(cands, ["j0"] * len(cands), sem, lex)
    # high raw similarity, but each candidate's standing for this job is near its average
    assert sem.mean() > v.matrix(cands, v.ids("j")[1:]).mean()
    assert abs(float(np.nanmean(got[:, 1]))) < 0.5


def test_a_pair_s_standing_does_not_depend_on_its_batch() -> None:
    v = Vectors(20, 20)
    alone = v.standing()
    batch = v.standing()
    cids, jids = ["c3", "c4", "c5"], ["j7", "j1", "j2"]
    sem, lex = v.pairs(cids, jids)
    together = batch.standings(cids, jids, sem, lex)
    for i in range(3):
        one = alone.standings([cids[i]], [jids[i]], sem[i : i + 1], lex[i : i + 1])
        np.testing.assert_allclose(one[0], together[i], rtol=1e-6)


def test_a_tiny_store_falls_back_to_the_store_wide_moments() -> None:
    v = Vectors(3, 1)
    standing = v.standing()
    sem, lex = v.pairs(["c0", "c1", "c2"], ["j0"] * 3)
    got = standing.standings(["c0", "c1", "c2"], ["j0"] * 3, sem, lex)
    # one job: a candidate's own spread is zero, yet the store's spread ranks them
    assert np.isfinite(got).all()
    assert np.array_equal(np.argsort(-got[:, 0]), np.argsort(-sem))


def test_no_spread_gives_unknown_values() -> None:
    v = Vectors(1, 1)
    sem, lex = v.pairs(["c0"], ["j0"])
    assert np.isnan(v.standing().standings(["c0"], ["j0"], sem, lex)).all()


def test_moments_are_recomputed_when_the_store_changes() -> None:
    v = Vectors(10, 10)
    standing = v.standing()
    sem, lex = v.pairs(["c0"], ["j0"])
    before = standing.standings(["c0"], ["j0"], sem, lex)
    v.vectors["j9"] = v.vectors["c0"].copy()  # a job identical to c0 joins the store
    v.version += 1
    after = standing.standings(["c0"], ["j0"], sem, lex)
    assert after[0, 0] < before[0, 0]  # c0's usual similarity went up


class Tracked(Vectors):
    """Vectors whose changes are listed, as a catalogue's sides list theirs."""

    def __init__(self, *args: int, **kwargs: int) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[tuple[str, str]] = []  # change i makes version i + 1
        self.measured: list[str] = []  # ids whose moments were measured, in order

    def put(self, item_id: str, vector: np.ndarray) -> None:
        self.vectors[item_id] = vector / np.linalg.norm(vector)
        self.log.append(("candidates" if item_id.startswith("c") else "jobs", item_id))
        self.version += 1

    def matrix(self, cids: Sequence[str], jids: Sequence[str]) -> np.ndarray:
        if len(cids) <= 512 and len(jids) == REFERENCE_SIDE:
            self.measured += cids
        return super().matrix(cids, jids)

    def lexical(self, cids: Sequence[str], jids: Sequence[str]) -> np.ndarray:
        return np.abs(super().matrix(cids, jids))

    def standing(self, **options: Any) -> Standing:
        return super().standing(
            changed=lambda since: self.log[int(since) :],
            size=lambda: len(self.vectors),
            **options,
        )


REFERENCE_SIDE = 1000


def test_moments_outlive_a_write_that_leaves_them_valid() -> None:
    # 3000 candidates, 1000 jobs (all of them the candidates' reference sample)
    v = Tracked(3000, REFERENCE_SIDE, seed=5)
    standing = v.standing()
    cids = [f"c{i}" for i in range(2000, 2010)]
    sem, lex = v.pairs(cids, ["j0"] * 10)
    before = standing.standings(cids, ["j0"] * 10, sem, lex)
    # a candidate outside every sample changes: only their own moments are measured again
    sample = set(reference_sample(v.ids("c")))
    changed = next(c for c in cids if c not in sample)
    v.measured.clear()
    v.put(changed, np.random.default_rng(9).normal(size=8))
    sem, lex = v.pairs(cids, ["j0"] * 10)
    after = standing.standings(cids, ["j0"] * 10, sem, lex)
    assert v.measured == [changed]
    same = [i for i, c in enumerate(cids) if c != changed]
    np.testing.assert_array_equal(after[same, 0], before[same, 0])
    i = cids.index(changed)
    fresh = v.standing().standings([changed], ["j0"], sem[i : i + 1], lex[i : i + 1])
    np.testing.assert_allclose(after[i, 0], fresh[0, 0], rtol=1e-6)


def test_moments_are_measured_afresh_once_enough_of_the_store_changed() -> None:
    v = Tracked(3000, REFERENCE_SIDE, seed=5)
    standing = v.standing()
    sample = set(reference_sample(v.ids("c")))
    outside = [c for c in v.ids("c") if c not in sample]
    cid = outside[0]
    sem, lex = v.pairs([cid], ["j0"])
    standing.standings([cid], ["j0"], sem, lex)
    rng = np.random.default_rng(3)
    need = int(np.ceil(REFRESH_SHARE * len(v.vectors)))
    for other in outside[1:need]:  # one change short of the share: kept
        v.put(other, rng.normal(size=8))
    v.measured.clear()
    standing.standings([cid], ["j0"], sem, lex)
    assert v.measured == []
    v.put(outside[need], rng.normal(size=8))
    standing.standings([cid], ["j0"], sem, lex)
    assert v.measured == [cid]


def test_a_changed_sample_record_makes_every_moment_measured_again() -> None:
    v = Tracked(3000, REFERENCE_SIDE, seed=5)
    standing = v.standing()
    cids = ["c2000", "c2001"]
    sem, lex = v.pairs(cids, ["j0", "j0"])
    standing.standings(cids, ["j0", "j0"], sem, lex)
    v.measured.clear()
    v.put("j17", v.vectors["c2000"].copy())  # a job of the candidates' sample
    standing.standings(cids, ["j0", "j0"], sem, lex)
    assert sorted(v.measured) == cids


def test_measuring_all_moments_up_front_leaves_requests_nothing_to_measure() -> None:
    v = Tracked(1500, REFERENCE_SIDE, seed=2)
    standing = v.standing()
    standing.measure_all()
    assert len(set(v.measured)) == 1500
    v.measured.clear()
    cids, jids = ["c7", "c1400"], ["j3", "j999"]
    sem, lex = v.pairs(cids, jids)
    got = standing.standings(cids, jids, sem, lex)
    assert v.measured == []
    np.testing.assert_allclose(got, v.standing().standings(cids, jids, sem, lex), rtol=1e-6)


def test_no_pairs_give_an_empty_matrix() -> None:
    assert Vectors(0, 3).standing().standings([], [], np.zeros(0), np.zeros(0)).shape == (0, 4)


@pytest.mark.parametrize(("n_candidates", "n_jobs"), [(1, 3), (3, 1), (2, 2)])
def test_a_single_record_on_one_side_still_gets_values(n_candidates: int, n_jobs: int) -> None:
    v = Vectors(n_candidates, n_jobs)
    sem, lex = v.pairs(["c0"], ["j0"])
    assert np.isfinite(v.standing().standings(["c0"], ["j0"], sem, lex)).all()


def test_word_standings_divide_by_the_side_s_typical_spread() -> None:
    # c0's word similarities are a tenth of everyone else's: a short text with a tiny spread
    v = Vectors(30, 40)

    def lexical(cids: Sequence[str], jids: Sequence[str]) -> np.ndarray:
        scale = np.asarray([0.1 if c == "c0" else 1.0 for c in cids])[:, None]
        return scale * v.lexical(cids, jids)

    standing = Standing(
        candidate_ids=lambda: v.ids("c"),
        job_ids=lambda: v.ids("j"),
        semantic=v.matrix,
        lexical=lexical,
        version=lambda: v.version,
    )
    jobs = v.ids("j")
    rows = {}
    for c in ("c0", "c1"):
        sem = v.matrix([c], jobs)[0]
        rows[c] = standing.standings([c] * len(jobs), jobs, sem, lexical([c], jobs)[0])
    # the semantic standing is in the record's own deviations; the word standing in the
    # candidates' typical one, so c0's shared words count a tenth of c1's, not as many SDs
    typical = float(np.median(lexical(v.ids("c"), jobs).std(axis=1)))
    lex0 = lexical(["c0"], jobs)[0]
    n = len(jobs)
    prior_mean = lexical(v.ids("c"), jobs).mean()
    mean0 = (n * lex0.mean() + PRIOR_WEIGHT * prior_mean) / (n + PRIOR_WEIGHT)
    np.testing.assert_allclose(rows["c0"][:, 2], (lex0 - mean0) / typical, rtol=1e-4, atol=1e-5)
    spread0, spread1 = np.std(rows["c0"][:, 2]), np.std(rows["c1"][:, 2])
    assert spread0 < 0.2 * spread1
    assert np.array_equal(np.argsort(-rows["c0"][:, 2]), np.argsort(-lex0))
