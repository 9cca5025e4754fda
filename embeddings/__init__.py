"""Text embeddings and vector search for gradmatch.

An array-level library: texts go in, float32 numpy arrays come out, and nothing here knows
about jobs, candidates or ranking.

* :class:`Encoder` and its backends :class:`UniversalSentenceEncoder` (offline default,
  multilingual) and :class:`SentenceTransformerEncoder` (any local sentence-transformers model);
  :func:`load_encoder` / :func:`encoder_from_config` build them from specs and saved configs.
* :class:`EmbeddingCache` and :class:`CachedEncoder` skip re-encoding unchanged texts.
* :class:`VectorIndex` is a cosine top-k index (flat, HNSW or IVF) with external ids.
* Exceptions live in :mod:`embeddings.errors`.
"""

from __future__ import annotations

from .base import Encoder
from .cache import CachedEncoder, EmbeddingCache, cache_key
from .errors import (
    EmbeddingsError,
    EncoderOutputError,
    IncompatibleFormatError,
    ModelNotAvailableError,
    UnknownIdError,
)
from .index import IndexKind, SearchResult, VectorIndex
from .registry import encoder_from_config, load_encoder
from .st import SentenceTransformerEncoder
from .use import UniversalSentenceEncoder

__all__ = [
    "CachedEncoder",
    "EmbeddingCache",
    "EmbeddingsError",
    "Encoder",
    "EncoderOutputError",
    "IncompatibleFormatError",
    "IndexKind",
    "ModelNotAvailableError",
    "SearchResult",
    "SentenceTransformerEncoder",
    "UniversalSentenceEncoder",
    "UnknownIdError",
    "VectorIndex",
    "cache_key",
    "encoder_from_config",
    "load_encoder",
]
