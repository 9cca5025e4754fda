"""EmbeddingCache storage and persistence, and CachedEncoder's skip-what-is-known behaviour."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from embeddings import (
    CachedEncoder,
    EmbeddingCache,
    Encoder,
    FlatIndex,
    IncompatibleFormatError,
    cache_key,
)


def random_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


class TestCacheKey:
    def test_is_a_sha256_digest(self) -> None:
        key = cache_key("use-multilingual-v3", "会计")
        assert isinstance(key, bytes) and len(key) == 32
        assert key == cache_key("use-multilingual-v3", "会计")

    def test_depends_on_encoder_and_text(self) -> None:
        keys = {cache_key("a", "x"), cache_key("b", "x"), cache_key("a", "y")}
        assert len(keys) == 3

    def test_name_text_boundary_is_unambiguous(self) -> None:
        assert cache_key("ab", "c") != cache_key("a", "bc")

    def test_type_errors(self) -> None:
        with pytest.raises(TypeError, match="text must be a str; received int"):
            cache_key("enc", 3)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="encoder_name must be a str"):
            cache_key(None, "x")  # type: ignore[arg-type]


class TestEmbeddingCache:
    def test_get_many_reports_hits_and_misses(self) -> None:
        cache = EmbeddingCache(dim=4)
        vectors = random_vectors(2, 4)
        k1, k2, k3 = (cache_key("e", t) for t in ("one", "two", "three"))
        cache.put_many([k1, k2], vectors)
        got, found = cache.get_many([k3, k2, k1])
        assert found.tolist() == [False, True, True]
        assert got.dtype == np.float32 and got.shape == (3, 4)
        np.testing.assert_array_equal(got[1:], vectors[::-1])
        assert not got[0].any()
        assert len(cache) == 2 and k1 in cache and k3 not in cache

    def test_empty_lookup(self) -> None:
        got, found = EmbeddingCache(dim=3).get_many([])
        assert got.shape == (0, 3) and found.shape == (0,)

    def test_put_overwrites_and_last_duplicate_wins(self) -> None:
        cache = EmbeddingCache(dim=2)
        key = cache_key("e", "t")
        cache.put_many([key], [[1.0, 0.0]])
        cache.put_many([key, key], [[0.0, 1.0], [0.5, 0.5]])
        assert len(cache) == 1
        np.testing.assert_array_equal(cache.get_many([key])[0], [[0.5, 0.5]])

    def test_many_small_puts_keep_every_vector(self) -> None:
        cache = EmbeddingCache(dim=3)
        vectors = random_vectors(100, 3)
        keys = [cache_key("e", str(i)) for i in range(100)]
        for i in range(100):
            cache.put_many([keys[i]], vectors[i : i + 1])
        np.testing.assert_array_equal(cache.get_many(keys)[0], vectors)

    def test_wrong_dim(self) -> None:
        message = r"vectors must have shape \(n, 4\); received shape \(1, 3\)"
        with pytest.raises(ValueError, match=message):
            EmbeddingCache(dim=4).put_many([cache_key("e", "t")], np.zeros((1, 3)))

    def test_row_count_must_match_keys(self) -> None:
        with pytest.raises(ValueError, match="one row per key: received 2 rows for 1 keys"):
            EmbeddingCache(dim=2).put_many([cache_key("e", "t")], np.zeros((2, 2)))

    @pytest.mark.parametrize("keys", [["not-bytes"], [b"short"], b"x" * 32])
    def test_malformed_keys(self, keys: object) -> None:
        with pytest.raises(TypeError, match="32"):
            EmbeddingCache(dim=2).get_many(keys)  # type: ignore[arg-type]

    @pytest.mark.parametrize(("dim", "error"), [(0, ValueError), (2.5, TypeError)])
    def test_bad_dim(self, dim: object, error: type[Exception]) -> None:
        with pytest.raises(error, match="dim"):
            EmbeddingCache(dim=dim)  # type: ignore[arg-type]

    def test_save_load_round_trip(self, tmp_path: Path) -> None:
        cache = EmbeddingCache(dim=5)
        # Keys ending in NUL bytes would be truncated by a numpy "S32" array; they must survive.
        keys = [cache_key("e", str(i)) for i in range(20)] + [b"\x00" * 32, b"\x01" + b"\x00" * 31]
        vectors = random_vectors(len(keys), 5)
        cache.put_many(keys, vectors)
        cache.save(tmp_path / "cache")
        config = json.loads((tmp_path / "cache" / "config.json").read_text())
        assert config["format_version"] == 1 and config["dim"] == 5
        assert np.load(tmp_path / "cache" / "keys.npy", allow_pickle=False).shape == (22, 32)

        loaded = EmbeddingCache.load(tmp_path / "cache")
        assert len(loaded) == len(cache) and loaded.dim == 5
        got, found = loaded.get_many(keys)
        assert found.all()
        np.testing.assert_array_equal(got, vectors)

    def test_load_rejects_other_artefacts_and_versions(self, tmp_path: Path) -> None:
        FlatIndex(3).save(tmp_path / "index")
        with pytest.raises(IncompatibleFormatError, match="not a 'embedding_cache'"):
            EmbeddingCache.load(tmp_path / "index")

        EmbeddingCache(dim=3).save(tmp_path / "cache")
        config_path = tmp_path / "cache" / "config.json"
        config = json.loads(config_path.read_text())
        config_path.write_text(json.dumps({**config, "format_version": 99}))
        with pytest.raises(IncompatibleFormatError, match="format_version 99"):
            EmbeddingCache.load(tmp_path / "cache")

    def test_load_missing_directory(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError, match="config.json"):
            EmbeddingCache.load(tmp_path / "nothing-here")


class TestCachedEncoderWithoutModel:
    def test_dim_mismatch(self, hash_encoder_cls: type[Encoder]) -> None:
        with pytest.raises(ValueError, match="cache has dim 8 but encoder 'hash' has dim 16"):
            CachedEncoder(hash_encoder_cls(dim=16), EmbeddingCache(dim=8))

    def test_type_errors(self, hash_encoder_cls: type[Encoder]) -> None:
        with pytest.raises(TypeError, match="encoder must be an Encoder; received str"):
            CachedEncoder("use")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="cache must be an EmbeddingCache; received dict"):
            CachedEncoder(hash_encoder_cls(), {})  # type: ignore[arg-type]

    def test_shared_cache_keeps_encoders_apart(self, hash_encoder_cls: type[Encoder]) -> None:
        cache = EmbeddingCache(dim=16)
        first = CachedEncoder(hash_encoder_cls(name="first"), cache)
        second = CachedEncoder(hash_encoder_cls(name="second"), cache)
        first.encode(["same text"])
        second.encode(["same text"])
        assert (first.misses, second.misses) == (1, 1)
        assert len(cache) == 2

    def test_identity_is_the_wrapped_encoder(self, hash_encoder_cls: type[Encoder]) -> None:
        inner = hash_encoder_cls()
        enc = CachedEncoder(inner)
        assert (enc.name, enc.dim, enc.config()) == (inner.name, inner.dim, inner.config())
        assert enc.encoder is inner and enc.cache.dim == inner.dim


@pytest.mark.slow
class TestCachedEncoderOverUSE:
    TEXTS = ["软件工程师", "Data analyst", "市场营销实习生", "Nurse", "会计"]

    def test_unchanged_texts_cost_nothing(
        self, use_encoder: Encoder, counting_encoder_cls: type[Encoder]
    ) -> None:
        counting = counting_encoder_cls(use_encoder)
        enc = CachedEncoder(counting)
        first = enc.encode(self.TEXTS)
        assert (enc.hits, enc.misses, counting.texts_encoded) == (0, 5, 5)

        second = enc.encode(self.TEXTS)
        assert (enc.hits, enc.misses) == (5, 5)
        assert counting.texts_encoded == 5 and counting.calls == 1
        np.testing.assert_array_equal(first, second)
        np.testing.assert_allclose(first, use_encoder.encode(self.TEXTS), atol=1e-6)

    def test_only_new_and_distinct_texts_are_encoded(
        self, use_encoder: Encoder, counting_encoder_cls: type[Encoder]
    ) -> None:
        counting = counting_encoder_cls(use_encoder)
        enc = CachedEncoder(counting)
        enc.encode(self.TEXTS[:3])
        mixed = [self.TEXTS[3], self.TEXTS[0], self.TEXTS[3], self.TEXTS[4], self.TEXTS[1]]
        out = enc.encode(mixed)
        # TEXTS[3] appears twice but is encoded once; TEXTS[0] and [1] come from the cache.
        assert counting.texts_encoded == 3 + 2
        assert (enc.hits, enc.misses) == (3, 5)
        np.testing.assert_allclose(out, use_encoder.encode(mixed), atol=1e-6)

    def test_persisted_cache_serves_a_new_process(
        self, tmp_path: Path, use_encoder: Encoder, counting_encoder_cls: type[Encoder]
    ) -> None:
        enc = CachedEncoder(use_encoder)
        expected = enc.encode(self.TEXTS)
        enc.cache.save(tmp_path / "cache")

        counting = counting_encoder_cls(use_encoder)
        reloaded = CachedEncoder(counting, EmbeddingCache.load(tmp_path / "cache"))
        np.testing.assert_array_equal(reloaded.encode(self.TEXTS), expected)
        assert counting.texts_encoded == 0 and reloaded.hits == 5

    def test_empty_input(self, use_encoder: Encoder) -> None:
        enc = CachedEncoder(use_encoder)
        assert enc.encode([]).shape == (0, 512)
        assert (enc.hits, enc.misses) == (0, 0)
