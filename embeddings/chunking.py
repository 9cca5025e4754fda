"""Long texts encoded by parts: the mean of their chunks' vectors, at a bounded cost.

A sentence encoder either truncates a long text (most transformer models stop at a few hundred
tokens, so a resume would be read up to its first paragraph) or pays for every character of
it. :class:`ChunkingEncoder` cuts a text at sentence and line ends into chunks of at most
``max_chars`` characters, keeps at most ``max_chunks`` of them spread evenly over the whole text
(the first and the last always), encodes them in one batch with the wrapped encoder and
averages their vectors. A text that fits in one chunk is encoded as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validation import check_int, l2_normalize_rows
from .base import Encoder

__all__ = ["ChunkingEncoder", "split_chunks"]

_BREAK = re.compile(r"(?<=[。！？；;!?\n])|(?<=[.] )")


def split_chunks(text: str, max_chars: int, max_chunks: int) -> list[str]:
    """The chunks of ``text`` (see the module notes); a short text is its own chunk.

    Examples
    --------
    >>> split_chunks("第一句。第二句。第三句。", max_chars=5, max_chunks=2)
    ['第一句。', '第三句。']
    """
    text = text.strip()
    if len(text) <= max_chars:
        return [text]
    chunks: list[str] = []
    current = ""
    for piece in (p for p in _BREAK.split(text) if p and p.strip()):
        while len(piece) > max_chars:  # a sentence longer than a chunk is cut where it must
            head, piece = piece[:max_chars], piece[max_chars:]
            if current:
                chunks.append(current)
                current = ""
            chunks.append(head)
        if len(current) + len(piece) > max_chars and current:
            chunks.append(current)
            current = ""
        current += piece
    if current.strip():
        chunks.append(current)
    chunks = [c.strip() for c in chunks if c.strip()]
    if len(chunks) > max_chunks:
        keep = np.unique(np.linspace(0, len(chunks) - 1, max_chunks).round().astype(int))
        chunks = [chunks[i] for i in keep]
    return chunks


class ChunkingEncoder(Encoder):
    """Encode texts as the mean of their chunks' vectors (see the module notes).

    Parameters
    ----------
    encoder : Encoder
        Encodes the chunks.
    max_chars : int, default 256
        Longest chunk, in characters.
    max_chunks : int, default 8
        Most chunks a text is read from; the encoding cost of a text is bounded by
        ``max_chars * max_chunks`` characters.

    Examples
    --------
    >>> from embeddings import HashingEncoder
    >>> enc = ChunkingEncoder(HashingEncoder(dim=32), max_chars=16, max_chunks=4)
    >>> enc.encode(["短文本", "很长的文本。" * 20]).shape
    (2, 32)
    """

    def __init__(self, encoder: Encoder, *, max_chars: int = 256, max_chunks: int = 8) -> None:
        if not isinstance(encoder, Encoder):
            raise TypeError(f"encoder must be an Encoder; received {type(encoder).__name__}")
        self._encoder = encoder
        self._max_chars = check_int(max_chars, "max_chars", minimum=16)
        self._max_chunks = check_int(max_chunks, "max_chunks")

    @property
    def name(self) -> str:
        """The wrapped encoder's name with the chunking settings (the vectors depend on them)."""
        return f"{self._encoder.name}+chunks{self._max_chars}x{self._max_chunks}"

    @property
    def dim(self) -> int:
        """The wrapped encoder's width."""
        return self._encoder.dim

    @property
    def encoder(self) -> Encoder:
        """The wrapped encoder."""
        return self._encoder

    def config(self) -> dict[str, Any]:
        """``backend`` "chunks", the settings and the wrapped encoder's config."""
        return {
            "backend": "chunks",
            "encoder": self._encoder.config(),
            "max_chars": self._max_chars,
            "max_chunks": self._max_chunks,
            "name": self.name,
            "dim": self.dim,
        }

    def forget(self, texts: Sequence[str]) -> int:
        """Drop what the wrapped encoder cached for the parts of ``texts`` (when it caches)."""
        forget = getattr(self._encoder, "forget", None)
        if forget is None:
            return 0
        pieces = [
            c for text in texts for c in split_chunks(text, self._max_chars, self._max_chunks)
        ]
        return int(forget(pieces))

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        pieces: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            for chunk in split_chunks(text, self._max_chars, self._max_chunks):
                pieces.append(chunk)
                owner.append(i)
        vectors = self._encoder.encode(pieces, batch_size=batch_size)
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        np.add.at(out, np.asarray(owner), vectors)
        return l2_normalize_rows(out.astype(np.float32))
