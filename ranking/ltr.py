"""Learning-to-rank with LightGBM's LambdaRank objective (LambdaMART).

The estimator follows the scikit-learn contract (keyword-only hyper-parameters
stored unchanged, validation in ``fit``, learned state in ``*_`` attributes) but
keeps numpy in / numpy out and never pickles: models are saved as LightGBM's
native text format next to a small ``config.json``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._persist import atomic_save_dir, content_hash, read_config, write_json
from ._validation import (
    as_feature_matrix,
    as_real_vector,
    check_feature_names,
    check_float,
    check_int,
    check_query_sizes,
    check_relevance_labels,
)
from .errors import ModelFormatError, NotFittedError

__all__ = ["DEFAULT_LABEL_GAIN", "LambdaRankRanker"]

KIND = "lambdarank"
FORMAT_VERSION = 1
MODEL_FILE = "model.txt"

#: LightGBM's own default gains, ``2**label - 1`` for labels 0..30.  They match the
#: exponential gain of :func:`ranking.metrics.dcg_at_k`, so training and offline
#: evaluation optimise the same quantity.
DEFAULT_LABEL_GAIN: tuple[float, ...] = tuple(float(2**i - 1) for i in range(31))

_PARAM_NAMES = (
    "n_estimators",
    "learning_rate",
    "num_leaves",
    "min_child_samples",
    "label_gain",
    "random_state",
    "n_jobs",
)


class LambdaRankRanker:
    """Gradient-boosted trees trained with the LambdaRank (LambdaMART) objective.

    Parameters
    ----------
    n_estimators : int, default=300
        Number of boosting rounds (trees), >= 1.
    learning_rate : float, default=0.05
        Shrinkage applied to each tree, > 0.
    num_leaves : int, default=31
        Maximum number of leaves per tree, >= 2.
    min_child_samples : int, default=20
        Minimum number of rows in a leaf (LightGBM ``min_data_in_leaf``), >= 1.
    label_gain : sequence of float or None, default=None
        Gain of each relevance label (index = label).  ``None`` uses
        :data:`DEFAULT_LABEL_GAIN` (``2**label - 1``, labels 0..30).  Labels in
        ``fit`` must be smaller than its length.
    random_state : int, default=0
        Seed of every LightGBM random generator.
    n_jobs : int, default=1
        Number of threads for training and prediction, >= 1.  Training is run with
        ``deterministic=True`` and ``force_row_wise=True``, so a fixed seed and thread
        count give bit-identical models.

    Attributes
    ----------
    booster_ : lightgbm.Booster
        The trained model.
    n_features_in_ : int
        Number of feature columns seen in ``fit``.
    feature_names_in_ : tuple of str
        Names of those columns (``f0``, ``f1``, ... when none were given).
    feature_importances_ : numpy.ndarray of float64, shape (n_features,)
        Total gain of the splits on each feature.
    model_version_ : str
        Short SHA-256 content hash of the model text; identical models share it.
    """

    def __init__(
        self,
        *,
        n_estimators: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = 31,
        min_child_samples: int = 20,
        label_gain: Sequence[float] | None = None,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.label_gain = label_gain
        self.random_state = random_state
        self.n_jobs = n_jobs

    # -- scikit-learn style parameter access ---------------------------------------------

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the hyper-parameters as a dict (``deep`` is accepted for sklearn parity)."""
        return {name: getattr(self, name) for name in _PARAM_NAMES}

    def set_params(self, **params: Any) -> LambdaRankRanker:
        """Set hyper-parameters by name; they are validated at the next ``fit``."""
        for name, value in params.items():
            if name not in _PARAM_NAMES:
                raise ValueError(f"unknown parameter {name!r}; allowed: {list(_PARAM_NAMES)}")
            setattr(self, name, value)
        return self

    def _gains(self) -> tuple[float, ...]:
        if self.label_gain is None:
            return DEFAULT_LABEL_GAIN
        if isinstance(self.label_gain, (str, bytes)) or not isinstance(
            self.label_gain, Sequence | np.ndarray
        ):
            raise TypeError(
                f"label_gain must be a sequence of floats or None, got {self.label_gain!r}"
            )
        gains = tuple(check_float(g, f"label_gain[{i}]") for i, g in enumerate(self.label_gain))
        if not gains:
            raise ValueError("label_gain must have at least one entry, got an empty sequence")
        if any(g < 0 for g in gains):
            raise ValueError(f"label_gain entries must be >= 0, got {list(gains)}")
        return gains

    def _lgb_params(self) -> dict[str, Any]:
        """Validate the hyper-parameters and translate them to LightGBM's names."""
        check_int(self.n_estimators, "n_estimators", minimum=1)
        learning_rate = check_float(self.learning_rate, "learning_rate")
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be > 0, got {learning_rate}")
        return {
            "objective": "lambdarank",
            "learning_rate": learning_rate,
            "num_leaves": check_int(self.num_leaves, "num_leaves", minimum=2),
            "min_data_in_leaf": check_int(self.min_child_samples, "min_child_samples", minimum=1),
            "label_gain": list(self._gains()),
            "seed": check_int(self.random_state, "random_state"),
            "num_threads": check_int(self.n_jobs, "n_jobs", minimum=1),
            # Reproducibility: LightGBM documents that deterministic=True should be
            # paired with a forced histogram layout to avoid numerical instability.
            "deterministic": True,
            "force_row_wise": True,
            "verbose": -1,
        }

    # -- training ----------------------------------------------------------------------

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        group: ArrayLike,
        *,
        feature_names: Sequence[str] | None = None,
        sample_weight: ArrayLike | None = None,
        eval_set: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
        early_stopping_rounds: int | None = None,
        eval_at: int = 10,
        eval_metric: Callable[[NDArray[np.float64]], float] | None = None,
        init_score: ArrayLike | None = None,
        eval_init_score: ArrayLike | None = None,
    ) -> LambdaRankRanker:
        """Train on query groups of candidates with graded relevance labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features, cast to float32.  NaN marks a missing value; infinities are refused.
            Rows of one query must be contiguous, queries in the order of ``group``.
        y : array-like of shape (n_samples,)
            Integer graded relevance, ``0 <= y < len(label_gain)`` (0..30 by default).
        group : array-like of int, shape (n_queries,)
            Size of each query, as LightGBM expects: entries >= 1 summing to ``n_samples``.
            A query whose labels are all equal is allowed; it simply teaches nothing.
        feature_names : sequence of str, optional
            Unique names of the columns, kept in ``feature_names_in_`` for explanations.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative row weights.  LambdaRank uses them per query (LightGBM derives
            one weight per query from its rows), so give all rows of a query the same value.
        eval_set : tuple of (X, y, group), optional
            Held-out queries, with the same columns; with ``early_stopping_rounds``, boosting
            stops once their nDCG@``eval_at`` has not improved for that many rounds, and the
            model keeps the best round (``best_iteration_``).
        early_stopping_rounds : int, optional
            Rounds without improvement on ``eval_set`` before stopping.
        eval_at : int, default=10
            Cut-off of the nDCG watched on ``eval_set``.
        eval_metric : callable, optional
            Instead of LightGBM's nDCG: a function of the scores of ``eval_set``'s rows that
            returns a higher-is-better value (the caller's own measure of the task).
        init_score : array-like of shape (n_samples,), optional
            A base score per row that boosting starts from (LightGBM's ``init_score``): the
            trees learn corrections to it. :meth:`predict` returns the corrections only, so
            the caller adds the base it gave.
        eval_init_score : array-like of shape (n_eval_samples,), optional
            The same base for the rows of ``eval_set``; needed with ``init_score`` when
            ``eval_set`` is given, so early stopping measures base plus corrections.

        Returns
        -------
        LambdaRankRanker
            ``self``, fitted.
        """
        params = self._lgb_params()
        X_arr = as_feature_matrix(X, "X", allow_nan=True)
        n_samples, n_features = X_arr.shape
        labels = check_relevance_labels(y, n_samples, max_label=len(params["label_gain"]) - 1)
        sizes = check_query_sizes(group, n_samples)
        names = check_feature_names(feature_names, n_features)
        weight = (
            None
            if sample_weight is None
            else as_real_vector(sample_weight, "sample_weight", n=n_samples, nonnegative=True)
        )
        # LightGBM gets positional column names: user names may contain characters
        # (spaces, JSON punctuation) that LightGBM rewrites or rejects.
        base = None if init_score is None else as_real_vector(init_score, "init_score", n=n_samples)
        dataset = lgb.Dataset(
            X_arr,
            label=labels,
            group=sizes,
            weight=weight,
            init_score=base,
            params=params,
            free_raw_data=True,
        )
        valid_sets: list[lgb.Dataset] = []
        callbacks: list[Any] = []
        feval_fn: Any = None
        if eval_set is not None:
            Xv = as_feature_matrix(eval_set[0], "eval_set X", allow_nan=True)
            if Xv.shape[1] != n_features:
                raise ValueError(f"eval_set X has {Xv.shape[1]} features; X has {n_features}")
            yv = check_relevance_labels(
                eval_set[1], Xv.shape[0], max_label=len(params["label_gain"]) - 1
            )
            if (init_score is None) != (eval_init_score is None):
                raise ValueError("init_score and eval_init_score must be given together")
            valid_sets.append(
                lgb.Dataset(
                    Xv,
                    label=yv,
                    group=check_query_sizes(eval_set[2], Xv.shape[0]),
                    init_score=None
                    if eval_init_score is None
                    else as_real_vector(eval_init_score, "eval_init_score", n=Xv.shape[0]),
                    reference=dataset,
                )
            )
            params = {**params, "metric": "ndcg", "eval_at": [check_int(eval_at, "eval_at")]}
            if eval_metric is not None:
                params["metric"] = "None"
                metric = eval_metric

                def feval(preds: NDArray[np.float64], _: lgb.Dataset) -> tuple[str, float, bool]:
                    return "task", float(metric(np.asarray(preds))), True

                feval_fn = feval
            if early_stopping_rounds is not None:
                rounds = check_int(early_stopping_rounds, "early_stopping_rounds")
                callbacks.append(lgb.early_stopping(rounds, verbose=False))
        booster = lgb.train(
            params,
            dataset,
            num_boost_round=int(self.n_estimators),
            valid_sets=valid_sets or None,
            callbacks=callbacks or None,
            feval=feval_fn if valid_sets and eval_metric is not None else None,
        )
        self.best_iteration_ = int(booster.best_iteration or booster.current_iteration())
        if valid_sets and early_stopping_rounds is not None:
            # Keep only the best round's trees, so predictions and the saved model agree.
            booster = lgb.Booster(
                model_str=booster.model_to_string(num_iteration=self.best_iteration_)
            )
        self._set_fitted(booster, names)
        return self

    def _set_fitted(self, booster: lgb.Booster, names: tuple[str, ...]) -> None:
        self.booster_ = booster
        self.n_features_in_ = len(names)
        self.feature_names_in_ = names
        self.feature_importances_ = np.asarray(
            booster.feature_importance(importance_type="gain"), dtype=np.float64
        )
        self.model_version_ = content_hash(booster.model_to_string())

    # -- inference ---------------------------------------------------------------------

    def _check_X(self, X: ArrayLike) -> NDArray[np.float32]:
        if not hasattr(self, "booster_"):
            raise NotFittedError(
                "this LambdaRankRanker is not fitted yet; call fit(X, y, group) or load(path)"
            )
        X_arr = as_feature_matrix(X, "X", allow_nan=True)
        if X_arr.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X_arr.shape[1]} features, but the model was fitted with "
                f"{self.n_features_in_} ({list(self.feature_names_in_)})"
            )
        return X_arr

    def predict(self, X: ArrayLike, *, n_trees: int | None = None) -> NDArray[np.float32]:
        """Score candidates; higher means ranked higher.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            Features in the column order of ``feature_names_in_``.
        n_trees : int, optional
            Use only the first ``n_trees`` boosting rounds (all by default): the model as it
            was after that many rounds, to choose how many to keep.

        Returns
        -------
        numpy.ndarray of float32, shape (n_samples,)
            Scores, comparable only within one query.
        """
        X_arr = self._check_X(X)
        rounds = None if n_trees is None else check_int(n_trees, "n_trees")
        raw = self.booster_.predict(X_arr, num_iteration=rounds, num_threads=int(self.n_jobs))
        return np.asarray(raw, dtype=np.float32)

    def contributions(self, X: ArrayLike, *, method: str = "shap") -> NDArray[np.float32]:
        """Per-feature contributions to each score, for explanations.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            Features in the column order of ``feature_names_in_``.
        method : {"shap", "path"}, default "shap"
            ``"shap"``: exact TreeSHAP values (LightGBM's ``pred_contrib``); their cost grows
            with trees x leaves x depth squared per row. ``"path"``: each split on the path a
            row takes through a tree credits its feature with the change it makes to the
            node's value (Saabas's attribution); these depend on the leaf reached only, so
            they are tabulated once per model and looked up, at about the cost of
            :meth:`predict`. Both add up to the score; they differ in how a tree's
            interactions are shared out.

        Returns
        -------
        numpy.ndarray of float32, shape (n_samples, n_features_in_ + 1)
            Column ``j < n_features_in_`` is feature ``j``'s contribution; the last column
            is the bias (expected value).  Rows sum to :meth:`predict` up to float32 rounding.
        """
        X_arr = self._check_X(X)
        if method not in ("shap", "path"):
            raise ValueError(f"method must be 'shap' or 'path'; received {method!r}")
        if method == "path":
            leaves = self.booster_.predict(X_arr, pred_leaf=True, num_threads=int(self.n_jobs))
            table = self._path_table()
            leaves = np.asarray(leaves, dtype=np.int64).reshape(len(X_arr), len(table))
            out = table[np.arange(len(table))[None, :], leaves].sum(axis=1)
            return np.asarray(out, dtype=np.float32)
        raw = self.booster_.predict(X_arr, pred_contrib=True, num_threads=int(self.n_jobs))
        return np.asarray(raw, dtype=np.float32)

    def _path_table(self) -> NDArray[np.float64]:
        """Per tree and leaf, the path contributions of :meth:`contributions` (bias last)."""
        cached = getattr(self, "_paths", None)
        if cached is not None and cached[0] is self.booster_:
            return cached[1]  # type: ignore[no-any-return]
        trees = self.booster_.dump_model()["tree_info"]
        width = self.n_features_in_ + 1
        most = max((t["num_leaves"] for t in trees), default=1)
        table = np.zeros((len(trees), most, width))
        for t, tree in enumerate(trees):
            root = tree["tree_structure"]
            if "split_feature" not in root:  # a tree of one leaf: all of it is bias
                table[t, int(root.get("leaf_index", 0)), -1] = root["leaf_value"]
                continue
            # (node, contributions so far) pairs; the bias is the root's value
            stack = [(root, np.zeros(width))]
            while stack:
                node, acc = stack.pop()
                value = node["internal_value"]
                for side in ("left_child", "right_child"):
                    child = node[side]
                    step = acc.copy()
                    if "split_feature" in child:
                        step[node["split_feature"]] += child["internal_value"] - value
                        stack.append((child, step))
                    else:
                        step[node["split_feature"]] += child["leaf_value"] - value
                        step[-1] = root["internal_value"]
                        table[t, child["leaf_index"]] = step
        self._paths = (self.booster_, table)
        return table

    # -- persistence -------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save to directory ``path`` atomically (``config.json`` + LightGBM ``model.txt``).

        Parameters
        ----------
        path : str or os.PathLike
            New, empty, or previously saved model directory (then replaced).

        Returns
        -------
        pathlib.Path
            The directory written.
        """
        if not hasattr(self, "booster_"):
            raise NotFittedError("this LambdaRankRanker is not fitted yet; nothing to save")
        params = self.get_params()
        if params["label_gain"] is not None:
            params["label_gain"] = [float(g) for g in params["label_gain"]]
        config = {
            "format_version": FORMAT_VERSION,
            "kind": KIND,
            "params": params,
            "feature_names": list(self.feature_names_in_),
            "model_version": self.model_version_,
            "lightgbm_version": lgb.__version__,
        }

        def fill(tmp: Path) -> None:
            self.booster_.save_model(str(tmp / MODEL_FILE))
            write_json(tmp / "config.json", config)

        return atomic_save_dir(path, fill)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LambdaRankRanker:
        """Load a model written by :meth:`save`.

        Parameters
        ----------
        path : str or os.PathLike
            The saved model directory.

        Returns
        -------
        LambdaRankRanker
            A fitted ranker whose predictions equal the saved one's.

        Raises
        ------
        ModelFormatError
            If the directory is not a LambdaRank model of a known format, or the model
            text does not match its recorded content hash.
        """
        directory, config = read_config(
            path, kind=KIND, supported_versions=frozenset({FORMAT_VERSION})
        )
        model_path = directory / MODEL_FILE
        try:
            text = model_path.read_text(encoding="utf-8")
            params = dict(config["params"])
            names = tuple(str(n) for n in config["feature_names"])
            expected_version = str(config["model_version"])
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise ModelFormatError(f"incomplete model directory {str(directory)!r}: {exc}") from exc
        if content_hash(text) != expected_version:
            raise ModelFormatError(
                f"{str(model_path)!r} does not match model_version {expected_version!r}; "
                "the file was modified or partially written"
            )
        model = cls(**params)
        model._lgb_params()  # a hand-edited config must fail here, not at predict time
        booster = lgb.Booster(model_file=str(model_path))
        if booster.num_feature() != len(names):
            raise ModelFormatError(
                f"model has {booster.num_feature()} features but config names {len(names)}"
            )
        model._set_fitted(booster, names)
        return model
