"""The :class:`Encoder` interface: text in, L2-normalised float32 vectors out.

Backends implement :meth:`Encoder._encode` and the identifying properties; input validation,
empty input, output checking and row normalisation live here so that every backend honours the
same contract.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validation import check_int, l2_normalize_rows
from .errors import EncoderOutputError

__all__ = ["Encoder", "validate_texts"]


def validate_texts(texts: Any, name: str = "texts") -> list[str]:
    """Check that ``texts`` is a sequence of str and return it as a list.

    Parameters
    ----------
    texts : Any
        The value to check.
    name : str, optional
        Argument name used in error messages.

    Returns
    -------
    list of str
        The texts as plain ``str`` objects (``numpy.str_`` items are converted).

    Raises
    ------
    TypeError
        If ``texts`` is a single ``str``/``bytes``, is not a sequence, or has an item that is
        not a ``str`` (the message names the index of the first such item).

    Examples
    --------
    >>> validate_texts(("a", "b"))
    ['a', 'b']
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"{name} must be a sequence of str, not a single {type(texts).__name__}; "
            f"wrap it in a list: [{texts!r}]"
        )
    if not isinstance(texts, (Sequence, np.ndarray)):
        raise TypeError(
            f"{name} must be a sequence of str (list or tuple); received {type(texts).__name__}"
        )
    out: list[str] = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"{name}[{i}] must be a str; received {type(text).__name__} {text!r}")
        out.append(str(text))
    return out


class Encoder(abc.ABC):
    """Abstract sentence encoder.

    Subclasses provide :attr:`name`, :attr:`dim`, :meth:`config` and :meth:`_encode`; the
    public :meth:`encode` validates input and guarantees the output contract.

    Notes
    -----
    Empty and whitespace-only strings are valid input and always give a finite vector. What
    that vector is depends on the backend (both bundled backends give a unit vector, the same
    one for every blank string); a backend that produces an all-zero row keeps it as a zero
    vector, which scores 0 against every query.
    """

    # Whether encode() L2-normalises the backend output. Wrappers whose inner encoder already
    # honoured the contract (or deliberately opted out of it) turn this off.
    _renormalize: bool = True

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """Stable identifier of the model, e.g. ``"use-multilingual-v3"``.

        Two encoders with the same name must produce the same vectors; caches use it as their
        key namespace.
        """

    @property
    @abc.abstractmethod
    def dim(self) -> int:
        """Number of columns of the vectors returned by :meth:`encode`."""

    @abc.abstractmethod
    def config(self) -> dict[str, Any]:
        """JSON-serialisable description from which :func:`encoder_from_config` rebuilds it."""

    @abc.abstractmethod
    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Encode a non-empty, validated list of texts; return an ``(n, dim)`` array."""

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Encode texts into L2-normalised vectors.

        Parameters
        ----------
        texts : sequence of str
            The texts to encode. Empty and whitespace-only strings are allowed.
        batch_size : int, optional
            Upper bound on how many texts the backend processes at once; it bounds memory use
            and does not change the result.

        Returns
        -------
        numpy.ndarray
            float32 array of shape ``(len(texts), dim)`` whose rows have unit L2 norm (see the
            class notes for blank strings). An empty ``texts`` gives shape ``(0, dim)``.

        Raises
        ------
        TypeError
            If ``texts`` is a single string or contains a non-str item, or ``batch_size`` is not
            an int.
        ValueError
            If ``batch_size < 1``.
        EncoderOutputError
            If the backend returns an array of the wrong shape or with NaN/inf values.

        Examples
        --------
        >>> from embeddings import load_encoder
        >>> enc = load_encoder("use-multilingual")
        >>> enc.encode(["软件工程师", "software engineer"]).shape
        (2, 512)
        """
        items = validate_texts(texts)
        batch_size = check_int(batch_size, "batch_size")
        dim = self.dim
        if not items:
            return np.zeros((0, dim), dtype=np.float32)
        out = np.asarray(self._encode(items, batch_size))
        if out.shape != (len(items), dim):
            raise EncoderOutputError(
                f"encoder {self.name!r} returned shape {out.shape} for {len(items)} texts; "
                f"expected ({len(items)}, {dim})"
            )
        if not np.isfinite(out).all():
            raise EncoderOutputError(f"encoder {self.name!r} returned NaN or inf values")
        if self._renormalize:
            return l2_normalize_rows(out)
        return np.ascontiguousarray(out, dtype=np.float32)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"
