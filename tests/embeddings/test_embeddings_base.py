"""The Encoder base class enforces the output contract whatever the backend returns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from embeddings import EmbeddingsError, Encoder, EncoderOutputError
from embeddings.base import validate_texts


class FixedOutputEncoder(Encoder):
    """Returns a caller-supplied array, to see what encode() does with it."""

    def __init__(self, output: np.ndarray, dim: int = 3) -> None:
        self.output = output
        self._dim = dim
        self.batches: list[int] = []

    @property
    def name(self) -> str:
        return "fixed"

    @property
    def dim(self) -> int:
        return self._dim

    def config(self) -> dict[str, Any]:
        return {"backend": "fixed"}

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        self.batches.append(batch_size)
        return self.output


def test_output_is_normalised_float32() -> None:
    enc = FixedOutputEncoder(np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 2.0]], dtype=np.float64))
    out = enc.encode(["a", "b"])
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]], atol=1e-7)


def test_zero_rows_stay_zero_instead_of_nan() -> None:
    enc = FixedOutputEncoder(np.zeros((2, 3)))
    out = enc.encode(["", " "])
    assert np.isfinite(out).all()
    assert not out.any()


def test_empty_input_never_reaches_the_backend() -> None:
    enc = FixedOutputEncoder(np.zeros((5, 3)))
    out = enc.encode([])
    assert out.shape == (0, 3) and out.dtype == np.float32
    assert enc.batches == []


def test_batch_size_is_passed_through() -> None:
    enc = FixedOutputEncoder(np.ones((1, 3)))
    enc.encode(["a"], batch_size=7)
    assert enc.batches == [7]


def test_wrong_shape_from_backend_is_reported() -> None:
    enc = FixedOutputEncoder(np.ones((1, 4)))
    with pytest.raises(EncoderOutputError, match=r"returned shape \(1, 4\).*expected \(2, 3\)"):
        enc.encode(["a", "b"])


def test_nan_from_backend_is_reported() -> None:
    enc = FixedOutputEncoder(np.array([[np.nan, 0.0, 1.0]]))
    with pytest.raises(EncoderOutputError, match="NaN or inf") as info:
        enc.encode(["a"])
    assert isinstance(info.value, (EmbeddingsError, RuntimeError))


def test_hash_encoder_is_deterministic(hash_encoder_cls: type[Encoder]) -> None:
    enc = hash_encoder_cls()
    np.testing.assert_array_equal(enc.encode(["data analyst"]), enc.encode(["data analyst"]))


class TestValidateTexts:
    def test_accepts_lists_tuples_and_string_arrays(self) -> None:
        assert validate_texts(["a", "b"]) == ["a", "b"]
        assert validate_texts(("a",)) == ["a"]
        out = validate_texts(np.array(["x", "y"]))
        assert out == ["x", "y"] and all(type(t) is str for t in out)

    @pytest.mark.parametrize("value", ["abc", b"abc"])
    def test_rejects_single_string(self, value: object) -> None:
        with pytest.raises(TypeError, match="not a single"):
            validate_texts(value)

    def test_rejects_generators(self) -> None:
        with pytest.raises(TypeError, match="received generator"):
            validate_texts(t for t in ["a"])

    def test_names_the_first_bad_item(self) -> None:
        with pytest.raises(TypeError, match=r"texts\[1\] must be a str; received bytes"):
            validate_texts(["ok", b"bytes", 3])
