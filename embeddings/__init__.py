"""Text embeddings and vector search for gradmatch.

An array-level library: texts go in, float32 numpy arrays come out, and nothing here knows
about jobs, candidates or ranking.

* :class:`Encoder` and its backends :class:`UniversalSentenceEncoder` (offline default,
  multilingual) and :class:`SentenceTransformerEncoder` (any local sentence-transformers model);
  :func:`load_encoder` / :func:`encoder_from_config` build them from specs and saved configs.
* :class:`EmbeddingCache` and :class:`CachedEncoder` skip re-encoding unchanged texts.
* :class:`VectorIndex` is the cosine top-k index interface with external ids; one class per
  kind (:class:`FlatIndex`, exact; :class:`HNSWIndex` and :class:`IVFIndex`, approximate),
  built by :func:`create_index`.
* :class:`HashingEncoder` is a fast deterministic bag-of-n-grams encoder (tests, quick runs).
* Exceptions live in :mod:`embeddings.errors`.
"""

from __future__ import annotations

from .base import Encoder
from .cache import CachedEncoder, EmbeddingCache, cache_key
from .chunking import ChunkingEncoder, split_chunks
from .errors import (
    EmbeddingsError,
    EncoderOutputError,
    IdNotFoundError,
    IncompatibleFormatError,
    ModelNotAvailableError,
)
from .flat import FlatIndex
from .hashing import HashingEncoder
from .hnsw import HNSWIndex
from .index import IndexKind, SearchResult, VectorIndex, create_index
from .ivf import IVFIndex
from .registry import encoder_from_config, load_encoder
from .st import SentenceTransformerEncoder
from .use import UniversalSentenceEncoder

__all__ = [
    "CachedEncoder",
    "ChunkingEncoder",
    "EmbeddingCache",
    "EmbeddingsError",
    "Encoder",
    "EncoderOutputError",
    "FlatIndex",
    "HNSWIndex",
    "HashingEncoder",
    "IVFIndex",
    "IdNotFoundError",
    "IncompatibleFormatError",
    "IndexKind",
    "ModelNotAvailableError",
    "SearchResult",
    "SentenceTransformerEncoder",
    "UniversalSentenceEncoder",
    "VectorIndex",
    "cache_key",
    "create_index",
    "encoder_from_config",
    "load_encoder",
    "split_chunks",
]
