"""A fast, deterministic encoder: signed feature hashing of character n-grams.

No model and no training: each text becomes the sum of ±1 at the hashed positions of its
lower-cased character n-grams (1 to 3 by default), then L2-normalised. Texts that share many
n-grams (the same words, in Chinese or English) get similar vectors, texts that share none are
orthogonal up to hash collisions. It is the encoder of choice where the real models would only
slow a run down: tests of everything around an encoder, and quick experiments. It does not
know that two different words mean the same thing.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from ._validation import check_int
from .base import Encoder

__all__ = ["HashingEncoder"]


class HashingEncoder(Encoder):
    """Signed hashing of character n-grams into ``dim`` columns.

    Parameters
    ----------
    dim : int, default 256
        Vector width.
    max_n : int, default 3
        Longest n-gram; every length from 1 to ``max_n`` is used.

    Examples
    --------
    >>> enc = HashingEncoder(dim=64)
    >>> v = enc.encode(["数据分析师", "数据分析", "会计"])
    >>> bool(v[0] @ v[1] > v[0] @ v[2])
    True
    """

    def __init__(self, *, dim: int = 256, max_n: int = 3) -> None:
        self._dim = check_int(dim, "dim", minimum=2)
        self._max_n = check_int(max_n, "max_n")

    @property
    def name(self) -> str:
        """``"hashing-<dim>-<max_n>"``: vectors depend on nothing else."""
        return f"hashing-{self._dim}-{self._max_n}"

    @property
    def dim(self) -> int:
        """The vector width."""
        return self._dim

    def config(self) -> dict[str, Any]:
        """``backend``, ``dim`` and ``max_n``: what :func:`encoder_from_config` rebuilds it from."""
        return {"backend": "hashing", "dim": self._dim, "max_n": self._max_n, "name": self.name}

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            chars = "".join(text.lower().split())
            for n in range(1, self._max_n + 1):
                for i in range(len(chars) - n + 1):
                    digest = hashlib.blake2b(chars[i : i + n].encode("utf-8"), digest_size=8)
                    value = int.from_bytes(digest.digest(), "little")
                    out[row, value % self._dim] += 1.0 if (value >> 63) & 1 else -1.0
            if not out[row].any():
                # A blank text still gets a finite unit vector, the same for every blank text.
                out[row, 0] = 1.0
        return out
